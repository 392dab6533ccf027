# Writes the Keras 3.15.1 fixtures of CaptchaOcrTest (layers/src/test/java/io/rnn4j/layers/examples/), on the
# TensorFlow backend (the example sets KERAS_BACKEND=tensorflow and calls tf.compat.v1.nn.ctc_loss). Run in this
# folder with
#   KERAS_BACKEND=tensorflow python make_ocr.py
# keras-io's examples/vision/captcha_ocr.py (Keras 3 version, last modified 2024/03/13) at a smaller size: images
# (48, 16, 1) (width first, as the example transposes them), 4 characters from a 6-letter vocabulary, Conv2D 8/16,
# Dense 16, Bidirectional LSTM 16 and 8. Labels are the ids StringLookup(vocabulary, mask_token=None) gives:
# 1..6 (0 is its [UNK]), so Dense(len(vocabulary) + 1 + 1 = 8 classes); the CTC blank is class 7, the last, as
# tf.compat.v1.nn.ctc_loss takes it. Data: random 6x10 glyph bitmaps placed left to right with jitter and noise.
# Written:
#   ocr.keras        the example's model (dropout 0.2 / 0.25, compiled with Adam()), untrained
#   ocr.images.npy (16, 48, 16, 1) float32, ocr.labels.npy (16, 4) float32: the data
#   ocr.softmax.npy  the inference model's (image -> dense2) predictions of the images
#   ocr.loss.npy     per batch of 8 (two batches), what CTCLayer adds: the sum over the batch of ctc_batch_cost
#   ocr.decoded.npy  ops.ctc_decode(softmax, greedy)[0][0][:, :4] as decode_batch_predictions (int, -1 = none)
#   ocr.fit_loss.npy fit(batch_size=8, epochs=1, shuffle=False) of the same model with the same weights but every
#                    dropout 0, compiled with SGD(0.05) (dropout draws cannot be reproduced outside TensorFlow, so
#                    one epoch is compared without them): its logged loss
#   ocr.after<i>.npy every weight of that model after the epoch, model.weights order (float32, as Keras holds them)
# Fixed seeds.
import os
import zipfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

WIDTH, HEIGHT, LENGTH, VOCAB, N, BATCH = 48, 16, 4, 6, 16, 8

rng = np.random.default_rng(47)
glyphs = (rng.random((VOCAB, 10, 6)) < 0.5).astype("float32")  # rows (height) x columns (width)
labels = rng.integers(1, VOCAB + 1, (N, LENGTH))
images = np.zeros((N, HEIGHT, WIDTH), dtype="float32")
for s in range(N):
    for k in range(LENGTH):
        top, left = 3 + rng.integers(0, 3), 12 * k + 2 + rng.integers(0, 4)
        images[s, top:top + 10, left:left + 6] = glyphs[labels[s, k] - 1]
images += 0.1 * rng.random(images.shape).astype("float32")
images = np.ascontiguousarray(np.transpose(images, (0, 2, 1))[..., None])  # (N, width, height, 1), as the example
labels = labels.astype("float32")


# The example's ctc_batch_cost, ctc_label_dense_to_sparse and CTCLayer (our own wording; same computation):
# labels all y_true.shape[1] long, every sample all time steps, log(softmax + epsilon) given to the v1 CTC loss
# (which applies its own softmax and takes the last class as blank).
def ctc_batch_cost(y_true, y_pred, input_length, label_length):
    label_length = ops.cast(ops.squeeze(label_length, axis=-1), "int32")
    input_length = ops.cast(ops.squeeze(input_length, axis=-1), "int32")
    mask = ops.expand_dims(ops.arange(ops.shape(y_true)[1]), 0) < ops.expand_dims(label_length, 1)
    indices = tf.where(mask)
    sparse = tf.SparseTensor(indices, tf.cast(tf.gather_nd(y_true, indices), "int32"),
                             tf.cast(tf.shape(y_true), "int64"))
    y_pred = ops.log(ops.transpose(y_pred, axes=[1, 0, 2]) + keras.backend.epsilon())
    return ops.expand_dims(tf.compat.v1.nn.ctc_loss(inputs=y_pred, labels=sparse, sequence_length=input_length), 1)


