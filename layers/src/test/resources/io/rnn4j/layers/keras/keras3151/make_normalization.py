# Writes the Keras 3.15.1 fixtures of RMSNormalization and UnitNormalization (KerasWritten3151Test),
# on the TensorFlow backend. Run in this folder with
#   KERAS_BACKEND=tensorflow python make_normalization.py
# As make_models.py (NAME.keras, NAME.x0.npy, NAME.y.npy), listed in manifest-normalization.txt; plus
# norm_trained.fit_x/fit_y.npy and norm_trained.y_after.npy, its predictions after one epoch of SGD.
import keras, numpy as np
from keras import layers as L

rng = np.random.default_rng(17)
models = {}


def f32(*shape, scale=1.0):
    return (scale * rng.standard_normal(shape)).astype("float32")


def add(name, build, x):
    keras.utils.set_random_seed(len(models) + 501)
    models[name] = (build(), [x])


def with_scale(layer, values):
    layer.scale.assign(values)
    return layer


def rms_and_unit():
    x = keras.Input((5, 6))
    a = L.RMSNormalization()(L.Dense(6)(x))
    r = L.RMSNormalization(axis=[1, 2], epsilon=0.25)
    b = r(x)
    r.scale.assign(f32(5, 6))
    c = L.UnitNormalization()(x)
    d = L.UnitNormalization(axis=[1, 2])(L.Dense(3)(x))
    return keras.Model(x, L.Concatenate()([a, b, c, L.Dense(6)(d)]))


add("rms_unit", rms_and_unit, f32(3, 5, 6, scale=2.0))
# A zero sample: UnitNormalization keeps it zero (the inverse norm is capped at 1e12).
add("unit_zero", lambda: keras.Sequential([keras.Input((4,)), L.UnitNormalization()]),
    np.array([[0, 0, 0, 0], [1, -2, 2, 0], [1e-7, 0, 0, 0]], dtype="float32"))
# The mask passes UnitNormalization on to the LSTM; RMSNormalization drops it (Keras warns).
add("unit_masked", lambda: keras.Sequential([keras.Input((5,)), L.Embedding(9, 4, mask_zero=True),
                                             L.UnitNormalization(), L.LSTM(3)]),
    np.array([[1, 2, 0, 0, 0], [3, 4, 5, 6, 0]], dtype="float32"))


def trained():
    m = keras.Sequential([keras.Input((4, 3)), L.LSTM(5, return_sequences=True), L.RMSNormalization(),
                          L.GRU(4), L.UnitNormalization(), L.Dense(1)])
    m.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    return m


add("norm_trained", trained, f32(2, 4, 3))

with open("manifest-normalization.txt", "w") as mf:
    for name, (m, xs) in models.items():
        m.save(name + ".keras")
        np.save(f"{name}.x0.npy", xs[0])
        np.save(name + ".y.npy", np.asarray(m.predict(xs[0], verbose=0)).astype("float64"))
        mf.write(f"{name} 1\n")

m, (xt,) = models["norm_trained"]
fx = f32(8, 4, 3)
fy = np.tanh(fx.sum(axis=(1, 2)))[:, None].astype("float32")
np.save("norm_trained.fit_x.npy", fx)
np.save("norm_trained.fit_y.npy", fy)
m.fit(fx, fy, batch_size=4, epochs=1, shuffle=False, verbose=0)
np.save("norm_trained.y_after.npy", np.asarray(m.predict(xt, verbose=0)).astype("float64"))
