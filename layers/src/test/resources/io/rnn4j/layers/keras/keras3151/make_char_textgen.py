# Writes the Keras 3.15.1 fixtures of CharTextGenerationLstmTest (layers/src/test/java/io/rnn4j/layers/examples/),
# on the TensorFlow backend. Run in this folder with
#   KERAS_BACKEND=tensorflow python make_char_textgen.py
# keras-io's examples/generative/lstm_character_level_text_generation.py ("Character-level text generation with
# LSTM", last modified 2020/04/30) at a tiny size: a short corpus (textgen.corpus.txt, lowercased as the example
# lowercases Nietzsche) instead of nietzsche.txt, maxlen 8, step 3, LSTM(16) instead of 128, batch_size 32, one
# epoch with shuffle=False (Keras's shuffling draws cannot be reproduced). Otherwise the example's code: sorted
# chars, char_indices, the sliding sentences, the one-hot x/y, Dense(len(chars), softmax), RMSprop(0.01),
# categorical_crossentropy, and sample(preds, temperature). Written:
#   textgen.x.npy (sentences, maxlen, chars), textgen.y.npy (sentences, chars)   the example's x/y, float32
#   textgen.keras            the example's model, compiled, untrained
#   textgen.pred.npy         its next-character probabilities for x
#   textgen.fit_loss.npy, textgen.after<i>.npy   fit(batch_size=32, epochs=1, shuffle=False): the loss, the weights
#   textgen.sample.npy (4, 3, chars) float64     sample's re-weighted distribution (before the draw) of the first
#                            3 rows of textgen.pred.npy at the example's diversities 0.2, 0.5, 1.0, 1.2
# Seeded (keras.utils.set_random_seed(1506)).
import os
import zipfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np
import keras
from keras import layers

with open("textgen.corpus.txt", encoding="utf-8") as f:
    text = f.read().lower()
chars = sorted(list(set(text)))
char_indices = dict((c, i) for i, c in enumerate(chars))
indices_char = dict((i, c) for i, c in enumerate(chars))
maxlen = 8
step = 3
sentences = []
next_chars = []
for i in range(0, len(text) - maxlen, step):
    sentences.append(text[i: i + maxlen])
    next_chars.append(text[i + maxlen])
x = np.zeros((len(sentences), maxlen, len(chars)), dtype="bool")
y = np.zeros((len(sentences), len(chars)), dtype="bool")
for i, sentence in enumerate(sentences):
    for t, char in enumerate(sentence):
        x[i, t, char_indices[char]] = 1
    y[i, char_indices[next_chars[i]]] = 1
np.save("textgen.x.npy", x.astype("float32"))
np.save("textgen.y.npy", y.astype("float32"))

keras.utils.set_random_seed(1506)
model = keras.Sequential([keras.Input(shape=(maxlen, len(chars))), layers.LSTM(16),
                          layers.Dense(len(chars), activation="softmax")])
model.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.RMSprop(learning_rate=0.01))
model.save("textgen.keras")
with zipfile.ZipFile("textgen.keras") as z:  # deflated, as make_ocr.py does: Keras and rnn4j read both
    entries = [(i, z.read(i.filename)) for i in z.infolist()]
with zipfile.ZipFile("textgen.keras", "w", zipfile.ZIP_DEFLATED) as z:
    for info, data in entries:
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, data)
pred = model.predict(x, verbose=0)
np.save("textgen.pred.npy", pred)


def reweight(preds, temperature=1.0):
    # sample()'s first lines, up to (not including) np.random.multinomial
    preds = np.asarray(preds).astype("float64")
    preds = np.log(preds) / temperature
    exp_preds = np.exp(preds)
    return exp_preds / np.sum(exp_preds)


np.save("textgen.sample.npy", np.array([[reweight(pred[r], d) for r in range(3)] for d in [0.2, 0.5, 1.0, 1.2]]))
h = model.fit(x, y, batch_size=32, epochs=1, shuffle=False, verbose=0)
np.save("textgen.fit_loss.npy", np.array(h.history["loss"]))
for i, w in enumerate(model.weights):
    np.save(f"textgen.after{i}.npy", np.asarray(w.numpy(), dtype="float32"))
print(len(text), "chars", len(chars), "sentences", len(sentences), "loss", h.history["loss"])
