# Writes the Keras 3.15.1 fixtures of ExplicitMaskKerasTest (layers/src/test/java/io/rnn4j/layers/keras/), on the
# TensorFlow backend. Run in this folder with
#   KERAS_BACKEND=tensorflow python make_explicit_mask.py
# Keras's explicit layer(x, mask=m) in the functional API, with a float mask input holding 0, 1 and 0.5 (Keras's
# RNNs, TimeDistributed and GlobalAveragePooling1D cast it to bool):
#   emask.keras   x (5, 3), m (5,) -> LSTM(3, return_sequences)(x, mask=m) -> GlobalAveragePooling1D (the LSTM's
#                 output carries m), SimpleRNN(2, go_backwards)(x, mask=m), Bidirectional(LSTM(2))(x, mask=m),
#                 TimeDistributed(Dense(2))(x, mask=m) -> GlobalAveragePooling1D, GlobalAveragePooling1D()(x, mask=m),
#                 concatenated -> Dense(2); emask.x0.npy, emask.x1.npy (the mask, with 0.5s), emask.y.npy
#   emaskops.keras  the same x and a float input m: GRU(3)(x, mask=ops.greater(m, 0.25)) and
#                 GRU(2)(x, mask=ops.not_equal(m, 0)), concatenated; emaskops.y.npy on emask's inputs
#   emaskloss.keras x, m -> GRU(3, return_sequences)(x, mask=m) -> Dense(1): the output carries m, so Keras weights
#                 the loss by it; mask of 0/1 only (emaskloss.x1.npy), targets emaskloss.t.npy (4, 5, 1);
#                 emaskloss.y.npy its predictions, emaskloss.eval.npy evaluate()'s mse loss, emaskloss.after<i>.npy
#                 every weight after fit(batch_size=2, epochs=1, shuffle=False) with SGD(0.1)
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np
import keras
from keras import layers, ops

keras.utils.set_random_seed(7)
rng = np.random.default_rng(7)
T, F = 5, 3
x_v = rng.normal(size=(4, T, F)).astype("float32")
m_v = np.array([[1, 1, 0.5, 0, 0], [0.5, 1, 1, 1, 1], [0, 1, 0, 1, 0], [1, 0, 0, 0, 0]], dtype="float32")

x = keras.Input((T, F), name="x")
m = keras.Input((T,), name="m")
a = layers.GlobalAveragePooling1D()(layers.LSTM(3, return_sequences=True)(x, mask=m))
b = layers.SimpleRNN(2, go_backwards=True)(x, mask=m)
c = layers.Bidirectional(layers.LSTM(2))(x, mask=m)
d = layers.GlobalAveragePooling1D()(layers.TimeDistributed(layers.Dense(2))(x, mask=m))
e = layers.GlobalAveragePooling1D()(x, mask=m)
model = keras.Model([x, m], layers.Dense(2)(layers.Concatenate()([a, b, c, d, e])))
model.save("emask.keras")
np.save("emask.x0.npy", x_v)
np.save("emask.x1.npy", m_v)
np.save("emask.y.npy", model.predict([x_v, m_v], verbose=0))

x = keras.Input((T, F), name="x")
m = keras.Input((T,), name="m")
g1 = layers.GRU(3)(x, mask=ops.greater(m, 0.25))
g2 = layers.GRU(2)(x, mask=ops.not_equal(m, 0))
model = keras.Model([x, m], layers.Concatenate()([g1, g2]))
model.save("emaskops.keras")
np.save("emaskops.y.npy", model.predict([x_v, m_v], verbose=0))

x = keras.Input((T, F), name="x")
m = keras.Input((T,), name="m")
model = keras.Model([x, m], layers.Dense(1)(layers.GRU(3, return_sequences=True)(x, mask=m)))
model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
model.save("emaskloss.keras")
m01 = (m_v != 0).astype("float32")
t_v = rng.normal(size=(4, T, 1)).astype("float32")
np.save("emaskloss.x1.npy", m01)
np.save("emaskloss.t.npy", t_v)
np.save("emaskloss.y.npy", model.predict([x_v, m01], verbose=0))
np.save("emaskloss.eval.npy", np.array([model.evaluate([x_v, m01], t_v, batch_size=4, verbose=0)], "float32"))
model.fit([x_v, m01], t_v, batch_size=2, epochs=1, shuffle=False, verbose=0)
for i, w in enumerate(model.weights):
    np.save("emaskloss.after%d.npy" % i, np.asarray(w))
