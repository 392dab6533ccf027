# Writes the Keras 3.15.1 fixtures of SpeechCtcAsrTest (layers/src/test/java/io/rnn4j/layers/examples/), on the
# TensorFlow backend. Run in this folder with
#   KERAS_BACKEND=tensorflow python make_ctc_asr.py
# keras-io's examples/audio/ctc_asr.py ("Automatic Speech Recognition using CTC", the DeepSpeech2-like model of
# 2021/09/26) at a small size. The example imports `from tensorflow import keras`, which on TensorFlow 2.21 is
# Keras 3.15.1's tf.keras API, where keras.backend.ctc_batch_cost and ctc_decode are the legacy functions
# (keras/src/legacy/backend.py): its CTCLoss feeds log(softmax + 1e-7) to tf.compat.v1.nn.ctc_loss (blank = the
# LAST class; every label y_true.shape[1] long; every sample all its time steps), not keras.losses.CTC (blank 0,
# label length = non-zero labels, logits).
# Data: a synthetic "speech" of 4 letters, each a sum of two tones (its own pair of frequencies, random phases) for
# 72 samples then a pause of 24, plus a little noise; 3 letters per utterance (288 samples). Its spectrogram is the
# example's: tf.signal.stft(frame_length 24, frame_step 16, fft_length 32) -> abs -> pow 0.5 -> each frame
# normalised over its 17 bins by its mean and std (+1e-10). Labels: the example's StringLookup(vocabulary=list("abcd"),
# oov_token="") ids, 1..4 ("" is 0); the model ends in Dense(vocabulary_size() + 1 = 6, softmax), blank = 5.
# Written:
#   ctc_asr.keras            the example's model (conv [5,7]/[5,5] with 4 filters, 2 x BiGRU(8), Dense(16),
#                            dropouts 0.5), compiled as the example (Adam(1e-4), loss=CTCLoss), untrained
#   ctc_asr.audio.npy        (16, 288) float32 the waveforms; ctc_asr.labels.npy (16, 3) float32 the ids
#   ctc_asr.spectrogram.npy  (16, 17, 17) the example's encode_single_sample spectrograms of them
#   ctc_asr.softmax.npy      the model's predictions of them
#   ctc_asr.short.npy, ctc_asr.long.npy        (2, 11, 17) and (2, 23, 17) spectrograms of 2- and 4-letter
#   ctc_asr.short_softmax.npy, ctc_asr.long_softmax.npy   utterances (the None time axis) and their predictions
#   ctc_asr.loss.npy         CTCLoss(labels, softmax), (16, 1), as the example computes it
#   ctc_asr.decoded.npy      keras.backend.ctc_decode(softmax, greedy)[0][0] (int, -1 = none), and
#   ctc_asr.decoded.txt      its texts through num_to_char (StringLookup invert=True), one per line
#   ctc_asr.fit_loss.npy     fit(batch_size=4, epochs=1, shuffle=False) of the same model with the same weights and
#                            every dropout 0 (dropout draws cannot be reproduced outside TensorFlow): logged loss
#   ctc_asr.after<i>.npy     every weight of that model after the epoch, model.weights order
# Fixed seeds.
import os
import zipfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

N, LETTERS, PER_LETTER, GAP = 16, 3, 96, 24
frame_length, frame_step, fft_length = 24, 16, 32
TONES = {"a": (2, 9), "b": (4, 12), "c": (6, 3), "d": (11, 14)}  # DFT bins (of 32) of each letter's two tones

characters = list("abcd")
char_to_num = keras.layers.StringLookup(vocabulary=characters, oov_token="")
num_to_char = keras.layers.StringLookup(vocabulary=char_to_num.get_vocabulary(), oov_token="", invert=True)
rng = np.random.default_rng(2021)


def utterance(text):
    t = np.arange(PER_LETTER)
    parts = []
    for ch in text:
        f1, f2 = TONES[ch]
        phase = rng.random(2) * 2 * np.pi
        tone = np.sin(2 * np.pi * f1 * t / fft_length + phase[0]) + 0.5 * np.sin(2 * np.pi * f2 * t / fft_length
                                                                                  + phase[1])
        parts.append(np.where(t < PER_LETTER - GAP, tone, 0.0))  # a pause ends each letter
    audio = np.concatenate(parts) + 0.05 * rng.standard_normal(PER_LETTER * len(text))
    return audio.astype("float32")


def encode_single_sample(audio, label):  # the example's, from its step 3 (the audio is already float32)
    spectrogram = tf.signal.stft(audio, frame_length=frame_length, frame_step=frame_step, fft_length=fft_length)
    spectrogram = tf.abs(spectrogram)
    spectrogram = tf.math.pow(spectrogram, 0.5)
    means = tf.math.reduce_mean(spectrogram, 1, keepdims=True)
    stddevs = tf.math.reduce_std(spectrogram, 1, keepdims=True)
    spectrogram = (spectrogram - means) / (stddevs + 1e-10)
    label = char_to_num(tf.strings.unicode_split(tf.strings.lower(label), input_encoding="UTF-8"))
    return spectrogram, label


