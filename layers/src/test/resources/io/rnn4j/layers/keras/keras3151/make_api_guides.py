# Writes the Keras 3.15.1 fixtures of FunctionalApiGuideTest and SequentialAndSavingGuideTest
# (layers/src/test/java/io/rnn4j/layers/examples/), on the TensorFlow backend. Run in this folder with
#   KERAS_BACKEND=tensorflow python make_api_guides.py
# keras-io's guides/sequential_model.py, functional_api.py and serialization_and_saving.py at small sizes, with
# recurrent layers where the guide's layers are interchangeable. Written (apig_<section>.*):
#   seq         Sequential built with add(): Input(6, 3) -> LSTM(8, return_sequences, lstm_a) -> LSTM(4, lstm_b)
#               -> Dense(2, head): .keras, x0 (3, 6, 3), y, summary.txt; y_pop (after pop(): lstm_b's output);
#               feat<i>: Model(inputs, [layer.output for layer in layers]) on x0 (before the pop)
#   freeze      transfer learning: the seq model, every layer but the last frozen, SGD(0.1) on mse, one epoch
#               (batch 2, no shuffle) on fit_x (4, 6, 3), fit_y (4, 2): after<i> (model.weights), fit_loss,
#               summary.txt (trainable counts)
#   ticket      the ticket classifier: title, body (None,) ids < 50 -> Embedding(50, 8) -> LSTM(8) / LSTM(4);
#               tags (6,) -> concatenate -> Dense(1, priority), Dense(3, department); RMSprop(1e-3),
#               loss {priority: BCE(from_logits), department: CCE(from_logits)}, loss_weights {1.0, 0.2};
#               fit with dicts, one epoch, batch 4, no shuffle: .keras (before fit), title, body, tags
#               (8 samples), priority, department targets, y0/y1 (predictions before) and
#               history.json (loss, priority_loss, department_loss); summary.txt
#   resnet      the toy ResNet on (12, 12, 3) images (filters 4, 6, 6, Dense(5, dropout 0.5)): .keras, x0, y
#   ensemble    three get_model() (Input(5, 2) -> LSTM(3) -> Dense(1)) averaged: .keras, x0, y
#   custom      serialization guide's CustomLayer(factor) registered as "MyLayers>CustomLayer", between an
#               LSTM(4) and a Dense(2) over Input(5, 2): .keras, x0, y
# The ticket fit is compared with make_api_guides_jax.py's (Keras on JAX): see there why. Seeded throughout.
import json
import os
import zipfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(20200401)


def save(name, **arrays):
    for k, v in arrays.items():
        np.save(f"apig_{name}.{k}.npy", np.asarray(v, dtype="float32"))


def save_keras(model, path):
    # Keras stores the archive's entries uncompressed: rewritten deflated (Keras and rnn4j read both).
    model.save(path)
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def summary(model, path):
    lines = []
    model.summary(print_fn=lambda s, line_break=True: lines.append(s))
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def save_after(name, model):
    for i, w in enumerate(model.weights):
        np.save(f"apig_{name}.after{i}.npy", np.asarray(w.numpy(), dtype="float32"))


# ---- Sequential: add, summary, feature extraction, pop
keras.utils.set_random_seed(1)
model = keras.Sequential(name="seq")
model.add(keras.Input(shape=(6, 3)))
model.add(layers.LSTM(8, return_sequences=True, name="lstm_a"))
model.add(layers.LSTM(4, name="lstm_b"))
model.add(layers.Dense(2, name="head"))
x = rng.normal(size=(3, 6, 3)).astype("float32")
save_keras(model, "apig_seq.keras")
summary(model, "apig_seq.summary.txt")
feats = keras.Model(inputs=model.inputs, outputs=[layer.output for layer in model.layers]).predict(x, verbose=0)
save("seq", x0=x, y=model.predict(x, verbose=0), **{f"feat{i}": f for i, f in enumerate(feats)})
model.pop()
# model(x), not model.predict(x): predict reuses the predict_function it traced before the pop (Keras 3.15.1 then
# still outputs the popped Dense's (3, 2)); the model's call runs the layers that are left.
save("seq", y_pop=model(x))

# ---- Transfer learning: freeze all but the last layer
model = keras.models.load_model("apig_seq.keras")
for layer in model.layers[:-1]:
    layer.trainable = False
model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
summary(model, "apig_freeze.summary.txt")
fx = rng.normal(size=(4, 6, 3)).astype("float32")
fy = rng.normal(size=(4, 2)).astype("float32")
h = model.fit(fx, fy, batch_size=2, epochs=1, shuffle=False, verbose=0)
save("freeze", fit_x=fx, fit_y=fy, fit_loss=h.history["loss"])
save_after("freeze", model)

