# Writes the Keras 3.15.1 Adafactor fixtures of KerasWrittenAdafactorTest: run in this folder with
#   KERAS_BACKEND=jax python make_adafactor.py
# Data: adafactor.fit_x.npy (12 sequences of 5 steps x 3 features), adafactor.fit_y.npy (12 x 2 targets),
# adafactor.x0.npy (4 sequences to predict). For each NAME a model with weights of rank 1, 2 and (Conv1D's
# kernel) 3 is compiled with Adafactor, trained two epochs of fit(batch_size=4, shuffle=False), saved with
# its optimizer state as adafactor_NAME.keras, with adafactor_NAME.y.npy its predictions on x0; then one
# more epoch, and adafactor_NAME.y_after.npy its predictions after, adafactor_NAME.w_after.npy its weights
# after (model.get_weights(), each flattened, concatenated). manifest-adafactor.txt lists the names.
# Fixed seeds; touches no other fixture.
import keras, numpy as np
from keras import layers as L, optimizers as O

rng = np.random.default_rng(23)
fx = rng.standard_normal((12, 5, 3)).astype("float32")
fy = np.stack([np.tanh(fx[:, :, 0].sum(1) * 0.4), np.tanh(fx[:, -1, 1] - fx[:, 0, 2])], 1).astype("float32")
x0 = rng.standard_normal((4, 5, 3)).astype("float32")

def lstm_dense():
    return [L.LSTM(4), L.Dense(2)]

def conv_lstm_dense():
    return [L.Conv1D(3, 2, activation="tanh"), L.LSTM(4), L.Dense(2)]

FIXTURES = {
    # the defaults: learning rate 0.001, so rho_t = min(0.001, 1/sqrt(t)) = 0.001
    "defaults": (lstm_dense, lambda: O.Adafactor()),
    # a rate above 1/sqrt(t) from t = 5 on, so the min(lr, 1/sqrt(t)) relative step takes over; every
    # option of Adafactor's own off its default, with weight decay and clipnorm
    "options": (conv_lstm_dense, lambda: O.Adafactor(0.5, beta_2_decay=-0.5, epsilon_1=1e-20, epsilon_2=1e-2,
                                                      clip_threshold=0.5, relative_step=False,
                                                      weight_decay=0.01, clipnorm=1.0)),
    # a schedule (callable: Keras skips its relative-step min on lr, not the one in rho_t), global_clipnorm
    "schedule": (conv_lstm_dense, lambda: O.Adafactor(O.schedules.ExponentialDecay(0.3, 4, 0.8),
                                                       clip_threshold=2.0, global_clipnorm=0.8)),
}

np.save("adafactor.fit_x.npy", fx)
np.save("adafactor.fit_y.npy", fy)
np.save("adafactor.x0.npy", x0)
with open("manifest-adafactor.txt", "w") as mf:
    for i, (name, (body, make)) in enumerate(FIXTURES.items()):
        keras.backend.clear_session()  # Keras's default name "adafactor", not "adafactor_1"
        keras.utils.set_random_seed(400 + i)
        m = keras.Sequential([keras.Input((5, 3))] + body())
        m.compile(optimizer=make(), loss="mse")
        m.fit(fx, fy, batch_size=4, epochs=2, shuffle=False, verbose=0)
        m.save(f"adafactor_{name}.keras")
        np.save(f"adafactor_{name}.y.npy", np.asarray(m.predict(x0, verbose=0)).astype("float64"))
        m.fit(fx, fy, batch_size=4, epochs=1, shuffle=False, verbose=0)
        np.save(f"adafactor_{name}.y_after.npy", np.asarray(m.predict(x0, verbose=0)).astype("float64"))
        np.save(f"adafactor_{name}.w_after.npy", np.concatenate([w.ravel() for w in m.get_weights()]))
        mf.write(f"{name}\n")
