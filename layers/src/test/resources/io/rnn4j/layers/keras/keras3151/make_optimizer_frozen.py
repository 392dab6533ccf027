# Writes the Keras 3.15.1 fixtures of OptimizerFrozenKerasTest (layers/src/test/java/io/rnn4j/layers/optimizers/),
# on the TensorFlow backend: an optimizer built before a layer was frozen keeps that layer's slots, saves them and
# loads them back. Run in this folder with
#   KERAS_BACKEND=tensorflow python make_optimizer_frozen.py
# The model: Input(3) -> Dense(4) "a" -> Dense(2) "b", Adam(0.01), mse; x (8, 3), y (8, 2), w0 its first weights;
# every fit is one epoch in batches of 4, unshuffled. Written (optfrozen_*):
#   after, opt_vars  fit, "a" frozen and compiled again with the same optimizer (Keras needs the compile for the
#                    freeze to reach fit), fit again: the weights and optimizer.variables flattened in order
#                    (iteration, learning rate, then momentum and velocity per variable, "a"'s still there);
#                    optfrozen.weights.h5 (save_weights) and optfrozen.keras (save) of that model
#   cont, cont_vars  a fresh model from w0 brought to the same point (fit, freeze, compile again), then
#                    load_weights(optfrozen.weights.h5): Keras loads all 10 optimizer variables (asserted here),
#                    then fit once more: the weights and optimizer.variables
#   reload           load_model(optfrozen.keras): its new optimizer is built for "b" alone, so Keras skips the
#                    file's 10 optimizer variables with a warning (asserted here); fit once: the weights
import os
import warnings

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np
import keras
from keras import layers

assert keras.__version__ == "3.15.1", keras.__version__
rng = np.random.default_rng(20240612)
keras.utils.set_random_seed(12)


def save(name, a):
    np.save("optfrozen_" + name + ".npy", np.ascontiguousarray(np.asarray(a, dtype=np.float32)))


def flat(vs):
    return np.concatenate([np.asarray(v, dtype=np.float32).ravel() for v in vs])


def fit(m):
    m.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)


def two_dense():
    m = keras.Sequential([keras.Input((3,)), layers.Dense(4, name="a"), layers.Dense(2, name="b")])
    m.set_weights(w0)
    return m


def trained_then_frozen():
    m = two_dense()
    opt = keras.optimizers.Adam(0.01)
    m.compile(opt, "mse")
    fit(m)
    m.layers[0].trainable = False
    m.compile(opt, "mse")
    return m


x = rng.normal(size=(8, 3)).astype(np.float32)
y = rng.normal(size=(8, 2)).astype(np.float32)
save("x", x)
save("y", y)
w0 = keras.Sequential([keras.Input((3,)), layers.Dense(4), layers.Dense(2)]).get_weights()
save("w0", flat(w0))

m = trained_then_frozen()
fit(m)
assert len(m.optimizer.variables) == 2 + 2 * 4, [v.path for v in m.optimizer.variables]
save("after", flat(m.get_weights()))
save("opt_vars", flat(m.optimizer.variables))
m.save_weights("optfrozen.weights.h5")
m.save("optfrozen.keras")

c = trained_then_frozen()
c.load_weights("optfrozen.weights.h5")
np.testing.assert_array_equal(flat(c.optimizer.variables), flat(m.optimizer.variables))
fit(c)
save("cont", flat(c.get_weights()))
save("cont_vars", flat(c.optimizer.variables))

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    back = keras.models.load_model("optfrozen.keras")
assert any("Skipping variable loading for optimizer" in str(w.message) for w in caught), caught
assert int(back.optimizer.iterations) == 0 and len(back.optimizer.variables) == 2 + 2 * 2
fit(back)
save("reload", flat(back.get_weights()))
