# Writes initial_state_build.keras (InitialStateBuildConfigTest): a functional model whose SimpleRNN,
# GRU, LSTM, Bidirectional(LSTM) and ConvLSTM2D are called with initial_state (a list each), so that
# Keras 3 records their build_config as shapes_dict {sequences_shape, initial_state_shape}
# (Layer._build_shapes_dict for RNN.build(sequences_shape, initial_state_shape)); its inputs
# initial_state_build.x<i>.npy and predictions initial_state_build.y<i>.npy (float64). Fixed seeds.
#   python make_initial_state_build.py      (Keras 3.15.1; TensorFlow or JAX backend)
import keras, numpy as np
from keras import layers as L

keras.utils.set_random_seed(733)
rng = np.random.default_rng(733)
seq = keras.Input((4, 3), name="seq")
h = keras.Input((5,), name="h")
c = keras.Input((5,), name="c")
frames = keras.Input((3, 5, 4, 2), name="frames")
fh = keras.Input((5, 4, 3), name="fh")
outputs = [
    L.SimpleRNN(5)(seq, initial_state=[h]),
    L.GRU(5, return_sequences=True)(seq, initial_state=[h]),
    L.LSTM(5)(seq, initial_state=[h, c]),
    L.Bidirectional(L.LSTM(5))(seq, initial_state=[h, c, c, h]),
]
y, fh1, fc1 = L.ConvLSTM2D(3, 3, padding="same", return_state=True)(frames, initial_state=[fh, fh])
outputs += [y, fc1]
m = keras.Model([seq, h, c, frames, fh], outputs)
for w in m.weights:
    w.assign(rng.uniform(-0.5, 0.5, w.shape).astype("float32"))
m.save("initial_state_build.keras")
xs = [rng.standard_normal((2,) + tuple(i.shape[1:])).astype("float32") for i in m.inputs]
for i, x in enumerate(xs):
    np.save(f"initial_state_build.x{i}.npy", x)
for i, out in enumerate(m.predict(xs, verbose=0)):
    np.save(f"initial_state_build.y{i}.npy", np.asarray(out).astype("float64"))
