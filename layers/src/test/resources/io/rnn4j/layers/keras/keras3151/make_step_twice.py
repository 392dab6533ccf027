# Two small checks written by Keras 3.15.1 (TensorFlow backend) for StepTwiceTest. 1. A custom
# train_step that calls the model twice: compute_loss adds self.losses, which holds only the LAST
# call's activity-regularizer loss (each top-level __call__ clears the layers' losses first).
# 2. A Dense tracked as an attribute of a custom layer AND called directly in the functional graph:
# allowed, its weights listed once (model.weights, count_params).
# Run from this folder: python make_step_twice.py
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np
import tensorflow as tf
import keras
from keras import layers

assert keras.__version__ == "3.15.1", keras.__version__
rng = np.random.default_rng(31)
keras.utils.set_random_seed(7)


def save(name, a):
    np.save("twice_" + name + ".npy", np.ascontiguousarray(np.asarray(a, dtype=np.float32)))


def flat(model):
    return np.concatenate([np.asarray(w).ravel() for w in model.get_weights()])


x = rng.normal(size=(8, 3)).astype("float32")
y = rng.normal(size=(8, 1)).astype("float32")
save("x", x)
save("y", y)


class TwiceModel(keras.Model):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            self(x * 3.0, training=True)  # its activity loss is cleared by the next call
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(grads, self.trainable_variables)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
        return {m.name: m.result() for m in self.metrics}


inp = keras.Input((3,))
h = layers.Dense(4, activation="tanh", activity_regularizer=keras.regularizers.L2(0.5))(inp)
m = TwiceModel(inp, layers.Dense(1)(h))
m.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
save("w0", flat(m))
m(x * 3.0)
last = m(x)
print("losses after two calls", [float(v) for v in m.losses])
hist = m.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
print("hist", hist.history)
save("hist", hist.history["loss"])
save("after", flat(m))


class Wrap(layers.Layer):
    def __init__(self, dense, **kw):
        super().__init__(**kw)
        self.dense = dense

    def call(self, x):
        return self.dense(x) * 2.0


shared = layers.Dense(3)
inp = keras.Input((3,))
out = Wrap(shared)(shared(inp))
g = keras.Model(inp, out)
print("shared: weights", [w.path for w in g.weights], "params", g.count_params(),
      "trainable", len(g.trainable_weights))
save("shared_counts", [len(g.weights), len(g.trainable_weights), g.count_params()])
