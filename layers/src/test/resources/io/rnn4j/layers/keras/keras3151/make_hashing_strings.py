# Writes the Keras 3.15.1 fixtures of HashingStringInputTest: models whose string input goes straight
# into a Hashing (rnn4j's text front, as for a StringLookup). Run in this folder with TensorFlow 2.21
# installed (Hashing runs TensorFlow's string hash kernels) as
#   KERAS_BACKEND=tensorflow python make_hashing_strings.py
# hstr_rows.keras: Input((4,), string) -> Hashing(16, mask_value="", salt=[5, 6]) -> Embedding(mask_zero)
#   -> GRU -> Dense, compiled with SGD(0.1) and mse; hstr_rows.y.npy its predictions on hstr_rows.json's
#   "rows", hstr_rows.y_after.npy after one epoch of fit(fit_rows, fit_y.npy, batch_size=4, shuffle=False).
# hstr_one_hot.keras: a functional Input((1,), string) -> Hashing(6, one_hot) feeding two Dense layers,
#   hstr_one_hot.y0/y1.npy its two outputs on hstr_rows.json's "words" (one token per row).
import json
import keras, numpy as np
import tensorflow as tf
from keras import layers as L

rows = [["red", "", "blue", "é"], ["日本語", "red", "red", ""], ["naïve café 😀", "x", "", ""]]
fit_rows = [["a", "b", "c", "d"], ["b", "", "", ""], ["red", "green", "", "x"], ["é", "é", "b", "a"],
            ["", "", "", ""], ["q", "r", "s", "t"], ["red", "", "blue", "é"], ["z", "zz", "zzz", ""]]
words = ["red", "", "blue", "日本語", "a much longer token"]
keras.utils.set_random_seed(91)
m = keras.Sequential([keras.Input((4,), dtype="string"), L.Hashing(16, mask_value="", salt=[5, 6]),
                      L.Embedding(16, 4, mask_zero=True), L.GRU(3), L.Dense(2)])
m.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
m.save("hstr_rows.keras")
np.save("hstr_rows.y.npy", np.asarray(m.predict(tf.constant(rows), verbose=0)).astype("float64"))
fy = np.random.default_rng(91).standard_normal((8, 2)).astype("float32")
np.save("hstr_rows.fit_y.npy", fy)
m.fit(tf.constant(fit_rows), fy, batch_size=4, epochs=1, shuffle=False, verbose=0)
np.save("hstr_rows.y_after.npy", np.asarray(m.predict(tf.constant(rows), verbose=0)).astype("float64"))

keras.utils.set_random_seed(92)
s = keras.Input((1,), dtype="string")
h = L.Hashing(6, output_mode="one_hot")(s)
f = keras.Model(s, [L.Dense(2)(h), L.Dense(3, activation="tanh")(h)])
f.save("hstr_one_hot.keras")
for i, y in enumerate(f.predict(tf.constant([[w] for w in words]), verbose=0)):
    np.save(f"hstr_one_hot.y{i}.npy", np.asarray(y).astype("float64"))
with open("hstr_rows.json", "w") as fh:
    json.dump({"rows": rows, "fit_rows": fit_rows, "words": words}, fh, ensure_ascii=False)
