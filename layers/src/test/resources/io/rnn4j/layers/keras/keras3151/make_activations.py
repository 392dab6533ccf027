# Writes the Keras 3.15.1 fixtures of the activations Keras 3 added (KerasWritten3151Test): run in
# this folder with
#   KERAS_BACKEND=jax python make_activations.py
# As make_models.py (NAME.keras, NAME.x0.npy, NAME.y.npy), listed in manifest-activations.txt; plus
# act_trained.fit_x/fit_y.npy and act_trained.y_after.npy, its predictions after one epoch of SGD.
import keras, numpy as np
from keras import layers as L

rng = np.random.default_rng(7)
NAMES = ["relu6", "leaky_relu", "gelu", "mish", "hard_silu", "hard_swish", "celu", "hard_tanh", "log_sigmoid",
         "tanh_shrink", "soft_shrink", "hard_shrink", "squareplus", "sparse_plus", "sparse_sigmoid", "log_softmax"]
models = {}


def f32(*shape, scale=1.0):
    return (scale * rng.standard_normal(shape)).astype("float32")


def add(name, build, *xs):
    keras.utils.set_random_seed(len(models) + 101)
    models[name] = (build(), list(xs))


def branches():
    # One Dense per activation on the same input, wide enough in value (x ~ 3·N(0, 1)) to reach every
    # piece of the piecewise ones.
    x = keras.Input((5,))
    return keras.Model(x, L.Concatenate()([L.Dense(4, activation=n, name="d_" + n)(x) for n in NAMES]))


add("act_dense", branches, f32(4, 5, scale=3.0))
add("act_layers", lambda: keras.Sequential([keras.Input((6,)), L.Activation("gelu"), L.Dense(6), L.Activation("hard_swish"),
                                            L.Activation("squareplus"), L.Dense(5), L.Activation("log_softmax")]),
    f32(3, 6, scale=2.0))
add("act_recurrent", lambda: keras.Sequential([keras.Input((5, 3)),
                                               L.LSTM(4, activation="mish", recurrent_activation="hard_silu", return_sequences=True),
                                               L.GRU(3, activation="gelu", recurrent_activation="sparse_sigmoid", return_sequences=True),
                                               L.SimpleRNN(3, activation="relu6", return_sequences=True),
                                               L.Bidirectional(L.LSTM(2, activation="celu", recurrent_activation="log_sigmoid")),
                                               L.Dense(3, activation="tanh_shrink")]),
    f32(2, 5, 3, scale=2.0))
add("act_conv", lambda: keras.Sequential([keras.Input((6, 3)), L.Conv1D(4, 3, activation="leaky_relu", padding="same"),
                                          L.Conv1D(3, 2, activation="soft_shrink"), L.Dense(2, activation="hard_tanh")]),
    f32(2, 6, 3, scale=2.0))


def trained():
    x = keras.Input((5,))
    h = L.Dense(6, activation="gelu")(x)
    h = L.Dense(6, activation="mish")(h)
    h = L.Dense(6, activation="squareplus")(h)
    h = L.Dense(6, activation="log_sigmoid")(h)
    h = L.Dense(6, activation="hard_silu")(h)
    m = keras.Model(x, L.Dense(1, activation="tanh_shrink")(h))
    m.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    return m


add("act_trained", trained, f32(2, 5))

with open("manifest-activations.txt", "w") as mf:
    for name, (m, xs) in models.items():
        m.save(name + ".keras")
        for i, x in enumerate(xs):
            np.save(f"{name}.x{i}.npy", x)
        np.save(name + ".y.npy", np.asarray(m.predict(xs[0], verbose=0)).astype("float64"))
        mf.write(f"{name} {len(xs)}\n")

m, (xt,) = models["act_trained"]
fx = f32(8, 5, scale=2.0)
fy = np.tanh(fx.sum(axis=1, keepdims=True))
np.save("act_trained.fit_x.npy", fx)
np.save("act_trained.fit_y.npy", fy.astype("float32"))
m.fit(fx, fy, batch_size=4, epochs=1, shuffle=False, verbose=0)
np.save("act_trained.y_after.npy", np.asarray(m.predict(xt, verbose=0)).astype("float64"))
