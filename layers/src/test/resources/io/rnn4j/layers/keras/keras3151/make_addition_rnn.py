# Writes the Keras 3.15.1 fixtures of AdditionRnnTest (layers/src/test/java/io/rnn4j/layers/examples/), on the
# TensorFlow backend. Run in this folder with
#   KERAS_BACKEND=tensorflow python make_addition_rnn.py
# keras-io's examples/nlp/addition_rnn.py ("Sequence to sequence learning for performing number addition", last
# modified 2020/04/17) at a small size: DIGITS = 2 (MAXLEN 5), REVERSE = True, 64 questions, LSTM(16) encoder ->
# RepeatVector(DIGITS + 1) -> LSTM(16, return_sequences=True) -> Dense(12, softmax), categorical_crossentropy and
# adam, as the example. Written:
#   addition.questions.txt  the 64 questions (reversed, as the model sees them) and answers, "query|answer" a line
#   addition.x.npy (64, 5, 12), addition.y.npy (64, 3, 12)   ctable.encode of each, float32
#   addition.keras          the example's model, untrained
#   addition.pred.npy       its predictions of x
#   addition.fit_loss.npy, addition.fit_accuracy.npy, addition.after<i>.npy   fit(batch_size=32, epochs=1,
#                           shuffle=False): the logged loss and accuracy, every weight after (model.weights order)
# Seeded (np.random.seed and keras.utils.set_random_seed).
import os
import zipfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np
import keras
from keras import layers

TRAINING_SIZE = 64
DIGITS = 2
REVERSE = True
MAXLEN = DIGITS + 1 + DIGITS


class CharacterTable:
    # The example's one-hot table (sorted characters), in our own words.
    def __init__(self, chars):
        self.chars = sorted(set(chars))
        self.char_indices = {c: i for i, c in enumerate(self.chars)}
        self.indices_char = {i: c for i, c in enumerate(self.chars)}

    def encode(self, text, num_rows):
        x = np.zeros((num_rows, len(self.chars)))
        for i, c in enumerate(text):
            x[i, self.char_indices[c]] = 1
        return x


chars = "0123456789+ "
ctable = CharacterTable(chars)
np.random.seed(1508)
questions, expected, seen = [], [], set()
while len(questions) < TRAINING_SIZE:
    f = lambda: int("".join(np.random.choice(list("0123456789")) for i in range(np.random.randint(1, DIGITS + 1))))
    a, b = f(), f()
    key = tuple(sorted((a, b)))
    if key in seen:
        continue
    seen.add(key)
    q = "{}+{}".format(a, b)
    query = q + " " * (MAXLEN - len(q))
    ans = str(a + b)
    ans += " " * (DIGITS + 1 - len(ans))
    if REVERSE:
        query = query[::-1]
    questions.append(query)
    expected.append(ans)
x = np.stack([ctable.encode(s, MAXLEN) for s in questions]).astype("float32")
y = np.stack([ctable.encode(s, DIGITS + 1) for s in expected]).astype("float32")
with open("addition.questions.txt", "w") as out:
    for q, a in zip(questions, expected):
        out.write(q + "|" + a + "\n")
np.save("addition.x.npy", x)
np.save("addition.y.npy", y)

keras.utils.set_random_seed(1509)
model = keras.Sequential()
model.add(layers.Input((MAXLEN, len(chars))))
model.add(layers.LSTM(16))
model.add(layers.RepeatVector(DIGITS + 1))
model.add(layers.LSTM(16, return_sequences=True))
model.add(layers.Dense(len(chars), activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.save("addition.keras")
with zipfile.ZipFile("addition.keras") as z:  # deflated, as make_ocr.py does: Keras and rnn4j read both
    entries = [(i, z.read(i.filename)) for i in z.infolist()]
with zipfile.ZipFile("addition.keras", "w", zipfile.ZIP_DEFLATED) as z:
    for info, data in entries:
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, data)
np.save("addition.pred.npy", model.predict(x, verbose=0))
h = model.fit(x, y, batch_size=32, epochs=1, shuffle=False, verbose=0)
np.save("addition.fit_loss.npy", np.array(h.history["loss"]))
np.save("addition.fit_accuracy.npy", np.array(h.history["accuracy"]))
for i, w in enumerate(model.weights):
    np.save(f"addition.after{i}.npy", np.asarray(w.numpy(), dtype="float32"))
print("written")
