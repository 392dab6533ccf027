# Writes the Keras 3.15.1 activity_regularizer fixtures of ActivityRegularizerFilesTest: run in this folder with
# (TensorFlow backend, CPU)
#   python make_activity_reg.py
# For each NAME: NAME.keras (compiled with SGD(0.1) and mse, before any training), its input NAME.x0.npy, Keras's
# predict output NAME.y.npy, the fit data NAME.fit_x.npy / NAME.fit_y.npy (10 samples: batches of 4, 4 and 2),
# evaluate's loss on it with batch_size=4 NAME.loss.npy (activity losses included), then fit(batch_size=4,
# shuffle=False) for one epoch (three SGD steps): its logged loss NAME.fit_loss.npy and every weight as
# NAME.after<i>.npy in model.weights order; listed in manifest-activity-reg.txt as "NAME weights". All float64.
# Fixed seeds.
import keras, numpy as np
from keras import layers as L
from keras import regularizers as R

rng = np.random.default_rng(29)
models = {}


def add(name, build, x_shape, y_shape):
    keras.utils.set_random_seed(len(models) + 701)
    m = build()
    for w in m.weights:  # random biases too, so that every weight matters
        w.assign(rng.uniform(-0.5, 0.5, w.shape).astype("float32"))
    m.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    models[name] = (m, rng.standard_normal(x_shape).astype("float32"),
                    rng.standard_normal((10,) + x_shape[1:]).astype("float32"),
                    rng.standard_normal((10,) + y_shape).astype("float32"))


# Dense and LSTM layers with every kind of activity regularizer (L1, L2, L1L2, the "l2" shortcut).
add("actreg_dense_lstm",
    lambda: keras.Sequential([keras.Input((5, 3)),
                              L.LSTM(4, return_sequences=True, activity_regularizer=R.L1L2(l1=0.01, l2=0.02)),
                              L.Dense(3, activation="tanh", activity_regularizer=R.L2(0.05)),
                              L.LSTM(2, activity_regularizer=R.L1(0.03)),
                              L.Dense(1, activity_regularizer="l2")]),
    (6, 5, 3), (1,))

# A Bidirectional LSTM whose layer carries the regularizer (each direction adds its own), then a Dense.
add("actreg_bidirectional",
    lambda: keras.Sequential([keras.Input((4, 3)),
                              L.Bidirectional(L.LSTM(3, return_sequences=True,
                                                     activity_regularizer=R.L1L2(l1=0.02, l2=0.1))),
                              L.GlobalAveragePooling1D(),
                              L.Dense(2, activity_regularizer=R.L1(0.05))]),
    (6, 4, 3), (2,))

with open("manifest-activity-reg.txt", "w") as mf:
    for name, (m, x, fx, fy) in models.items():
        m.save(name + ".keras")
        np.save(f"{name}.x0.npy", x)
        np.save(f"{name}.y.npy", np.asarray(m.predict(x, verbose=0)).astype("float64"))
        np.save(f"{name}.fit_x.npy", fx)
        np.save(f"{name}.fit_y.npy", fy)
        np.save(f"{name}.loss.npy", np.array([m.evaluate(fx, fy, batch_size=4, verbose=0)], dtype="float64"))
        h = m.fit(fx, fy, batch_size=4, epochs=1, shuffle=False, verbose=0)
        np.save(f"{name}.fit_loss.npy", np.array(h.history["loss"], dtype="float64"))
        for i, w in enumerate(m.weights):
            np.save(f"{name}.after{i}.npy", np.asarray(w).astype("float64"))
        mf.write(f"{name} {len(m.weights)}\n")

# A legacy .h5 (model.save) of SpectralNormalization, GroupNormalization, ActivityRegularization and an LSTM with an
# activity regularizer: its weight_names list each layer's trainable weights then the others, the wrapped kernel
# once. Written as normreg_legacy.h5 with its input normreg_legacy.x0.npy and Keras's predict output
# normreg_legacy.y.npy.
keras.utils.set_random_seed(801)
legacy = keras.Sequential([keras.Input((4, 3)), L.SpectralNormalization(L.Dense(5)), L.GroupNormalization(groups=5),
                           L.ActivityRegularization(l1=0.1), L.LSTM(2, activity_regularizer="l1"), L.Dense(1)])
for w in legacy.weights:
    w.assign(rng.uniform(-0.5, 0.5, w.shape).astype("float32"))
legacy.save("normreg_legacy.h5")
lx = rng.standard_normal((3, 4, 3)).astype("float32")
np.save("normreg_legacy.x0.npy", lx)
np.save("normreg_legacy.y.npy", np.asarray(legacy.predict(lx, verbose=0)).astype("float64"))

# TimeDistributed(SpectralNormalization(Dense)): Keras's TimeDistributed calls the wrapper once per step, so a
# training step normalizes the kernel three times (three power-iteration updates). td_spectral.keras (compiled with
# SGD(0.1) and mse), the fit data td_spectral.fit_x.npy / td_spectral.fit_y.npy, and after fit(batch_size=4) (one
# step) every weight as td_spectral.after<i>.npy in model.weights order.
keras.utils.set_random_seed(802)
td = keras.Sequential([keras.Input((3, 2)), L.TimeDistributed(L.SpectralNormalization(L.Dense(3))), L.Flatten(),
                       L.Dense(1)])
for w in td.weights:
    w.assign(rng.uniform(-0.5, 0.5, w.shape).astype("float32"))
td.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
td.save("td_spectral.keras")
tx = rng.standard_normal((4, 3, 2)).astype("float32")
ty = rng.standard_normal((4, 1)).astype("float32")
np.save("td_spectral.fit_x.npy", tx)
np.save("td_spectral.fit_y.npy", ty)
td.fit(tx, ty, batch_size=4, epochs=1, shuffle=False, verbose=0)
for i, w in enumerate(td.weights):
    np.save(f"td_spectral.after{i}.npy", np.asarray(w).astype("float64"))
