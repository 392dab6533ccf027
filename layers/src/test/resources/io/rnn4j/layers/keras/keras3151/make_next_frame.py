# Writes the Keras 3.15.1 fixtures of NextFramePredictionTest (layers/src/test/java/io/rnn4j/layers/examples/), on
# the TensorFlow backend. Run in this folder with
#   KERAS_BACKEND=tensorflow python make_next_frame.py
# keras-io's examples/vision/conv_lstm.py ("Next-frame video prediction with Convolutional LSTMs") at a smaller
# size: Input(None, 8, 8, 1) -> ConvLSTM2D(6, 5x5, same, return_sequences, relu) -> BatchNormalization ->
# ConvLSTM2D(6, 3x3) -> BatchNormalization -> ConvLSTM2D(6, 1x1) -> Conv3D(1, 3x3x3, sigmoid, same);
# binary_crossentropy, Adam(). Data: videos of 6 frames of 8x8 in which a 2x2 or 3x3 square moves by a constant
# step (dx, dy in -1..1) and bounces off the borders, plus a little noise; x = frames[:-1], y = frames[1:] as the
# example's create_shifted_frames.
# Written:
#   next_frame.keras          the example's model, untrained (compiled with binary_crossentropy and Adam())
#   next_frame.videos.npy     (6, 6, 8, 8, 1) float32: the videos
#   next_frame.y5.npy         model.predict(x) of the shifted frames (6, 5, 8, 8, 1)
#   next_frame.y3.npy         model.predict of the first 3 frames of the first two videos (2, 3, 8, 8, 1): the time
#                             axis is None
#   next_frame.fit_loss.npy   fit(x, y, batch_size=4, epochs=1, shuffle=False): its logged loss (two batches, 4 and
#                             2, so BatchNormalization's moving statistics update twice)
#   next_frame.after<i>.npy   every weight after the epoch, model.weights order (moving statistics included)
#   next_frame.trained_y.npy  the trained model's predict(x)
#   next_frame.rollout.npy    the example's loop with the trained model from the first 3 frames of video 0: predict,
#                             append the last predicted frame, 3 times -> (6, 8, 8, 1), the 3 given frames and the 3
#                             predicted ones
# Fixed seeds.
import os
import sys
import zipfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np
import keras
from keras import layers

N, T, S, F, BATCH = 6, 6, 8, 6, 4


def videos(rng, n):
    out = np.zeros((n, T, S, S, 1), dtype="float32")
    for v in range(n):
        size = int(rng.integers(2, 4))
        r, c = int(rng.integers(0, S - size + 1)), int(rng.integers(0, S - size + 1))
        dr, dc = int(rng.integers(-1, 2)), int(rng.integers(-1, 2))
        if dr == 0 and dc == 0:
            dc = 1
        for t in range(T):
            out[v, t, r:r + size, c:c + size, 0] = 1.0
            if not 0 <= r + dr <= S - size:
                dr = -dr
            if not 0 <= c + dc <= S - size:
                dc = -dc
            r, c = r + dr, c + dc
    out += 0.05 * rng.random(out.shape).astype("float32")
    return np.minimum(out, 1.0)


def build_model():
    inp = layers.Input(shape=(None, S, S, 1))
    x = layers.ConvLSTM2D(filters=F, kernel_size=(5, 5), padding="same", return_sequences=True,
                          activation="relu")(inp)
    x = layers.BatchNormalization()(x)
    x = layers.ConvLSTM2D(filters=F, kernel_size=(3, 3), padding="same", return_sequences=True,
                          activation="relu")(x)
    x = layers.BatchNormalization()(x)
    x = layers.ConvLSTM2D(filters=F, kernel_size=(1, 1), padding="same", return_sequences=True,
                          activation="relu")(x)
    x = layers.Conv3D(filters=1, kernel_size=(3, 3, 3), activation="sigmoid", padding="same")(x)
    model = keras.models.Model(inp, x)
    model.compile(loss=keras.losses.binary_crossentropy, optimizer=keras.optimizers.Adam())
    return model


def deflate(path):
    # Keras stores the archive's entries uncompressed; rewritten deflated (Keras and rnn4j read both).
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def rollout(model, frames, steps):
    # the example's loop: predict, keep the last predicted frame, append it, predict again
    for _ in range(steps):
        new_prediction = np.squeeze(model.predict(np.expand_dims(frames, axis=0), verbose=0), axis=0)
        frames = np.concatenate((frames, np.expand_dims(new_prediction[-1, ...], axis=0)), axis=0)
    return frames


if __name__ == "__main__" and len(sys.argv) > 1 and sys.argv[1] == "check":
    # python make_next_frame.py check FILE.keras: loads a file (rnn4j's save) and prints how far its predictions
    # are from next_frame.trained_y.npy
    back = keras.models.load_model(sys.argv[2])
    x = np.load("next_frame.videos.npy")[:, :-1]
    got = back.predict(x, verbose=0)
    print("max |keras(load(rnn4j file)) - trained_y|", float(np.max(np.abs(got - np.load("next_frame.trained_y.npy")))))
    sys.exit(0)

rng = np.random.default_rng(8)
data = videos(rng, N)
x, y = data[:, :-1], data[:, 1:]
keras.utils.set_random_seed(4713)
model = build_model()
model.save("next_frame.keras")
deflate("next_frame.keras")

np.save("next_frame.videos.npy", data)
np.save("next_frame.y5.npy", model.predict(x, verbose=0))
np.save("next_frame.y3.npy", model.predict(data[:2, :3], verbose=0))
h = model.fit(x, y, batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
np.save("next_frame.fit_loss.npy", np.array(h.history["loss"], dtype="float64"))
for i, w in enumerate(model.weights):
    np.save(f"next_frame.after{i}.npy", np.asarray(w))
np.save("next_frame.trained_y.npy", model.predict(x, verbose=0))
np.save("next_frame.rollout.npy", rollout(model, data[0, :3], 3))
print("fit loss", h.history["loss"], "weights", [w.path for w in model.weights])
