# Keras 3.15.1 (TensorFlow backend) fixtures for keras.ops.any / all / split used directly in a functional
# model (not only as Masking's mask). Run from this folder: python make_ops_any_split.py
#   opsanysplit  Input (6, 4) x -> Dense(4) d; outputs
#                  y0 = d * any(x, axis=-1, keepdims=True)         (a bool beside a float)
#                  y1 = cast(all(x, axis=1), float32)              (None, 4)
#                  y2 = s[0] + s[2], s = split(d, 3, axis=1)       (None, 2, 4)
#                  y3 = t[1], t = split(d, [1, 3], axis=-1)        (None, 6, 2)
#                  y4 = t[2] * cast(u[1], float32), u = split(any(x, -1, keepdims=True), [2], axis=1)[1]
#                       ... (None, 4, 1): a split of a bool
#                .keras, x0 (5, 6, 4) with rows and columns of zeros, y0..y4
# Seeded throughout.
import os
import zipfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np
import keras
from keras import layers, ops

keras.utils.set_random_seed(20260519)
rng = np.random.default_rng(20260519)


def save_keras(model, path):
    # entries rewritten deflated (Keras stores them uncompressed; both read either)
    model.save(path)
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for i, data in entries:
            z.writestr(i.filename, data)


x = keras.Input(shape=(6, 4), name="x")
d = layers.Dense(4)(x)
a = ops.any(x, axis=-1, keepdims=True)
y0 = d * a
y1 = ops.cast(ops.all(x, axis=1), "float32")
s = ops.split(d, 3, axis=1)
y2 = s[0] + s[2]
t = ops.split(d, [1, 3], axis=-1)
y3 = t[1]
u = ops.split(a, [2], axis=1)
y4 = t[2][:, 2:, :] * ops.cast(u[1], "float32")
model = keras.Model(x, [y0, y1, y2, y3, y4], name="ops_any_split")
save_keras(model, "opsanysplit.keras")

x0 = rng.normal(size=(5, 6, 4)).astype("float32")
x0[0, 2, :] = 0  # any false at a step
x0[1, :, 1] = 0  # all false over a column
x0[2, 4, :] = 0
x0[3, :, 3] = 0
x0[:, 1, 2] = 0  # all false in column 2 for every sample
ys = model.predict(x0, verbose=0)
np.save("opsanysplit.x0.npy", x0)
for i, y in enumerate(ys):
    np.save(f"opsanysplit.y{i}.npy", np.asarray(y, dtype="float32"))
