# Writes the Keras 3.15.1 fixtures of HandwritingRecognitionTest (layers/src/test/java/io/rnn4j/layers/examples/),
# on the TensorFlow backend. Run in this folder with
#   KERAS_BACKEND=tensorflow python make_handwriting.py
# keras-io's examples/vision/handwriting_recognition.py (and ipynb/handwriting_recognition_keras3.py) at a tiny
# size: images (32, 8, 1) (width first, as the example transposes them), Conv2D 4/8, Dense 8, Bidirectional LSTM
# 8 and 4, characters "abc-019" through char_to_num = StringLookup(vocabulary=characters, mask_token=None) (ids
# 1..7, 0 its [UNK]), so Dense(len(vocabulary) + 2 = 10 classes); the CTC blank is class 9, the last, as
# tf.compat.v1.nn.ctc_loss takes it. Words are max_len = 4 characters here, every one (TensorFlow's CTC takes the
# example's padding_token 99 as a label, which no CTC defines), so the trained labels carry no padding; the
# edit-distance fixture pads shorter words with 99 as the example's dataset does. Written:
#   hw.keras          the example's model (dropout 0.2 / 0.25, compiled with Adam()), untrained
#   hw.images.npy (8, 32, 8, 1), hw.labels.npy (8, 4): the data, float32
#   hw.softmax.npy    prediction_model (image -> dense2) on the images
#   hw.decoded.npy    ops.nn.ctc_decode(softmax, sequence_lengths)[0][0][:, :max_len] (int, -1 = none)
#   hw.texts.txt      decode_batch_predictions' strings, one a line: each row without -1, through
#                     num_to_char = StringLookup(vocabulary=char_to_num.get_vocabulary(), mask_token=None,
#                     invert=True), joined
#   hw.val_labels.npy words of 2..4 characters padded with 99; hw.edit.npy calculate_edit_distance(val_labels,
#                     softmax) (mean unnormalized tf.edit_distance of the sparse decodings and labels)
#   hw.fit_loss.npy   fit(batch_size=4, epochs=1, shuffle=False) of the same weights, dropouts 0, SGD(0.05)
#   hw.after<i>.npy   every weight after that epoch, model.weights order
import os
import zipfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

WIDTH, HEIGHT, MAX_LEN, N, BATCH = 32, 8, 4, 8, 4
characters = list("abc-019")
char_to_num = layers.StringLookup(vocabulary=characters, mask_token=None)
num_to_char = layers.StringLookup(vocabulary=char_to_num.get_vocabulary(), mask_token=None, invert=True)
CLASSES = len(char_to_num.get_vocabulary()) + 2

rng = np.random.default_rng(53)
glyphs = (rng.random((len(characters), 6, 4)) < 0.5).astype("float32")
labels = rng.integers(1, len(characters) + 1, (N, MAX_LEN))
images = np.zeros((N, HEIGHT, WIDTH), dtype="float32")
for s in range(N):
    for k in range(MAX_LEN):
        top, left = 1 + rng.integers(0, 2), 8 * k + 1 + rng.integers(0, 3)
        images[s, top:top + 6, left:left + 4] = glyphs[labels[s, k] - 1]
images += 0.1 * rng.random(images.shape).astype("float32")
images = np.ascontiguousarray(np.transpose(images, (0, 2, 1))[..., None])
labels = labels.astype("float32")


