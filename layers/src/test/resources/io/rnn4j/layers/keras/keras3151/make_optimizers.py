# Writes the Keras 3.15.1 fixtures of KerasWrittenOptimizersTest: run in this folder with
#   KERAS_BACKEND=jax python make_optimizers.py
# For each optimizer NAME a tiny model (Dense(4, tanh) -> Dense(1)) compiled with it and trained two
# epochs of fit(opt.fit_x, opt.fit_y, batch_size=4, shuffle=False) is saved with its optimizer state
# as opt_NAME.keras, with opt_NAME.y.npy its predictions on opt.x0.npy; then it trains one more
# epoch the same way and opt_NAME.y_after.npy holds its predictions after. manifest-optimizers.txt
# lists the names. Fixed seeds; touches no other fixture.
import keras, numpy as np
from keras import layers as L, optimizers as O

rng = np.random.default_rng(11)
fx = rng.standard_normal((12, 3)).astype("float32")
fy = np.tanh(fx @ np.array([[0.7], [-1.2], [0.4]], dtype="float32") + 0.3).astype("float32")
x0 = rng.standard_normal((5, 3)).astype("float32")

OPTIMIZERS = {
    "adamax": lambda: O.Adamax(0.02),
    "adamax_options": lambda: O.Adamax(O.schedules.ExponentialDecay(0.03, 4, 0.8), beta_1=0.8, beta_2=0.99,
                                       epsilon=1e-5, clipnorm=0.5),
    "nadam": lambda: O.Nadam(0.02),
    "nadam_options": lambda: O.Nadam(0.01, beta_1=0.85, beta_2=0.95, epsilon=1e-4, weight_decay=0.05),
    "adadelta": lambda: O.Adadelta(10.0),
    "adadelta_options": lambda: O.Adadelta(1.0, rho=0.8, epsilon=1e-5, clipvalue=0.3),
    "lion": lambda: O.Lion(0.005),
    "lion_options": lambda: O.Lion(0.003, beta_1=0.7, beta_2=0.95, weight_decay=0.1),
    "ftrl": lambda: O.Ftrl(0.2),
    "ftrl_options": lambda: O.Ftrl(0.3, learning_rate_power=-0.7, initial_accumulator_value=0.05,
                                   l1_regularization_strength=0.002, l2_regularization_strength=0.01,
                                   l2_shrinkage_regularization_strength=0.003, beta=0.2, global_clipnorm=2.0),
}

np.save("opt.fit_x.npy", fx)
np.save("opt.fit_y.npy", fy)
np.save("opt.x0.npy", x0)
with open("manifest-optimizers.txt", "w") as mf:
    for i, (name, make) in enumerate(OPTIMIZERS.items()):
        keras.backend.clear_session()  # each optimizer gets Keras's default name ("adamax", not "adamax_1")
        keras.utils.set_random_seed(200 + i)
        m = keras.Sequential([keras.Input((3,)), L.Dense(4, activation="tanh"), L.Dense(1)])
        m.compile(optimizer=make(), loss="mse")
        m.fit(fx, fy, batch_size=4, epochs=2, shuffle=False, verbose=0)
        m.save(f"opt_{name}.keras")
        np.save(f"opt_{name}.y.npy", np.asarray(m.predict(x0, verbose=0)).astype("float64"))
        m.fit(fx, fy, batch_size=4, epochs=1, shuffle=False, verbose=0)
        np.save(f"opt_{name}.y_after.npy", np.asarray(m.predict(x0, verbose=0)).astype("float64"))
        mf.write(f"{name}\n")
