# Writes the Keras 3.15.1 fixture of RMSNormalization over axes other than the last
# (KerasWritten3151Test), on the TensorFlow backend. Run in this folder with
#   KERAS_BACKEND=tensorflow python make_normalization_axes.py
# Keras multiplies by the scale with NumPy broadcasting, against the input's last axes: axis=1 of a
# (4, 4) sample scales along axis 2, and axis=[-1, 1] keeps its (4, 4) scale in that order.
# As make_models.py (NAME.keras, NAME.x0.npy, NAME.y.npy), listed in manifest-normalization-axes.txt.
import keras, numpy as np
from keras import layers as L

rng = np.random.default_rng(29)


def f32(*shape):
    return rng.standard_normal(shape).astype("float32")


x = keras.Input((4, 4))
over1 = L.RMSNormalization(axis=1, epsilon=0.01)
both = L.RMSNormalization(axis=[-1, 1])
model = keras.Model(x, L.Concatenate()([over1(x), both(x)]))
over1.scale.assign(f32(4))
both.scale.assign(f32(4, 4))
xs = f32(2, 4, 4)
model.save("rms_axes.keras")
np.save("rms_axes.x0.npy", xs)
np.save("rms_axes.y.npy", np.asarray(model.predict(xs, verbose=0)).astype("float64"))
with open("manifest-normalization-axes.txt", "w") as mf:
    mf.write("rms_axes 1\n")
