# Writes the Keras 3.15.1 fixtures of ConvLstmMoreFilesTest: ConvLSTM2D with data_format="channels_first"
# and Bidirectional(ConvLSTM2D), TensorFlow backend (TF 2.21 runs these channels_first cases on the CPU):
#   python make_convlstm_more.py        (TF 2.21 + Keras 3.15.1, run in this folder)
# For each NAME in manifest-convlstm-more.txt ("NAME FILE OUTPUTS MASKED"): FILE (NAME.keras, or NAME.h5:
# Keras 3's legacy HDF5, model.save("x.h5")), random weights (biases too), its input NAME.x0.npy and
# Keras's outputs NAME.y<i>.npy (float64): predict(x), or with MASKED = 1 the model's one layer called as
# layer(x, mask=convlstm_more.mask.npy) (1 keeps a step). Then cf_convlstm2d_train.keras, a
# channels_first model compiled with SGD(0.1) and mse before any training, its data .fit_x/.fit_y.npy,
# and every weight after one epoch of fit(batch_size=4, shuffle=False) as .after<i>.npy. Fixed seeds.
import keras, numpy as np
from keras import layers as L

rng = np.random.default_rng(23)
cases = []


def randomized(m):
    for w in m.weights:
        w.assign(rng.uniform(-0.5, 0.5, w.shape).astype("float32"))
    return m


def add(name, model, x, masked=False, files=(".keras",)):
    for ext in files:
        cases.append((name, name + ext, model, x, masked))


# channels_first: input (batch, time, channels, rows, cols); outputs and states (batch, filters, rows', cols').
def cf_states():
    x = keras.Input((None, 2, 6, 5))
    y, h, c = L.ConvLSTM2D(2, (3, 2), strides=(2, 1), padding="same", data_format="channels_first",
                           return_sequences=True, return_state=True)(x)
    return randomized(keras.Model(x, [y, h, c]))


keras.utils.set_random_seed(601)
add("cf_convlstm2d_states", cf_states(), rng.standard_normal((2, 3, 2, 6, 5)).astype("float32"))

# Bidirectional(ConvLSTM2D) on a (batch, time) mask: sum of the sequences (backward reversed back).
mask = np.array([[1, 0, 1, 1], [1, 1, 0, 0], [0, 1, 1, 0]], dtype=bool)
np.save("convlstm_more.mask.npy", mask.astype("float32"))
xm = rng.standard_normal((3, 4, 5, 4, 2)).astype("float32")


def one_layer(layer, shape):
    x = keras.Input(shape)
    return randomized(keras.Model(x, layer(x)))


keras.utils.set_random_seed(602)
add("bidi_convlstm2d_sum", one_layer(L.Bidirectional(L.ConvLSTM2D(2, (2, 3), padding="same", return_sequences=True),
                                                     merge_mode="sum"), (4, 5, 4, 2)),
    xm, masked=True, files=(".keras", ".h5"))
# concat with return_state: output, forward h and c, backward h and c.
keras.utils.set_random_seed(603)
add("bidi_convlstm2d_concat_state",
    one_layer(L.Bidirectional(L.ConvLSTM2D(2, 2, strides=(2, 1), return_state=True)), (4, 5, 4, 2)),
    xm, masked=True, files=(".keras", ".h5"))
# channels_first inside Bidirectional: concat on the last axis (cols), as Keras concatenates; a given
# backward_layer (relu) and a Dense after it.
keras.utils.set_random_seed(604)
add("bidi_convlstm2d_cf_backward",
    randomized(keras.Sequential([keras.Input((3, 2, 5, 4)),
                                 L.Bidirectional(L.ConvLSTM2D(2, 3, padding="same", data_format="channels_first",
                                                              return_sequences=True),
                                                 backward_layer=L.ConvLSTM2D(2, 3, padding="same",
                                                                             data_format="channels_first",
                                                                             return_sequences=True,
                                                                             go_backwards=True, activation="relu")),
                                 L.Dense(3)])),
    rng.standard_normal((2, 3, 2, 5, 4)).astype("float32"))

with open("manifest-convlstm-more.txt", "w") as mf:
    for name, file, m, x, masked in cases:
        m.save(file)
        np.save(f"{name}.x0.npy", x)
        ys = m.layers[-1](x, mask=mask) if masked else m.predict(x, verbose=0)
        ys = list(ys) if isinstance(ys, (list, tuple)) else [ys]
        for i, y in enumerate(ys):
            np.save(f"{name}.y{i}.npy", np.asarray(y).astype("float64"))
        mf.write(f"{name} {file} {len(ys)} {int(masked)}\n")

# One epoch of SGD on a channels_first ConvLSTM2D -> Flatten -> Dense model: two steps of 4 samples.
keras.utils.set_random_seed(699)
m = keras.Sequential([keras.Input((3, 2, 5, 4)),
                      L.ConvLSTM2D(3, (3, 2), padding="same", strides=(2, 1), data_format="channels_first"),
                      L.Flatten(), L.Dense(1)])
m.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
fx = rng.standard_normal((8, 3, 2, 5, 4)).astype("float32")
fy = rng.standard_normal((8, 1)).astype("float32")
m.save("cf_convlstm2d_train.keras")
np.save("cf_convlstm2d_train.fit_x.npy", fx)
np.save("cf_convlstm2d_train.fit_y.npy", fy)
np.save("cf_convlstm2d_train.y0.npy", m.predict(fx, verbose=0).astype("float64"))
m.fit(fx, fy, batch_size=4, epochs=1, shuffle=False, verbose=0)
for i, w in enumerate(m.weights):
    np.save(f"cf_convlstm2d_train.after{i}.npy", np.asarray(w).astype("float64"))
