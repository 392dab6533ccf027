# Writes the Keras 3.15.1 Lamb fixtures of KerasWrittenOptimizersTest: run in this folder with
#   KERAS_BACKEND=jax python make_lamb.py
# The same tiny model and data as make_optimizers.py (it reads that script's opt.fit_x.npy,
# opt.fit_y.npy and opt.x0.npy, and writes none of them): for each NAME a Dense(4, tanh) -> Dense(1)
# model compiled with Lamb, trained two epochs of fit(batch_size=4, shuffle=False), saved with its
# optimizer state as opt_NAME.keras, with opt_NAME.y.npy its predictions on opt.x0.npy; then one more
# epoch, and opt_NAME.y_after.npy its predictions after. manifest-lamb.txt lists the names. Fixed seeds.
import keras, numpy as np
from keras import layers as L, optimizers as O

fx = np.load("opt.fit_x.npy")
fy = np.load("opt.fit_y.npy")
x0 = np.load("opt.x0.npy")

OPTIMIZERS = {
    "lamb": lambda: O.Lamb(0.02),
    "lamb_options": lambda: O.Lamb(O.schedules.ExponentialDecay(0.03, 4, 0.8), beta_1=0.8, beta_2=0.95,
                                   epsilon=1e-4, weight_decay=0.05, clipnorm=0.5),
}

with open("manifest-lamb.txt", "w") as mf:
    for i, (name, make) in enumerate(OPTIMIZERS.items()):
        keras.backend.clear_session()  # Keras's default name "lamb", not "lamb_1"
        keras.utils.set_random_seed(300 + i)
        m = keras.Sequential([keras.Input((3,)), L.Dense(4, activation="tanh"), L.Dense(1)])
        m.compile(optimizer=make(), loss="mse")
        m.fit(fx, fy, batch_size=4, epochs=2, shuffle=False, verbose=0)
        m.save(f"opt_{name}.keras")
        np.save(f"opt_{name}.y.npy", np.asarray(m.predict(x0, verbose=0)).astype("float64"))
        m.fit(fx, fy, batch_size=4, epochs=1, shuffle=False, verbose=0)
        np.save(f"opt_{name}.y_after.npy", np.asarray(m.predict(x0, verbose=0)).astype("float64"))
        mf.write(f"{name}\n")
