# Writes the Keras 3.15.1 fixtures of data_format="channels_first" in the 1D convolutions and poolings
# and Flatten (KerasWritten3151Test): run in this folder with
#   KERAS_BACKEND=jax python make_channels_first.py
# As make_models.py (NAME.keras, NAME.x0.npy, NAME.y.npy), listed in manifest-channels-first.txt; plus
# cf_trained.fit_x/fit_y.npy and cf_trained.y_after.npy, its predictions after one epoch of SGD.
import keras, numpy as np
from keras import layers as L

rng = np.random.default_rng(11)
CF = "channels_first"
models = {}


def f32(*shape):
    return rng.standard_normal(shape).astype("float32")


def add(name, build, x):
    keras.utils.set_random_seed(len(models) + 301)
    models[name] = (build(), [x])


# (batch, channels, steps) through every 1D layer that takes data_format, shapes changing on both axes.
def stack():
    return keras.Sequential([
        keras.Input((3, 12)),
        L.Conv1D(4, 3, padding="same", activation="tanh", data_format=CF),
        L.MaxPooling1D(2, data_format=CF),
        L.Conv1DTranspose(3, 3, strides=2, padding="same", data_format=CF),
        L.AveragePooling1D(3, strides=2, padding="same", data_format=CF),
        L.SeparableConv1D(5, 3, depth_multiplier=2, padding="valid", activation="relu", data_format=CF),
        L.DepthwiseConv1D(2, depth_multiplier=2, data_format=CF),
        L.AdaptiveMaxPooling1D(3, data_format=CF),
        L.AdaptiveAveragePooling1D(2, data_format=CF),
    ])


add("cf_stack", stack, f32(2, 3, 12))
# Strides, dilation and groups in channels_first, then a recurrent layer over the permuted result.
add("cf_conv_lstm", lambda: keras.Sequential([
    keras.Input((4, 15)),
    L.Conv1D(6, 3, strides=2, groups=2, data_format=CF),
    L.Conv1D(4, 2, dilation_rate=2, padding="causal", data_format=CF),
    L.Permute((2, 1)),
    L.LSTM(3)]), f32(2, 4, 15))


def trained():
    m = keras.Sequential([keras.Input((3, 10)),
                          L.Conv1D(4, 3, padding="same", activation="tanh", data_format=CF),
                          L.AveragePooling1D(2, data_format=CF),
                          L.SeparableConv1D(2, 2, data_format=CF),
                          L.GlobalMaxPooling1D(data_format=CF),
                          L.Dense(1)])
    m.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    return m


add("cf_trained", trained, f32(2, 3, 10))
# Flatten(channels_first) moves the channels last before flattening; a rank-4 input too.
add("cf_flatten", lambda: keras.Sequential([keras.Input((3, 5)), L.Conv1D(2, 2, data_format=CF),
                                            L.Flatten(data_format=CF), L.Dense(3)]), f32(2, 3, 5))
add("cf_flatten4", lambda: keras.Sequential([keras.Input((2, 3, 4)), L.Flatten(data_format=CF)]),
    f32(2, 2, 3, 4))

with open("manifest-channels-first.txt", "w") as mf:
    for name, (m, xs) in models.items():
        m.save(name + ".keras")
        np.save(f"{name}.x0.npy", xs[0])
        np.save(name + ".y.npy", np.asarray(m.predict(xs[0], verbose=0)).astype("float64"))
        mf.write(f"{name} 1\n")

m, (xt,) = models["cf_trained"]
fx = f32(8, 3, 10)
fy = np.tanh(fx.sum(axis=(1, 2)))[:, None].astype("float32")
np.save("cf_trained.fit_x.npy", fx)
np.save("cf_trained.fit_y.npy", fy)
m.fit(fx, fy, batch_size=4, epochs=1, shuffle=False, verbose=0)
np.save("cf_trained.y_after.npy", np.asarray(m.predict(xt, verbose=0)).astype("float64"))
