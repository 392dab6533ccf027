# Writes the Keras 3.15.1 fixtures of VideoClassificationCnnRnnTest (layers/src/test/java/io/rnn4j/layers/examples/),
# on the TensorFlow backend. Run in this folder with
#   KERAS_BACKEND=tensorflow python make_video_cnn_rnn.py
# keras-io's examples/vision/video_classification.py ("Video Classification with a CNN-RNN Architecture", last
# modified 2023/12/07), its sequence model at a smaller size: MAX_SEQ_LENGTH 6 frames of NUM_FEATURES 12 (the
# InceptionV3 features the example extracts stand as synthetic vectors here), 3 classes. The model, as the example
# writes it: frame features (6, 12) and a bool mask (6,) -> GRU(16, return_sequences=True)(features, mask=mask)
# -> GRU(8) -> Dropout(0.4) -> Dense(8, relu) -> Dense(3, softmax); sparse_categorical_crossentropy, adam,
# accuracy. Data: 36 "videos" of 2..6 valid frames (the mask says which), each valid frame its class's prototype
# plus noise, the padding frames after them garbage: another class's prototype, scaled by 2, plus noise (so a
# model that ignored the mask would read the wrong class).
# Written:
#   video.keras         the example's model (Dropout 0.4, compiled with adam), untrained, seed 16
#   video.x0.npy (36, 6, 12) float32 frame features, video.x1.npy (36, 6) float32 mask (1 valid, 0 padding; given
#                       to Keras as bool), video.labels.npy (36, 1) float32 class ids
#   video.y.npy         video.keras's predicted probabilities
#   video.fit_loss.npy, video.fit_accuracy.npy, video.fit_val_loss.npy, video.fit_val_accuracy.npy
#                       fit(validation_split=0.3, batch_size=8, epochs=1, shuffle=False) of the same model with the
#                       same weights but Dropout(0) (TensorFlow's dropout draws cannot be reproduced), compiled as
#                       the example, with ModelCheckpoint(save_weights_only=True, save_best_only=True): the history
#   video.after<i>.npy  every weight of that model after the epoch, model.weights order
#   video.weights.h5    the checkpoint that ModelCheckpoint wrote (the weights after the epoch)
#   video.y_after.npy   that model's probabilities after load_weights(video.weights.h5)
import os
import shutil
import tempfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np
import keras

T, F, C, N = 6, 12, 3, 36

rng = np.random.default_rng(16)
prototypes = rng.normal(size=(C, F)).astype("float32")
labels = rng.integers(0, C, N)
lengths = rng.integers(2, T + 1, N)
features = np.zeros((N, T, F), dtype="float32")
masks = np.zeros((N, T), dtype="float32")
for s in range(N):
    c, n = labels[s], lengths[s]
    features[s, :n] = prototypes[c] + 0.5 * rng.normal(size=(n, F))
    features[s, n:] = 2 * prototypes[(c + 1) % C] + 0.5 * rng.normal(size=(T - n, F))
    masks[s, :n] = 1
labels = labels.astype("float32")[:, None]


def get_sequence_model(dropout):
    frame_features_input = keras.Input((T, F), name="input_layer")
    mask_input = keras.Input((T,), dtype="bool", name="input_layer_1")
    x = keras.layers.GRU(16, return_sequences=True, name="gru")(frame_features_input, mask=mask_input)
    x = keras.layers.GRU(8, name="gru_1")(x)
    x = keras.layers.Dropout(dropout, name="dropout")(x)
    x = keras.layers.Dense(8, activation="relu", name="dense")(x)
    output = keras.layers.Dense(C, activation="softmax", name="dense_1")(x)
    rnn_model = keras.Model([frame_features_input, mask_input], output, name="functional")
    rnn_model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    return rnn_model


keras.utils.set_random_seed(16)
model = get_sequence_model(0.4)
model.save("video.keras")
inputs = [features, masks.astype("bool")]
np.save("video.x0.npy", features)
np.save("video.x1.npy", masks)
np.save("video.labels.npy", labels)
np.save("video.y.npy", model.predict(inputs, verbose=0).astype("float32"))

copy = get_sequence_model(0.0)
copy.set_weights(model.get_weights())
ckpt = os.path.join(tempfile.mkdtemp(), "ckpt.weights.h5")  # the example's /tmp/video_classifier/ckpt.weights.h5
checkpoint = keras.callbacks.ModelCheckpoint(ckpt, save_weights_only=True,
                                             save_best_only=True, verbose=0)
history = copy.fit(inputs, labels, validation_split=0.3, batch_size=8, epochs=1, shuffle=False,
                   callbacks=[checkpoint], verbose=0)
for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
    np.save("video.fit_" + key + ".npy", np.array(history.history[key], dtype="float32"))
for i, w in enumerate(copy.weights):
    np.save("video.after%d.npy" % i, keras.ops.convert_to_numpy(w).astype("float32"))
shutil.copy(ckpt, "video.weights.h5")
fresh = get_sequence_model(0.4)
fresh.load_weights("video.weights.h5")
np.save("video.y_after.npy", fresh.predict(inputs, verbose=0).astype("float32"))
print("history", history.history)
print("weights", [w.path for w in copy.weights])
