# Writes the Keras 3.15.1 fixture of the adaptive poolings where the JAX backend gives NaN (3 steps to
# 7: make_adaptive.py leaves it out), on the TensorFlow backend, whose values rnn4j computes
# (KerasWritten3151Test). Run in this folder with TensorFlow installed:
#   KERAS_BACKEND=tensorflow python make_adaptive_tf.py
# As make_models.py (NAME.keras, NAME.x0.npy, NAME.y.npy), listed in manifest-adaptive-tf.txt.
import keras, numpy as np
from keras import layers as L

assert keras.backend.backend() == "tensorflow"
rng = np.random.default_rng(13)
keras.utils.set_random_seed(401)
m = keras.Sequential([keras.Input((3, 2)), L.Identity(),
                      L.AdaptiveAveragePooling1D(7)])
x = rng.standard_normal((2, 3, 2)).astype("float32")
models = {"adaptive_avg_3to7_tf": (m, x)}
x2 = keras.Input((3, 2))
mx = keras.Model(x2, L.Concatenate(axis=1)([L.AdaptiveMaxPooling1D(7)(x2), L.AdaptiveAveragePooling1D(5)(x2)]))
models["adaptive_3to7_5_tf"] = (mx, rng.standard_normal((2, 3, 2)).astype("float32"))

with open("manifest-adaptive-tf.txt", "w") as mf:
    for name, (model, xs) in models.items():
        y = np.asarray(model.predict(xs, verbose=0))
        assert np.isfinite(y).all(), name
        model.save(name + ".keras")
        np.save(f"{name}.x0.npy", xs)
        np.save(name + ".y.npy", y.astype("float64"))
        mf.write(f"{name} 1\n")
