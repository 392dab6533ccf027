# Writes the Keras 3.15.1 fixtures of CustomTrainingLoopGuideTest (layers/src/test/java/io/rnn4j/layers/examples/),
# on the TensorFlow backend. Run in this folder with
#   KERAS_BACKEND=tensorflow python make_custom_loop.py
# keras-io's guides/writing_a_custom_training_loop_in_tensorflow.py (and its jax twin) and
# guides/custom_train_step_in_tensorflow.py, with small recurrent models instead of the guides' MNIST MLP.
# Weights go out flattened, concatenated in model.weights order (w0: before, after: after training).
# Written (loop_<section>.*):
#   data        x (16, 5) token ids < 12, y (16,) classes < 3, xv (8, 5), yv (8,) validation
#   sgd         Embedding(12, 4) -> LSTM(8) -> Dense(3) logits, SGD(0.1), SparseCategoricalCrossentropy(from_logits),
#               SparseCategoricalAccuracy; the guide's loop, 2 epochs of 4 batches of 4 (no shuffle): w0, grads0 (the
#               first step's tape.gradient, dense), step_loss (8,), step_acc (8,) (train metric's result after each
#               update_state), epoch_acc (2,), val_acc (2,), after; fit on the same batches: fit_hist (2, 4) rows
#               [loss, accuracy, val_loss, val_accuracy], fit_after (equal to after: asserted here)
#   adam        float x (16, 5, 3) (xf) -> GRU(8) -> Dense(3), Adam(0.01), the same loop and fit: xf, w0, step_loss,
#               after, fit_hist (2, 2) [loss, accuracy], fit_after (an Embedding is left out: TensorFlow hands its
#               gradient to Adam as IndexedSlices, which rnn4j does not reproduce; see README)
#   reg         the "losses tracked by the model" section: Embedding -> LSTM(8, kernel_regularizer=l2(1e-2)) ->
#               Dense(3, activity_regularizer=l1(1e-2)); loss + sum(model.losses), SGD(0.1), one epoch: w0,
#               step_loss, step_model_losses (4,) sum(model.losses) after each forward, after; fit: fit_loss, fit_after;
#               fit with the LSTM frozen (its regularizer then out of model.losses): frozen_loss, frozen_after
#   onbatch     the sgd model (its w0): train_on_batch over the 4 batches then test_on_batch on xv:
#               train (4, 2) [loss, acc], test (2,) [loss, acc], after
#   step        custom train_step ("Going lower-level"): float xf -> GRU(6) -> Dense(1), targets ys (16, 1),
#               Mean("loss") and MeanAbsoluteError("mae") as the model's metrics, loss = mean_squared_error(y, y_pred)
#               per sample (tape.gradient of a vector: of its sum), SGD(0.05); fit(2 epochs, batch 4, no shuffle):
#               ys, w0, hist (2, 2) [loss, mae], after
#   gan         the GAN-style loop at tiny size with LSTMs: generator Input(4, 2) -> LSTM(4, return_sequences) ->
#               Dense(1); discriminator Input(4, 1) -> LSTM(4) -> Dense(1) logits; BinaryCrossentropy(from_logits),
#               Adam(3e-3) each; 2 steps over real (8, 4, 1), noise given: real, gw0, dw0, z1 (2, 4, 4, 2),
#               z2 (2, 4, 4, 2), jitter (2, 8, 1) the label noise, d_loss (2,), g_loss (2,), gafter, dafter
# Seeded throughout.
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np
import tensorflow as tf
import keras
from keras import layers

assert keras.__version__ == "3.15.1", keras.__version__
rng = np.random.default_rng(20240301)
keras.utils.set_random_seed(7)


def save(name, a):
    np.save("loop_" + name + ".npy", np.ascontiguousarray(np.asarray(a, dtype=np.float32)))


def flat(model):
    return np.concatenate([np.asarray(w).ravel() for w in model.get_weights()])


def dense(g):
    return tf.convert_to_tensor(g).numpy().ravel()


x = rng.integers(0, 12, size=(16, 5))
y = rng.integers(0, 3, size=(16,))
xv = rng.integers(0, 12, size=(8, 5))
yv = rng.integers(0, 3, size=(8,))
save("x", x)
save("y", y)
save("xv", xv)
save("yv", yv)
xf = rng.normal(size=(16, 5, 3)).astype(np.float32)
save("xf", xf)


def batches(xs, ys, size=4):
    for i in range(0, len(xs), size):
        yield xs[i:i + size], ys[i:i + size]


