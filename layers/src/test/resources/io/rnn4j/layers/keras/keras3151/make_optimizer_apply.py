# Writes the Keras 3.15.1 fixtures of OptimizerApplyKerasTest (layers/src/test/java/io/rnn4j/layers/optimizers/),
# on the TensorFlow backend: what optimizer.apply(grads, variables) builds and what it refuses. Run in this folder with
#   KERAS_BACKEND=tensorflow python make_optimizer_apply.py
# Written (optapply_*):
#   nullbias    Input(3) -> Dense(2), compiled with Adam(0.1) and mse; x (4, 3), y (4, 2), w0; a hand-written loop of
#               3 steps, the first with the bias's gradient None (Keras builds its slots anyway), the others with
#               tape.gradient of mse: after (weights), opt_vars (optimizer.variables flattened in order, iteration
#               and learning rate first), opt_count (1,) values in optimizer.variables; optapply_nullbias.keras the
#               model saved after (Keras reloads it with the same optimizer variables: asserted here)
#   unknown.txt the refusal of apply() for a variable the optimizer was not built with (line 1: another model's
#               kernel, line 2: an unknown variable given with a None gradient; the variable's repr cut off)
#   fit         Input(3) -> Dense(2) "a" -> Dense(1) "b", Adam(0.01), mse, batch 4: built with "a" frozen, fit one
#               epoch, "a" unfrozen and compiled again with the same optimizer: fit_unknown.txt the refusal;
#               built with "a" trainable, fit, "a" frozen and compiled again: fit again runs, "a" unchanged,
#               fit_count (2,) values in optimizer.variables [frozen-first, trainable-first]
import os
import warnings

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np
import tensorflow as tf
import keras
from keras import layers

assert keras.__version__ == "3.15.1", keras.__version__
rng = np.random.default_rng(20240611)
keras.utils.set_random_seed(11)


def save(name, a):
    np.save("optapply_" + name + ".npy", np.ascontiguousarray(np.asarray(a, dtype=np.float32)))


def flat(vs):
    return np.concatenate([np.asarray(v, dtype=np.float32).ravel() for v in vs])


def count(opt):
    return sum(int(np.prod(v.shape)) for v in opt.variables)


def refusal(f):
    try:
        f()
    except ValueError as e:
        s = str(e)
        return s[:s.index("<")] + "<" + s[s.index("path=") + 5:s.index(",")] + ">" + s[s.index(">. ") + 1:]
    raise AssertionError("Keras accepted it")


x = rng.normal(size=(4, 3)).astype(np.float32)
y = rng.normal(size=(4, 2)).astype(np.float32)
save("x", x)
save("y", y)

# ---- nullbias ----
m = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
m.compile(keras.optimizers.Adam(0.1), "mse")
save("nullbias.w0", flat(m.get_weights()))
opt = m.optimizer
for step in range(3):
    with tf.GradientTape() as tape:
        loss = keras.ops.mean(keras.losses.mean_squared_error(y, m(x, training=True)))
    grads = tape.gradient(loss, m.trainable_weights)
    if step == 0:
        grads = [grads[0], None]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            opt.apply(grads, m.trainable_weights)
        assert count(opt) == 2 + 2 * (6 + 2), count(opt)
    else:
        opt.apply(grads, m.trainable_weights)
save("nullbias.after", flat(m.get_weights()))
save("nullbias.opt_vars", flat(opt.variables))
save("nullbias.opt_count", [count(opt)])
m.save("optapply_nullbias.keras")
back = keras.models.load_model("optapply_nullbias.keras")
np.testing.assert_array_equal(flat(back.optimizer.variables), flat(opt.variables))

# ---- unknown ----
other = keras.Sequential([keras.Input((3,)), layers.Dense(2, name="other")])
k, b = m.trainable_weights
lines = [refusal(lambda: opt.apply([tf.ones((3, 2)), tf.ones((2,))], other.trainable_weights)),
         refusal(lambda: opt.apply([tf.ones((3, 2)), None], [k, other.trainable_weights[1]]))]
with open("optapply_unknown.txt", "w") as f:
    f.write("\n".join(lines) + "\n")


# ---- fit: freezing and unfreezing between compiles with one optimizer ----
def two_dense():
    return keras.Sequential([keras.Input((3,)), layers.Dense(2, name="a"), layers.Dense(1, name="b")])


y1 = y[:, :1]
m = two_dense()
m.layers[0].trainable = False
opt = keras.optimizers.Adam(0.01)
m.compile(opt, "mse")
m.fit(x, y1, batch_size=4, epochs=1, verbose=0)
frozen_first = count(opt)
m.layers[0].trainable = True
m.compile(opt, "mse")
with open("optapply_fit_unknown.txt", "w") as f:
    f.write(refusal(lambda: m.fit(x, y1, batch_size=4, epochs=1, verbose=0)) + "\n")

m = two_dense()
opt = keras.optimizers.Adam(0.01)
m.compile(opt, "mse")
m.fit(x, y1, batch_size=4, epochs=1, verbose=0)
a = flat(m.layers[0].weights)
m.layers[0].trainable = False
m.compile(opt, "mse")
m.fit(x, y1, batch_size=4, epochs=1, verbose=0)
np.testing.assert_array_equal(flat(m.layers[0].weights), a)
save("fit_count", [frozen_first, count(opt)])
