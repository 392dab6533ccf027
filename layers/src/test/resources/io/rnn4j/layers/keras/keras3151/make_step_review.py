# Review of the custom train_step API against Keras 3.15.1 (TensorFlow backend), for StepReviewTest:
# 1. a custom step on a two-output model: compute_loss with sample weights and an L2-regularized LSTM
#    (model.losses), the loss tracker, compute_metrics; Keras logs each output's unweighted loss
#    (CompileLoss's per-output Mean trackers, which compute_loss updates) after the compiled metrics;
# 2. a step whose logs hold a Python float and the batch's own loss: the epoch reports the last
#    batch's logs; ReduceLROnPlateau monitors the custom log;
# 3. tape.watch on an input: the gradient of an LSTM model's output sum w.r.t. its input (saliency).
# Run from this folder: python make_step_review.py
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np
import tensorflow as tf
import keras
from keras import layers

assert keras.__version__ == "3.15.1", keras.__version__
rng = np.random.default_rng(20240611)
keras.utils.set_random_seed(12)


def save(name, a):
    np.save("steprev_" + name + ".npy", np.ascontiguousarray(np.asarray(a, dtype=np.float32)))


def flat(model):
    return np.concatenate([np.asarray(w).ravel() for w in model.get_weights()])


x = rng.normal(size=(10, 4, 3)).astype("float32")
ya = rng.normal(size=(10, 1)).astype("float32")
yb = rng.normal(size=(10, 2)).astype("float32")
sw = rng.uniform(0.2, 2.0, size=(10,)).astype("float32")
for n, a in [("x", x), ("ya", ya), ("yb", yb), ("sw", sw)]:
    save(n, a)


class TwoOut(keras.Model):
    def train_step(self, data):
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred, sample_weight=sample_weight)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(grads, self.trainable_variables)
        self._loss_tracker.update_state(loss)
        return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)


inp = keras.Input((4, 3))
h = layers.LSTM(3, kernel_regularizer=keras.regularizers.L2(0.05))(inp)
m = TwoOut(inp, [layers.Dense(1, name="a")(h), layers.Dense(2, name="b")(h)])
m.compile(optimizer=keras.optimizers.SGD(0.1), loss=["mse", "mae"], loss_weights=[1.0, 0.5],
          metrics=[["mae"], []])
save("multi.w0", flat(m))
w0 = m.get_weights()
hist = m.fit(x, [ya, yb], sample_weight=sw, batch_size=4, epochs=2, shuffle=False, verbose=0)
print("multi", hist.history)
keys = ["loss", "a_mae", "a_loss", "b_loss"]
assert list(hist.history) == keys or set(hist.history) == set(keys), hist.history
save("multi.hist", [[hist.history[k][e] for k in keys] for e in range(2)])
save("multi.after", flat(m))

# the default train_step on the same model and data: TensorFlow's traced batch size is None (the last
# batch is partial), so CompileLoss's per-output trackers count each batch once, the loss tracker by size
inp = keras.Input((4, 3))
h = layers.LSTM(3, kernel_regularizer=keras.regularizers.L2(0.05))(inp)
m = keras.Model(inp, [layers.Dense(1, name="a")(h), layers.Dense(2, name="b")(h)])
m.compile(optimizer=keras.optimizers.SGD(0.1), loss=["mse", "mae"], loss_weights=[1.0, 0.5],
          metrics=[["mae"], []])
m.set_weights(w0)
hist = m.fit(x, [ya, yb], sample_weight=sw, batch_size=4, epochs=2, shuffle=False, verbose=0)
print("multi default", hist.history)
save("multi_default.hist", [[hist.history[k][e] for k in keys] for e in range(2)])


class FloatLogs(keras.Model):
    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self.tracker = keras.metrics.Mean(name="loss")

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = keras.ops.mean(keras.ops.square(y - y_pred))
        self.optimizer.apply(tape.gradient(loss, self.trainable_variables), self.trainable_variables)
        self.tracker.update_state(loss)
        return {"loss": self.tracker.result(), "batch_loss": loss, "scale": 2.5}

    @property
    def metrics(self):
        return [self.tracker]


inp = keras.Input((4, 3))
m = FloatLogs(inp, layers.Dense(1)(layers.GRU(3)(inp)))
m.compile(optimizer=keras.optimizers.SGD(0.2))
save("float.w0", flat(m))
rl = keras.callbacks.ReduceLROnPlateau(monitor="batch_loss", mode="min", factor=0.5, patience=0, min_delta=10.0)
hist = m.fit(x, ya, batch_size=4, epochs=3, shuffle=False, verbose=0, callbacks=[rl])
print("float", hist.history)
keys = ["loss", "batch_loss", "scale", "learning_rate"]
save("float.hist", [[hist.history[k][e] for k in keys] for e in range(3)])
save("float.after", flat(m))

# 3. saliency: d sum(model(x)) / dx, with tape.watch on the input
inp = keras.Input((4, 3))
m = keras.Model(inp, layers.Dense(1)(layers.LSTM(3)(inp)))
save("sal.w0", flat(m))
xt = tf.constant(x[:3])
with tf.GradientTape() as tape:
    tape.watch(xt)
    out = keras.ops.sum(m(xt, training=False))
save("sal.grad", tape.gradient(out, xt))