def embedding_model(reg=False):
    return keras.Sequential([
        keras.Input((5,), dtype="int32"),
        layers.Embedding(12, 4),
        layers.LSTM(8, kernel_regularizer=keras.regularizers.l2(1e-2) if reg else None),
        layers.Dense(3, activity_regularizer=keras.regularizers.l1(1e-2) if reg else None),
    ])


def custom_loop(model, optimizer, xs, ys, epochs, val=None, record_grads=False, with_model_losses=False):
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    train_acc = keras.metrics.SparseCategoricalAccuracy()
    val_acc = keras.metrics.SparseCategoricalAccuracy()
    out = {"step_loss": [], "step_acc": [], "epoch_acc": [], "val_acc": [], "model_losses": []}
    for _ in range(epochs):
        for xb, yb in batches(xs, ys):
            with tf.GradientTape() as tape:
                logits = model(xb, training=True)
                loss_value = loss_fn(yb, logits)
                if with_model_losses:
                    extra = sum(model.losses)
                    out["model_losses"].append(float(extra))
                    loss_value += extra
            grads = tape.gradient(loss_value, model.trainable_weights)
            if record_grads and "grads0" not in out:
                out["grads0"] = np.concatenate([dense(g) for g in grads])
            optimizer.apply(grads, model.trainable_weights)
            train_acc.update_state(yb, logits)
            out["step_loss"].append(float(loss_value))
            out["step_acc"].append(float(train_acc.result()))
        out["epoch_acc"].append(float(train_acc.result()))
        train_acc.reset_state()
        if val is not None:
            for xb, yb in batches(*val):
                val_acc.update_state(yb, model(xb, training=False))
            out["val_acc"].append(float(val_acc.result()))
            val_acc.reset_state()
    return out


def fit_copy(build, w0, optimizer, xs, ys, epochs, val=None):
    m = build()
    m.set_weights(w0)
    m.compile(optimizer=optimizer, loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=[keras.metrics.SparseCategoricalAccuracy()])
    h = m.fit(xs, ys, batch_size=4, epochs=epochs, shuffle=False, validation_data=val, verbose=0)
    return m, h.history


# ---- sgd: the guide's loop, against fit ----
m = embedding_model()
w0 = m.get_weights()
save("sgd.w0", flat(m))
r = custom_loop(m, keras.optimizers.SGD(0.1), x, y, 2, val=(xv, yv), record_grads=True)
save("sgd.grads0", r["grads0"])
save("sgd.step_loss", r["step_loss"])
save("sgd.step_acc", r["step_acc"])
save("sgd.epoch_acc", r["epoch_acc"])
save("sgd.val_acc", r["val_acc"])
save("sgd.after", flat(m))
mf, h = fit_copy(embedding_model, w0, keras.optimizers.SGD(0.1), x, y, 2, val=(xv, yv))
save("sgd.fit_hist", np.array([h["loss"], h["sparse_categorical_accuracy"], h["val_loss"],
                               h["val_sparse_categorical_accuracy"]]).T)
save("sgd.fit_after", flat(mf))
np.testing.assert_allclose(flat(mf), flat(m), atol=1e-6)
np.testing.assert_allclose(h["sparse_categorical_accuracy"], r["epoch_acc"], atol=1e-6)
np.testing.assert_allclose(h["val_sparse_categorical_accuracy"], r["val_acc"], atol=1e-6)


# ---- adam: GRU over float sequences ----
def gru_model():
    return keras.Sequential([keras.Input((5, 3)), layers.GRU(8), layers.Dense(3)])


m = gru_model()
w0 = m.get_weights()
save("adam.w0", flat(m))
r = custom_loop(m, keras.optimizers.Adam(0.01), xf, y, 2)
save("adam.step_loss", r["step_loss"])
save("adam.after", flat(m))
mf, h = fit_copy(gru_model, w0, keras.optimizers.Adam(0.01), xf, y, 2)
save("adam.fit_hist", np.array([h["loss"], h["sparse_categorical_accuracy"]]).T)
save("adam.fit_after", flat(mf))
np.testing.assert_allclose(flat(mf), flat(m), atol=1e-6)