# ---- Functional: the ticket classifier (multi-input, multi-output)
keras.utils.set_random_seed(2)
num_tags, num_words, num_departments = 6, 50, 3
title_input = keras.Input(shape=(None,), name="title")
body_input = keras.Input(shape=(None,), name="body")
tags_input = keras.Input(shape=(num_tags,), name="tags")
title_features = layers.Embedding(num_words, 8)(title_input)
body_features = layers.Embedding(num_words, 8)(body_input)
title_features = layers.LSTM(8)(title_features)
body_features = layers.LSTM(4)(body_features)
x = layers.concatenate([title_features, body_features, tags_input])
priority_pred = layers.Dense(1, name="priority")(x)
department_pred = layers.Dense(num_departments, name="department")(x)
model = keras.Model(inputs=[title_input, body_input, tags_input], outputs={"priority": priority_pred,
                                                                           "department": department_pred})
model = keras.Model(inputs=[title_input, body_input, tags_input], outputs=[priority_pred, department_pred])
model.compile(
    optimizer=keras.optimizers.RMSprop(1e-3),
    loss={"priority": keras.losses.BinaryCrossentropy(from_logits=True),
          "department": keras.losses.CategoricalCrossentropy(from_logits=True)},
    loss_weights={"priority": 1.0, "department": 0.2},
)
save_keras(model, "apig_ticket.keras")
summary(model, "apig_ticket.summary.txt")
title = rng.integers(num_words, size=(8, 5)).astype("float32")
body = rng.integers(num_words, size=(8, 7)).astype("float32")
tags = rng.integers(2, size=(8, num_tags)).astype("float32")
priority = rng.random(size=(8, 1)).astype("float32")
department = np.eye(num_departments, dtype="float32")[rng.integers(num_departments, size=8)]
y0, y1 = model.predict({"title": title, "body": body, "tags": tags}, verbose=0)
save("ticket", title=title, body=body, tags=tags, priority=priority, department=department, y0=y0, y1=y1)
h = model.fit({"title": title, "body": body, "tags": tags}, {"priority": priority, "department": department},
              epochs=1, batch_size=4, shuffle=False, verbose=0)
with open("apig_ticket.history.json", "w") as f:
    json.dump({k: [float(v) for v in vs] for k, vs in h.history.items()}, f, indent=1)


# ---- Functional: a toy ResNet
keras.utils.set_random_seed(3)
inputs = keras.Input(shape=(12, 12, 3), name="img")
x = layers.Conv2D(4, 3, activation="relu")(inputs)
x = layers.Conv2D(6, 3, activation="relu")(x)
block_1_output = layers.MaxPooling2D(2)(x)
x = layers.Conv2D(6, 3, activation="relu", padding="same")(block_1_output)
x = layers.Conv2D(6, 3, activation="relu", padding="same")(x)
block_2_output = layers.add([x, block_1_output])
x = layers.Conv2D(6, 3, activation="relu")(block_2_output)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dense(8, activation="relu")(x)
x = layers.Dropout(0.5)(x)
outputs = layers.Dense(5)(x)
model = keras.Model(inputs, outputs, name="toy_resnet")
save_keras(model, "apig_resnet.keras")
x = rng.normal(size=(2, 12, 12, 3)).astype("float32")
save("resnet", x0=x, y=model.predict(x, verbose=0))


# ---- Functional: models as layers (the ensemble)
def get_model():
    inputs = keras.Input(shape=(5, 2))
    outputs = layers.Dense(1)(layers.LSTM(3)(inputs))
    return keras.Model(inputs, outputs)


keras.utils.set_random_seed(4)
model1, model2, model3 = get_model(), get_model(), get_model()
inputs = keras.Input(shape=(5, 2))
outputs = layers.average([model1(inputs), model2(inputs), model3(inputs)])
ensemble_model = keras.Model(inputs=inputs, outputs=outputs)
save_keras(ensemble_model, "apig_ensemble.keras")
x = rng.normal(size=(3, 5, 2)).astype("float32")
save("ensemble", x0=x, y=ensemble_model.predict(x, verbose=0))


# ---- Saving: a registered custom layer with get_config
@keras.saving.register_keras_serializable(package="MyLayers")
class CustomLayer(keras.layers.Layer):
    def __init__(self, factor, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor})
        return config


keras.utils.set_random_seed(5)
model = keras.Sequential([keras.Input(shape=(5, 2)), layers.LSTM(4), CustomLayer(0.5), layers.Dense(2)])
save_keras(model, "apig_custom.keras")
x = rng.normal(size=(3, 5, 2)).astype("float32")
save("custom", x0=x, y=model.predict(x, verbose=0))