def CTCLoss(y_true, y_pred):  # the example's
    batch_len = tf.cast(tf.shape(y_true)[0], dtype="int64")
    input_length = tf.cast(tf.shape(y_pred)[1], dtype="int64")
    label_length = tf.cast(tf.shape(y_true)[1], dtype="int64")
    input_length = input_length * tf.ones(shape=(batch_len, 1), dtype="int64")
    label_length = label_length * tf.ones(shape=(batch_len, 1), dtype="int64")
    return keras.backend.ctc_batch_cost(y_true, y_pred, input_length, label_length)


def build_model(input_dim, output_dim, rnn_layers=2, rnn_units=8, dropout=0.5):  # the example's, smaller
    input_spectrogram = layers.Input((None, input_dim), name="input")
    x = layers.Reshape((-1, input_dim, 1), name="expand_dim")(input_spectrogram)
    x = layers.Conv2D(filters=4, kernel_size=[5, 7], strides=[2, 2], padding="same", use_bias=False,
                      name="conv_1")(x)
    x = layers.BatchNormalization(name="conv_1_bn")(x)
    x = layers.ReLU(name="conv_1_relu")(x)
    x = layers.Conv2D(filters=4, kernel_size=[5, 5], strides=[1, 2], padding="same", use_bias=False,
                      name="conv_2")(x)
    x = layers.BatchNormalization(name="conv_2_bn")(x)
    x = layers.ReLU(name="conv_2_relu")(x)
    x = layers.Reshape((-1, x.shape[-2] * x.shape[-1]))(x)
    for i in range(1, rnn_layers + 1):
        recurrent = layers.GRU(units=rnn_units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                               return_sequences=True, reset_after=True, name=f"gru_{i}")
        x = layers.Bidirectional(recurrent, name=f"bidirectional_{i}", merge_mode="concat")(x)
        if i < rnn_layers:
            x = layers.Dropout(rate=dropout)(x)
    x = layers.Dense(units=rnn_units * 2, name="dense_1")(x)
    x = layers.ReLU(name="dense_1_relu")(x)
    x = layers.Dropout(rate=dropout)(x)
    output = layers.Dense(units=output_dim + 1, activation="softmax")(x)
    model = keras.Model(input_spectrogram, output, name="DeepSpeech_2")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-4), loss=CTCLoss)
    return model


def data(n, letters):
    texts = ["".join(rng.choice(characters, letters)) for _ in range(n)]
    audio = np.stack([utterance(t) for t in texts])
    pairs = [encode_single_sample(a, t) for a, t in zip(audio, texts)]
    return audio, np.stack([p[0] for p in pairs]), np.stack([p[1] for p in pairs]).astype("float32")


audio, spectrogram, labels = data(N, LETTERS)
_, short, _ = data(2, 2)
_, long, _ = data(2, 4)

keras.utils.set_random_seed(3)  # a seed whose untrained model decodes to varied texts
model = build_model(fft_length // 2 + 1, char_to_num.vocabulary_size())
model.save("ctc_asr.keras")
with zipfile.ZipFile("ctc_asr.keras") as z:  # the same entries, deflated (Keras and rnn4j read both)
    entries = [(i, z.read(i.filename)) for i in z.infolist()]
with zipfile.ZipFile("ctc_asr.keras", "w", zipfile.ZIP_DEFLATED) as z:
    for info, content in entries:
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, content)
keras.backend.clear_session()  # the example names a Dense "dense_1": a second model's unnamed Dense would be too
keras.utils.set_random_seed(4712)
train = build_model(fft_length // 2 + 1, char_to_num.vocabulary_size(), dropout=0.0)
train.set_weights(model.get_weights())

np.save("ctc_asr.audio.npy", audio)
np.save("ctc_asr.labels.npy", labels)
np.save("ctc_asr.spectrogram.npy", spectrogram)
softmax = np.asarray(model.predict(spectrogram, verbose=0))
np.save("ctc_asr.softmax.npy", softmax)
np.save("ctc_asr.short.npy", short)
np.save("ctc_asr.short_softmax.npy", np.asarray(model.predict(short, verbose=0)))
np.save("ctc_asr.long.npy", long)
np.save("ctc_asr.long_softmax.npy", np.asarray(model.predict(long, verbose=0)))
np.save("ctc_asr.loss.npy", np.asarray(CTCLoss(labels, softmax)).astype("float64"))

input_len = np.ones(softmax.shape[0]) * softmax.shape[1]  # the example's decode_batch_predictions
results = keras.backend.ctc_decode(softmax, input_length=input_len, greedy=True)[0][0]
np.save("ctc_asr.decoded.npy", np.asarray(results).astype("int32"))
with open("ctc_asr.decoded.txt", "w") as f:
    for result in results:
        f.write(tf.strings.reduce_join(num_to_char(result)).numpy().decode("utf-8") + "\n")

h = train.fit(spectrogram, labels, batch_size=4, epochs=1, shuffle=False, verbose=0)
np.save("ctc_asr.fit_loss.npy", np.array(h.history["loss"], dtype="float64"))
for i, w in enumerate(train.weights):
    np.save(f"ctc_asr.after{i}.npy", np.asarray(w))
print("shapes", spectrogram.shape, softmax.shape, short.shape, long.shape)
print("loss", np.asarray(CTCLoss(labels, softmax)).ravel()[:4], "fit loss", h.history["loss"])
print("weights", [(w.path, tuple(w.shape)) for w in train.weights])
print("decoded", np.asarray(results)[:3], open("ctc_asr.decoded.txt").read().split("\n")[:3])
