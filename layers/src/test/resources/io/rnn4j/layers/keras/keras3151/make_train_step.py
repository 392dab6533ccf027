# keras-io guides/custom_train_step_in_tensorflow.py ("Customizing what happens in fit()") with small
# recurrent models, written by Keras 3.15.1 (TensorFlow backend) for TrainStepGuideTest: each variant's
# initial weights, fit history (every epoch, validation too) and final weights; a custom test_step's
# evaluate logs; EarlyStopping on a custom-step metric. Run from this folder: python make_train_step.py
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

assert keras.__version__ == "3.15.1", keras.__version__
rng = np.random.default_rng(20240415)
keras.utils.set_random_seed(11)


def save(name, a):
    np.save("step_" + name + ".npy", np.ascontiguousarray(np.asarray(a, dtype=np.float32)))


def flat(model):
    return np.concatenate([np.asarray(w).ravel() for w in model.get_weights()])


def hist(h, keys):
    return np.array([[h.history[k][e] for k in keys] for e in range(len(h.history[keys[0]]))])


x = rng.normal(size=(20, 5, 3)).astype("float32")
y = rng.normal(size=(20, 1)).astype("float32")
xv = rng.normal(size=(6, 5, 3)).astype("float32")
yv = rng.normal(size=(6, 1)).astype("float32")
sw = rng.uniform(0.2, 2.0, size=(20,)).astype("float32")
for n, a in [("x", x), ("y", y), ("xv", xv), ("yv", yv), ("sw", sw)]:
    save(n, a)


class CustomModel(keras.Model):  # the guide's first train_step, with sample weights when given
    def train_step(self, data):
        if len(data) == 3:
            x, y, sample_weight = data
        else:
            sample_weight = None
            x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred, sample_weight=sample_weight)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(grads, self.trainable_variables)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred, sample_weight=sample_weight)
        return {m.name: m.result() for m in self.metrics}

    def test_step(self, data):
        x, y = data
        y_pred = self(x, training=False)
        loss = self.compute_loss(y=y, y_pred=y_pred)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


def lstm_model(cls):
    inp = keras.Input((5, 3))
    return cls(inp, layers.Dense(1)(layers.LSTM(4)(inp)))


# 1. the basic train_step, compile(loss, metrics), validation by the default test_step
m = lstm_model(CustomModel)
m.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
save("basic.w0", flat(m))
h = m.fit(x, y, batch_size=8, epochs=3, shuffle=False, validation_data=(xv, yv), verbose=0)
print("basic", h.history)
save("basic.hist", hist(h, ["loss", "mae", "val_loss", "val_mae"]))
save("basic.after", flat(m))
# the custom test_step in evaluate (batches of 4: each batch's loss counts once in the tracker)
ev = m.evaluate(xv, yv, batch_size=4, return_dict=True, verbose=0)
print("eval", ev)
save("basic.eval", [ev["loss"], ev["mae"]])

# 2. sample weights through data
m = lstm_model(CustomModel)
m.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
save("sw.w0", flat(m))
h = m.fit(x, y, sample_weight=sw, batch_size=8, epochs=2, shuffle=False, verbose=0)
print("sw", h.history)
save("sw.hist", hist(h, ["loss", "mae"]))
save("sw.after", flat(m))


# 3. lower level: compile(optimizer) only, own trackers listed in `metrics`; EarlyStopping on "mae" (mode min: Keras cannot tell its direction in auto mode)
class LowLevel(keras.Model):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.mae_metric = keras.metrics.MeanAbsoluteError(name="mae")

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = keras.losses.mean_squared_error(y, y_pred)
        trainable_vars = self.trainable_variables
        gradients = tape.gradient(loss, trainable_vars)
        self.optimizer.apply(gradients, trainable_vars)
        self.loss_tracker.update_state(loss)
        self.mae_metric.update_state(y, y_pred)
        return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}

    @property
    def metrics(self):
        return [self.loss_tracker, self.mae_metric]


inp = keras.Input((5, 3))
m = LowLevel(inp, layers.Dense(1)(layers.GRU(4)(inp)))
m.compile(optimizer=keras.optimizers.Adam(0.01))
save("low.w0", flat(m))
h = m.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
print("low", h.history)
save("low.hist", hist(h, ["loss", "mae"]))
save("low.after", flat(m))
m = LowLevel(inp, layers.Dense(1)(layers.GRU(4)(inp)))
m.compile(optimizer=keras.optimizers.Adam(0.01))
m.set_weights([w.reshape(v.shape) for w, v in zip(
    np.split(np.load("step_low.w0.npy"), np.cumsum([np.size(v) for v in m.get_weights()])[:-1]), m.get_weights())])
h = m.fit(x, y, batch_size=8, epochs=5, shuffle=False, verbose=0,
          callbacks=[keras.callbacks.EarlyStopping(monitor="mae", mode="min", min_delta=10.0, patience=1)])
print("early", h.history)
save("low.early_hist", hist(h, ["loss", "mae"]))

# 4. the GAN: a train_step for two models (latent vectors given as data, the label noise left out,
# so that Java draws the same numbers)
disc = keras.Sequential([keras.Input((5, 3)), layers.LSTM(3), layers.Dense(1)])
gen = keras.Sequential([keras.Input((2,)), layers.Dense(15), layers.Reshape((5, 3))])


class GAN(keras.Model):
    def __init__(self, discriminator, generator):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def train_step(self, data):
        real_images, z = data
        batch_size = ops.shape(real_images)[0]
        generated_images = self.generator(z[:, :2])
        combined_images = ops.concatenate([generated_images, real_images], axis=0)
        labels = ops.concatenate([ops.ones((batch_size, 1)), ops.zeros((batch_size, 1))], axis=0)
        with tf.GradientTape() as tape:
            predictions = self.discriminator(combined_images)
            d_loss = self.loss_fn(labels, predictions)
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply(grads, self.discriminator.trainable_weights)
        misleading_labels = ops.zeros((batch_size, 1))
        with tf.GradientTape() as tape:
            predictions = self.discriminator(self.generator(z[:, 2:]))
            g_loss = self.loss_fn(misleading_labels, predictions)
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply(grads, self.generator.trainable_weights)
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {"d_loss": self.d_loss_tracker.result(), "g_loss": self.g_loss_tracker.result()}


z = rng.normal(size=(20, 4)).astype("float32")
save("gan.z", z)
save("gan.dw0", flat(disc))
save("gan.gw0", flat(gen))
gan = GAN(disc, gen)
gan.compile(keras.optimizers.Adam(0.003), keras.optimizers.Adam(0.003),
            keras.losses.BinaryCrossentropy(from_logits=True))
h = gan.fit(x, z, batch_size=8, epochs=2, shuffle=False, verbose=0)
print("gan", h.history)
save("gan.hist", hist(h, ["d_loss", "g_loss"]))
save("gan.dafter", flat(disc))
save("gan.gafter", flat(gen))

# 5. Keras 3's train_on_batch / test_on_batch: metrics are NOT reset between calls
m = lstm_model(keras.Model)
m.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
save("onbatch.w0", flat(m))
r1 = m.train_on_batch(x[:8], y[:8], return_dict=True)
r2 = m.train_on_batch(x[8:16], y[8:16], return_dict=True)
t1 = m.test_on_batch(xv, yv, return_dict=True)
print("onbatch", r1, r2, t1)
save("onbatch.logs", [r1["loss"], r1["mae"], r2["loss"], r2["mae"], t1["loss"], t1["mae"]])