def ctc_batch_cost(y_true, y_pred, input_length, label_length):  # keras.backend.ctc_batch_cost, as make_ocr.py
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
    input_img = keras.Input(shape=(WIDTH, HEIGHT, 1), name="image")
    labels_in = layers.Input(name="label", shape=(None,))
    x = layers.Conv2D(4, (3, 3), activation="relu", kernel_initializer="he_normal", padding="same",
                      name="Conv1")(input_img)
    x = layers.MaxPooling2D((2, 2), name="pool1")(x)
    x = layers.Conv2D(8, (3, 3), activation="relu", kernel_initializer="he_normal", padding="same",
                      name="Conv2")(x)
    x = layers.MaxPooling2D((2, 2), name="pool2")(x)
    x = layers.Reshape(target_shape=(WIDTH // 4, (HEIGHT // 4) * 8), name="reshape")(x)
    x = layers.Dense(8, activation="relu", name="dense1")(x)
    x = layers.Dropout(dropout)(x)
    x = layers.Bidirectional(layers.LSTM(8, return_sequences=True, dropout=lstm_dropout))(x)
    x = layers.Bidirectional(layers.LSTM(4, return_sequences=True, dropout=lstm_dropout))(x)
    x = layers.Dense(CLASSES, activation="softmax", name="dense2")(x)
    output = CTCLayer(name="ctc_loss")(labels_in, x)
    model = keras.models.Model(inputs=[input_img, labels_in], outputs=output, name="handwriting_recognizer")
    model.compile(optimizer=optimizer)
    return model


keras.utils.set_random_seed(5303)
model = build_model(0.2, 0.25, keras.optimizers.Adam())
model.save("hw.keras")
with zipfile.ZipFile("hw.keras") as z:  # deflated, as make_ocr.py: the HDF5 file is mostly padding
    entries = [(i, z.read(i.filename)) for i in z.infolist()]
with zipfile.ZipFile("hw.keras", "w", zipfile.ZIP_DEFLATED) as z:
    for info, data in entries:
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, data)
keras.utils.set_random_seed(5304)
train = build_model(0.0, 0.0, keras.optimizers.SGD(0.05))
train.set_weights(model.get_weights())

np.save("hw.images.npy", images)
np.save("hw.labels.npy", labels)
prediction_model = keras.models.Model(model.get_layer(name="image").output, model.get_layer(name="dense2").output)
softmax = np.asarray(prediction_model.predict(images, verbose=0))
np.save("hw.softmax.npy", softmax)


def decode_batch_predictions(pred):
    input_len = np.ones(pred.shape[0]) * pred.shape[1]
    results = keras.ops.nn.ctc_decode(pred, sequence_lengths=input_len)[0][0][:, :MAX_LEN]
    output_text = []
    for res in results:
        res = tf.gather(res, tf.where(tf.math.not_equal(res, -1)))
        output_text.append(tf.strings.reduce_join(num_to_char(res)).numpy().decode("utf-8"))
    return np.asarray(results), output_text


decoded, texts = decode_batch_predictions(softmax)
np.save("hw.decoded.npy", decoded.astype("int32"))
assert num_to_char.get_config()["invert"] and num_to_char.get_vocabulary() == ["[UNK]"] + characters
with open("hw.texts.txt", "w", encoding="utf-8") as f:
    f.write("\n".join(texts) + "\n")

val_labels = np.full((N, MAX_LEN), 99, "int64")
for s in range(N):
    n = 2 + s % 3
    val_labels[s, :n] = labels[s, :n].astype("int64")


def calculate_edit_distance(labels, predictions):  # the example's, verbatim in substance
    saprse_labels = ops.cast(tf.sparse.from_dense(labels), dtype=tf.int64)
    input_len = np.ones(predictions.shape[0]) * predictions.shape[1]
    predictions_decoded = keras.ops.nn.ctc_decode(predictions, sequence_lengths=input_len)[0][0][:, :MAX_LEN]
    sparse_predictions = ops.cast(tf.sparse.from_dense(predictions_decoded), dtype=tf.int64)
    edit_distances = tf.edit_distance(sparse_predictions, saprse_labels, normalize=False)
    return tf.reduce_mean(edit_distances)


np.save("hw.val_labels.npy", val_labels.astype("float32"))
edits = [float(calculate_edit_distance(val_labels, softmax)),
         float(calculate_edit_distance(labels.astype("int64"), softmax))]
np.save("hw.edit.npy", np.array(edits, dtype="float64"))

h = train.fit({"image": images, "label": labels}, batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
np.save("hw.fit_loss.npy", np.array(h.history["loss"], dtype="float64"))
for i, w in enumerate(train.weights):
    np.save(f"hw.after{i}.npy", np.asarray(w))
print("texts", texts, "decoded", decoded[:3], "edits", edits, "fit loss", h.history["loss"])
