# Writes the Keras 3.15.1 fixtures of the adaptive poolings (KerasWritten3151Test): run in this
# folder with
#   KERAS_BACKEND=jax python make_adaptive.py
# As make_models.py (NAME.keras, NAME.x0.npy, NAME.y.npy), listed in manifest-adaptive.txt.
import keras, numpy as np
from keras import layers as L

rng = np.random.default_rng(9)
models = {}


def add(name, build, x):
    keras.utils.set_random_seed(len(models) + 201)
    models[name] = (build(), [x])


# 10 steps to 4 (windows of 3 overlapping), then 4 to 3 (windows of 2), then 3 to 5 (steps repeated).
# (3 to 7 is left out: Keras 3.15.1 on JAX gives NaN for the last window there, its TensorFlow backend
# and rnn4j the last step; AdaptivePooling1DTest checks such sizes against float64 pooling.)
add("adaptive_pooling", lambda: keras.Sequential([keras.Input((10, 3)), L.Conv1D(4, 3, padding="same"),
                                                  L.AdaptiveAveragePooling1D(4), L.AdaptiveMaxPooling1D(3),
                                                  L.AdaptiveAveragePooling1D(5), L.LSTM(2)]),
    rng.standard_normal((2, 10, 3)).astype("float32"))
add("adaptive_max_up", lambda: keras.Sequential([keras.Input((5, 2)), L.AdaptiveMaxPooling1D(8), L.Flatten()]),
    rng.standard_normal((2, 5, 2)).astype("float32"))

with open("manifest-adaptive.txt", "w") as mf:
    for name, (m, xs) in models.items():
        m.save(name + ".keras")
        np.save(f"{name}.x0.npy", xs[0])
        np.save(name + ".y.npy", np.asarray(m.predict(xs[0], verbose=0)).astype("float64"))
        mf.write(f"{name} 1\n")