class CTCLayer(layers.Layer):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.loss_fn = ctc_batch_cost

    def call(self, y_true, y_pred):
        batch_len = ops.cast(ops.shape(y_true)[0], "int64")
        input_length = ops.cast(ops.shape(y_pred)[1], "int64") * ops.ones((batch_len, 1), "int64")
        label_length = ops.cast(ops.shape(y_true)[1], "int64") * ops.ones((batch_len, 1), "int64")
        self.add_loss(self.loss_fn(y_true, y_pred, input_length, label_length))
        return y_pred


def build_model(dropout, lstm_dropout, optimizer):
    input_img = layers.Input(shape=(WIDTH, HEIGHT, 1), name="image", dtype="float32")
    labels_in = layers.Input(name="label", shape=(None,), dtype="float32")
    x = layers.Conv2D(8, (3, 3), activation="relu", kernel_initializer="he_normal", padding="same",
                      name="Conv1")(input_img)
    x = layers.MaxPooling2D((2, 2), name="pool1")(x)
    x = layers.Conv2D(16, (3, 3), activation="relu", kernel_initializer="he_normal", padding="same",
                      name="Conv2")(x)
    x = layers.MaxPooling2D((2, 2), name="pool2")(x)
    x = layers.Reshape(target_shape=(WIDTH // 4, (HEIGHT // 4) * 16), name="reshape")(x)
    x = layers.Dense(16, activation="relu", name="dense1")(x)
    x = layers.Dropout(dropout)(x)
    x = layers.Bidirectional(layers.LSTM(16, return_sequences=True, dropout=lstm_dropout))(x)
    x = layers.Bidirectional(layers.LSTM(8, return_sequences=True, dropout=lstm_dropout))(x)
    x = layers.Dense(VOCAB + 1 + 1, activation="softmax", name="dense2")(x)
    output = CTCLayer(name="ctc_loss")(labels_in, x)
    model = keras.models.Model(inputs=[input_img, labels_in], outputs=output, name="ocr_model_v1")
    model.compile(optimizer=optimizer)
    return model


keras.utils.set_random_seed(4711)
model = build_model(0.2, 0.25, keras.optimizers.Adam())
model.save("ocr.keras")
# Keras stores the archive's entries uncompressed; the weights file is mostly HDF5 padding, so the fixture is
# rewritten with the same entries deflated (Keras and rnn4j read both).
with zipfile.ZipFile("ocr.keras") as z:
    entries = [(i, z.read(i.filename)) for i in z.infolist()]
with zipfile.ZipFile("ocr.keras", "w", zipfile.ZIP_DEFLATED) as z:
    for info, data in entries:
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, data)
keras.utils.set_random_seed(4712)
train = build_model(0.0, 0.0, keras.optimizers.SGD(0.05))
train.set_weights(model.get_weights())

np.save("ocr.images.npy", images)
np.save("ocr.labels.npy", labels)
prediction_model = keras.models.Model(model.input[0], model.get_layer(name="dense2").output)
softmax = np.asarray(prediction_model.predict(images, verbose=0))
np.save("ocr.softmax.npy", softmax)
losses = []
ctc = model.get_layer("ctc_loss")
for b in range(0, N, BATCH):
    per_sample = ctc_batch_cost(labels[b:b + BATCH], softmax[b:b + BATCH],
                                np.full((BATCH, 1), softmax.shape[1]), np.full((BATCH, 1), LENGTH))
    losses.append(float(ops.sum(per_sample)))  # Keras's trainer sums what add_loss got (_aggregate_additional_loss)
np.save("ocr.loss.npy", np.array(losses, dtype="float64"))
decoded = ops.ctc_decode(softmax, sequence_lengths=np.ones(N) * softmax.shape[1], strategy="greedy")[0][0]
np.save("ocr.decoded.npy", np.asarray(decoded)[:, :LENGTH].astype("int32"))

h = train.fit({"image": images, "label": labels}, batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
np.save("ocr.fit_loss.npy", np.array(h.history["loss"], dtype="float64"))
for i, w in enumerate(train.weights):
    np.save(f"ocr.after{i}.npy", np.asarray(w))
print("losses per batch", losses, "fit loss", h.history["loss"], "weights", len(train.weights))
print("decoded", np.asarray(decoded)[:, :LENGTH][:4])
