# Writes the Keras 3.15.1 fixtures of KerasModel.fitText / evaluateText (TextFrontKerasWrittenTest):
# models whose string input goes straight into a TextVectorization or a StringLookup, trained one
# SGD epoch by Keras's model.fit on the raw strings. Run in this folder with TensorFlow installed
# (the string ops are TensorFlow's whatever the backend) as
#   KERAS_BACKEND=tensorflow python make_textfront.py
# textfront.json: the texts and labels, and per model its predict output before the epoch, the
# epoch's loss, evaluate's loss after it, and predict's output after it (floats of Keras's float32).
# textfront_NAME.keras: the model before the epoch (uncompiled).
import json
import keras, numpy as np
from keras import layers as L

texts = ["the cat sat on the mat", "a dog ran far away from the cat", "the dog", "cats and dogs and birds",
         "bad movie, really bad", "good film; a very good film", "the mat is bad", "a good dog",
         "unseen quokka words", "", "THE CAT!", "dogs dogs dogs dogs dogs dogs dogs dogs"]
labels = np.array([1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0], dtype="float32")[:, None]
# Keras's fit and predict take strings as a 1-d object array (a str array is refused: "Invalid dtype: str...")
x = np.array(texts, dtype=object)
out = {"texts": texts, "labels": labels.ravel().tolist()}


def model(name, front, layers):
    keras.utils.set_random_seed(11)
    m = keras.Sequential([keras.Input(shape=(1,), dtype="string"), front] + layers, name=name)
    m.save(f"textfront_{name}.keras")
    y = m.predict(x, verbose=0)
    m.compile(keras.optimizers.SGD(0.5), "mse")
    h = m.fit(x, labels, batch_size=4, epochs=1, shuffle=False, verbose=0)
    out[name] = {"y": y.astype("float64").ravel().tolist(), "fit_loss": h.history["loss"][0],
                 "eval_loss": m.evaluate(x, labels, batch_size=32, verbose=0),
                 "y_after": m.predict(x, verbose=0).astype("float64").ravel().tolist()}


tv = L.TextVectorization(max_tokens=16, output_sequence_length=6)
tv.adapt(texts)
model("seq_lstm", tv, [L.Embedding(16, 4, mask_zero=True), L.LSTM(3), L.Dense(1)])
tfidf = L.TextVectorization(max_tokens=12, output_mode="tf_idf")
tfidf.adapt(texts)
model("seq_tf_idf", tfidf, [L.Dense(3, activation="tanh"), L.Dense(1)])
# one token per row: the first word of each text, "none" for the empty one (a vocabulary whose last
# token is "" ends its vocabulary.txt in an empty line, which reading the asset drops)
first = [t.split(" ")[0] or "none" for t in texts]
lookup = L.StringLookup(output_mode="one_hot")
lookup.adapt(first)
keras.utils.set_random_seed(11)
tokens = np.array(first, dtype=object)
m = keras.Sequential([keras.Input(shape=(1,), dtype="string"), lookup, L.Dense(2, activation="relu"), L.Dense(1)],
                     name="seq_lookup")
m.save("textfront_seq_lookup.keras")
y = m.predict(tokens, verbose=0)
m.compile(keras.optimizers.SGD(0.5), "mse")
h = m.fit(tokens, labels, batch_size=4, epochs=1, shuffle=False, verbose=0)
out["seq_lookup"] = {"y": y.astype("float64").ravel().tolist(), "fit_loss": h.history["loss"][0],
                     "eval_loss": m.evaluate(tokens, labels, batch_size=32, verbose=0),
                     "y_after": m.predict(tokens, verbose=0).astype("float64").ravel().tolist()}
with open("textfront.json", "w") as f:
    json.dump(out, f, indent=1)
