# Writes the Keras 3.15.1 fixtures of NoLossTest (layers/src/test/java/io/rnn4j/layers/keras/): models whose whole
# loss is added by layers (ActivityRegularization, activity_regularizer), compiled with an optimizer alone
# (compile_config loss: null) and trained with fit(x), no targets. Run in this folder with
#   python make_noloss.py            (TensorFlow backend)
# Written, for NAME in noloss_seq (Sequential, SGD) and noloss_fun (functional, two outputs, Adam):
#   NAME.keras        the compiled, untrained model
#   NAME.x0.npy       inputs; NAME.y.npy its predictions (outputs concatenated on the last axis for noloss_fun)
#   NAME.fit_x.npy    training inputs
#   NAME.fit_loss.npy the loss fit(x, batch_size=4, epochs=1, shuffle=False) logs
#   NAME.eval_loss.npy evaluate(x0, batch_size=4) after that epoch
#   NAME.after<i>.npy every weight after the epoch, model.weights order
# Also checks (printed) that fit on a model compiled without loss and with no added loss raises Keras's
# "No loss to compute" error.
import numpy as np
import keras
from keras import layers as L

rng = np.random.default_rng(23)


def f32(*shape):
    return rng.standard_normal(shape).astype("float32")


def seq():
    m = keras.Sequential([keras.Input((5,)),
                          L.Dense(4, activation="tanh"),
                          L.ActivityRegularization(l1=0.01, l2=0.02),
                          L.Dense(3, activity_regularizer=keras.regularizers.L2(0.05)),
                          L.ActivityRegularization(l1=0.03)])
    m.compile(optimizer=keras.optimizers.SGD(0.1))
    return m


def fun():
    x = keras.Input((6, 3))
    h = L.LSTM(4, return_sequences=True, activity_regularizer=keras.regularizers.L1L2(0.01, 0.02))(x)
    a = L.ActivityRegularization(l2=0.1, name="reg_a")(L.GlobalAveragePooling1D()(h))
    b = L.Dense(2, activity_regularizer=keras.regularizers.L1(0.05), name="out_b")(L.LSTM(3)(h))
    m = keras.Model(x, [a, b], name="noloss_fun")
    m.compile(optimizer=keras.optimizers.Adam(0.01))
    return m


cases = {"noloss_seq": (seq, (5,)), "noloss_fun": (fun, (6, 3))}
for i, (name, (build, shape)) in enumerate(cases.items()):
    keras.utils.set_random_seed(900 + i)
    m = build()
    x0, fx = f32(3, *shape), f32(10, *shape)
    m.save(name + ".keras")
    np.save(name + ".x0.npy", x0)
    y = m.predict(x0, verbose=0)
    y = np.concatenate(y, axis=-1) if isinstance(y, list) else y
    np.save(name + ".y.npy", np.asarray(y).astype("float64"))
    np.save(name + ".fit_x.npy", fx)
    h = m.fit(fx, batch_size=4, epochs=1, shuffle=False, verbose=0)
    print(name, h.history)
    np.save(name + ".fit_loss.npy", np.array(h.history["loss"], dtype="float64"))
    ev = m.evaluate(x0, batch_size=4, verbose=0, return_dict=True)
    print(name, "evaluate", ev)
    np.save(name + ".eval_loss.npy", np.array([ev["loss"]], dtype="float64"))
    for k, w in enumerate(m.weights):
        np.save(f"{name}.after{k}.npy", np.asarray(w.numpy(), dtype="float32"))

bare = keras.Sequential([keras.Input((2,)), L.Dense(1)])
bare.compile(optimizer="sgd")
try:
    bare.fit(f32(4, 2), verbose=0)
    print("no error for a model with no loss at all")
except ValueError as e:
    print("no loss at all:", e)
