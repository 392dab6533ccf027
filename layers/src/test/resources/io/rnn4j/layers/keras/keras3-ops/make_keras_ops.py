import keras, json, zipfile, numpy as np
from keras import layers, ops
keras.utils.set_random_seed(7)
a = keras.Input(shape=(5, 3), name="a")
tok = keras.Input(shape=(6,), name="tok")
d = layers.Dense(3, name=None)(a)
x = 1 - d * 0.5
x = 2 / (ops.relu(x) + 1)
x = x / 3
x = ops.tanh(x + a)
sm = ops.softmax(x, axis=1)
mx = ops.max(sm, axis=1, initial=0.25)
mn = ops.min(x, axis=[1, 2], keepdims=True)
mn = ops.expand_dims(ops.squeeze(mn), 1)
mm = ops.matmul(ops.transpose(x, (0, 2, 1)), x)
r = ops.reshape(mm, (-1, 9))
me = ops.mean(x, axis=-2)
su = ops.sum(-x, axis=1)
cat = ops.concatenate([mx, r, me, su], axis=-1)
cat = ops.concatenate([cat, ops.expand_dims(mn, -1) * ops.ones((1, 1))], axis=1) if False else cat
e = layers.Embedding(10, 3, mask_zero=True)(tok)
e = e * 1.0
l = layers.LSTM(4)(e)

both = layers.Concatenate()([cat, l, mn])
out = layers.Dense(2)(both)
m = keras.Model([a, tok], out)
m.save("keras_ops.keras")
rng = np.random.default_rng(3)
xa = rng.standard_normal((4, 5, 3)).astype("float32")
xt = np.array([[1,2,3,0,0,0],[4,5,0,0,0,0],[0,0,0,0,0,0],[9,8,7,6,5,4]], dtype="int32")
y = np.asarray(m.predict([xa, xt], verbose=0))
np.save("x_a.npy", xa); np.save("x_tok.npy", xt.astype("float32")); np.save("y.npy", y.astype("float64"))
print(y)
print([ (o.name, type(o).__name__) for o in m.operations])
c = json.loads(zipfile.ZipFile("keras_ops.keras").read("config.json"))
import h5py
f = h5py.File(zipfile.ZipFile("keras_ops.keras").open("model.weights.h5"))
f.visit(lambda n: print(n) if n.count("/")==1 else None)