# ---- reg: losses tracked by the model ----
m = embedding_model(reg=True)
w0 = m.get_weights()
save("reg.w0", flat(m))
r = custom_loop(m, keras.optimizers.SGD(0.1), x, y, 1, with_model_losses=True)
save("reg.step_loss", r["step_loss"])
save("reg.step_model_losses", r["model_losses"])
save("reg.after", flat(m))
mf, h = fit_copy(lambda: embedding_model(reg=True), w0, keras.optimizers.SGD(0.1), x, y, 1)
save("reg.fit_loss", h["loss"])
save("reg.fit_after", flat(mf))
np.testing.assert_allclose(flat(mf), flat(m), atol=1e-6)
np.testing.assert_allclose(h["loss"][0], np.mean(r["step_loss"]), rtol=1e-5)
# the same with the LSTM frozen: its kernel_regularizer leaves model.losses (Keras counts trainable weights only)
mf = embedding_model(reg=True)
mf.set_weights(w0)
mf.layers[1].trainable = False
assert len(mf.losses) == 0
mf.compile(optimizer=keras.optimizers.SGD(0.1), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
h = mf.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
save("reg.frozen_loss", h.history["loss"])
save("reg.frozen_after", flat(mf))

# ---- onbatch: train_on_batch / test_on_batch ----
m = embedding_model()
sgd_w0 = np.load("loop_sgd.w0.npy")
shapes = [w.shape for w in m.get_weights()]
ws, at = [], 0
for s in shapes:
    n = int(np.prod(s))
    ws.append(sgd_w0[at:at + n].reshape(s))
    at += n
m.set_weights(ws)
m.compile(optimizer=keras.optimizers.SGD(0.1), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
          metrics=[keras.metrics.SparseCategoricalAccuracy()])
train = [m.train_on_batch(xb, yb) for xb, yb in batches(x, y)]
save("onbatch.train", train)
save("onbatch.test", m.test_on_batch(xv, yv))
save("onbatch.after", flat(m))


# ---- step: a custom train_step ----
class CustomModel(keras.Model):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.mae_metric = keras.metrics.MeanAbsoluteError(name="mae")

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = keras.losses.mean_squared_error(y, y_pred)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(grads, self.trainable_variables)
        self.loss_tracker.update_state(loss)
        self.mae_metric.update_state(y, y_pred)
        return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}

    @property
    def metrics(self):
        return [self.loss_tracker, self.mae_metric]


ys = rng.normal(size=(16, 1)).astype(np.float32)
save("step.ys", ys)
inp = keras.Input((5, 3))
m = CustomModel(inp, layers.Dense(1)(layers.GRU(6)(inp)))
save("step.w0", flat(m))
m.compile(optimizer=keras.optimizers.SGD(0.05))
h = m.fit(xf, ys, batch_size=4, epochs=2, shuffle=False, verbose=0)
save("step.hist", np.array([h.history["loss"], h.history["mae"]]).T)
save("step.after", flat(m))

# ---- gan: two models, two optimizers ----
gen = keras.Sequential([keras.Input((4, 2)), layers.LSTM(4, return_sequences=True), layers.Dense(1)])
disc = keras.Sequential([keras.Input((4, 1)), layers.LSTM(4), layers.Dense(1)])
save("gan.gw0", flat(gen))
save("gan.dw0", flat(disc))
real = np.sin(np.linspace(0, 3, 32)).reshape(8, 4, 1).astype(np.float32)
z1 = rng.normal(size=(2, 4, 4, 2)).astype(np.float32)
z2 = rng.normal(size=(2, 4, 4, 2)).astype(np.float32)
jitter = (0.05 * rng.uniform(size=(2, 8, 1))).astype(np.float32)
save("gan.real", real)
save("gan.z1", z1)
save("gan.z2", z2)
save("gan.jitter", jitter)
loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)
d_opt = keras.optimizers.Adam(3e-3)
g_opt = keras.optimizers.Adam(3e-3)
d_losses, g_losses = [], []
for step in range(2):
    real_b = real[step * 4:(step + 1) * 4]
    generated = gen(z1[step])
    combined = keras.ops.concatenate([generated, real_b], axis=0)
    labels = keras.ops.concatenate([keras.ops.ones((4, 1)), keras.ops.zeros((4, 1))], axis=0) + jitter[step]
    with tf.GradientTape() as tape:
        d_loss = loss_fn(labels, disc(combined))
    grads = tape.gradient(d_loss, disc.trainable_weights)
    d_opt.apply(grads, disc.trainable_weights)
    with tf.GradientTape() as tape:
        g_loss = loss_fn(keras.ops.zeros((4, 1)), disc(gen(z2[step])))
    grads = tape.gradient(g_loss, gen.trainable_weights)
    g_opt.apply(grads, gen.trainable_weights)
    d_losses.append(float(d_loss))
    g_losses.append(float(g_loss))
save("gan.d_loss", d_losses)
save("gan.g_loss", g_losses)
save("gan.gafter", flat(gen))
save("gan.dafter", flat(disc))
print("written")
