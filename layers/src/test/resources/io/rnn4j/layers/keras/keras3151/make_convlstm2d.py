# Writes the Keras 3.15.1 ConvLSTM2D / ConvLSTM3D fixtures of ConvLstm2DFilesTest: run in this folder with
#   KERAS_BACKEND=jax python make_convlstm2d.py
# For each NAME: NAME.keras, its input NAME.x0.npy and Keras's predict outputs NAME.y<i>.npy (float64),
# listed in manifest-convlstm2d.txt as "NAME outputs". Then convlstm2d_train.keras, a model compiled with
# SGD(0.1) and mse before any training, its data convlstm2d_train.fit_x.npy / fit_y.npy, one epoch of
# fit(batch_size=4, shuffle=False) (two SGD steps), and every weight after it as
# convlstm2d_train.after<i>.npy in model.weights order. Fixed seeds.
import keras, numpy as np
from keras import layers as L

rng = np.random.default_rng(17)
models = {}


def add(name, build, x):
    keras.utils.set_random_seed(len(models) + 401)
    models[name] = (build(), x)


def randomized(m):
    # Random biases too (Keras initializes them to zeros and ones), so that every weight matters.
    for w in m.weights:
        w.assign(rng.uniform(-0.5, 0.5, w.shape).astype("float32"))
    return m


# "valid" with strides (2, 1) and a (3, 2) kernel; the last h through Flatten and Dense.
add("convlstm2d_valid_strides",
    lambda: randomized(keras.Sequential([keras.Input((4, 7, 6, 2)),
                                         L.ConvLSTM2D(3, (3, 2), strides=(2, 1), padding="valid"),
                                         L.Flatten(), L.Dense(2)])),
    rng.standard_normal((2, 4, 7, 6, 2)).astype("float32"))


# "same" with dilation (2, 1), go_backwards, relu / hard_sigmoid, return_state: three outputs.
def same_dilation():
    x = keras.Input((None, 6, 5, 3))
    y, h, c = L.ConvLSTM2D(2, 3, padding="same", dilation_rate=(2, 1), go_backwards=True, activation="relu",
                           recurrent_activation="hard_sigmoid", return_state=True)(x)
    return randomized(keras.Model(x, [y, h, c]))


add("convlstm2d_same_dilation", same_dilation, rng.standard_normal((2, 5, 6, 5, 3)).astype("float32"))

# return_sequences into a second ConvLSTM2D (as Keras's next-frame example stacks them), no bias there.
add("convlstm2d_sequences",
    lambda: randomized(keras.Sequential([keras.Input((3, 5, 4, 2)),
                                         L.ConvLSTM2D(4, (2, 3), padding="same", return_sequences=True),
                                         L.ConvLSTM2D(2, 2, padding="valid", use_bias=False,
                                                      return_sequences=True),
                                         L.Flatten(), L.Dense(1)])),
    rng.standard_normal((2, 3, 5, 4, 2)).astype("float32"))

# ConvLSTM3D: "same" with strides (1, 2, 1) on (4, 5, 3) volumes.
add("convlstm3d_same_strides",
    lambda: randomized(keras.Sequential([keras.Input((3, 4, 5, 3, 2)),
                                         L.ConvLSTM3D(2, (2, 3, 2), strides=(1, 2, 1), padding="same"),
                                         L.Flatten(), L.Dense(2)])),
    rng.standard_normal((2, 3, 4, 5, 3, 2)).astype("float32"))

with open("manifest-convlstm2d.txt", "w") as mf:
    for name, (m, x) in models.items():
        m.save(name + ".keras")
        np.save(f"{name}.x0.npy", x)
        ys = m.predict(x, verbose=0)
        ys = ys if isinstance(ys, list) else [ys]
        for i, y in enumerate(ys):
            np.save(f"{name}.y{i}.npy", np.asarray(y).astype("float64"))
        mf.write(f"{name} {len(ys)}\n")

# One epoch of SGD on a ConvLSTM2D -> Flatten -> Dense model: two steps of 4 samples.
keras.utils.set_random_seed(499)
m = keras.Sequential([keras.Input((3, 5, 4, 2)), L.ConvLSTM2D(3, (3, 2), padding="same", strides=(2, 1)),
                      L.Flatten(), L.Dense(1)])
m.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
fx = rng.standard_normal((8, 3, 5, 4, 2)).astype("float32")
fy = rng.standard_normal((8, 1)).astype("float32")
m.save("convlstm2d_train.keras")
np.save("convlstm2d_train.fit_x.npy", fx)
np.save("convlstm2d_train.fit_y.npy", fy)
m.fit(fx, fy, batch_size=4, epochs=1, shuffle=False, verbose=0)
for i, w in enumerate(m.weights):
    np.save(f"convlstm2d_train.after{i}.npy", np.asarray(w).astype("float64"))
