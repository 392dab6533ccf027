# Writes compile_forms.json, the fixtures of CompileFormsKerasTest: run in this folder with
# `python make_compile_forms.py` (TensorFlow 2.21, Keras 3.15.1). Every form a user can write in
# compile(): each function of keras.losses as an object (ctc left out: its labels are not these;
# categorical_generalized_cross_entropy too: its q has no default, so Keras cannot call it), loss
# by name and as a Loss instance, metrics as functions, names and instances, lists and dicts per output,
# loss_weights and weighted_metrics. For each: Keras's get_compile_config() and Keras's
# evaluate(return_dict=True) on x, y (and sample weights) of fixed weights; the model: Input(3) -> Dense
# "a" (2, sigmoid) and Dense "b" (3, softmax), one output ("b") or both.
import inspect
import json

import numpy as np
import keras
from keras import layers as L

rng = np.random.default_rng(1515)
x = rng.normal(size=(6, 3)).astype("float32")
ya = (rng.random((6, 2)) > 0.5).astype("float32")
ids = rng.integers(0, 3, size=6)
yb = np.eye(3, dtype="float32")[ids]
sw = rng.random(6).astype("float32") + 0.5
wa = [rng.normal(size=(3, 2)).astype("float32"), rng.normal(size=2).astype("float32")]
wb = [rng.normal(size=(3, 3)).astype("float32"), rng.normal(size=3).astype("float32")]
SPARSE = {"sparse_categorical_crossentropy", "circle", "categorical_generalized_cross_entropy"}


def model(two):
    i = keras.Input((3,), name="x")
    a = L.Dense(2, activation="sigmoid", name="a")(i)
    b = L.Dense(3, activation="softmax", name="b")(i)
    m = keras.Model(i, [a, b] if two else b)
    if two:
        m.get_layer("a").set_weights(wa)
    m.get_layer("b").set_weights(wb)
    return m


cases = {}


def case(name, two, sparse=False, **compile_args):
    m = model(two)
    m.compile(optimizer="sgd", **compile_args)
    yb_ = ids.astype("float32") if sparse else yb
    y = [ya, yb_] if two else yb_
    ev = m.evaluate(x, y, sample_weight=sw if "weighted_metrics" in compile_args else None, verbose=0,
                    return_dict=True)
    config = m.get_compile_config()
    m2 = model(two)
    m2.compile_from_config(config)  # Keras reads back what it wrote
    cases[name] = {"two": two, "sparse": sparse, "weighted": "weighted_metrics" in compile_args,
                   "compile_config": config, "evaluate": {k: float(v) for k, v in ev.items()}}


for n, f in sorted(vars(keras.losses).items()):
    if inspect.isfunction(f) and n not in ("get", "serialize", "deserialize", "ctc", "categorical_generalized_cross_entropy"):
        case("fn_" + n, False, sparse=n in SPARSE, loss=f)
case("string_and_instance", False, loss="categorical_crossentropy",
     metrics=[keras.metrics.categorical_accuracy, "mae", keras.metrics.AUC(), keras.metrics.TopKCategoricalAccuracy(k=2)])
case("instance_loss", False, loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1),
     metrics=["accuracy", keras.metrics.mean_squared_error], weighted_metrics=[keras.metrics.categorical_crossentropy])
case("two_list", True, loss=[keras.losses.binary_crossentropy, keras.losses.CategoricalCrossentropy()],
     loss_weights=[0.3, 0.7], metrics=[[keras.metrics.binary_accuracy], ["accuracy", keras.metrics.categorical_accuracy]])
case("two_dict", True, loss={"a": keras.losses.binary_crossentropy, "b": "categorical_crossentropy"},
     loss_weights={"a": 2.0, "b": 0.5}, metrics={"a": keras.metrics.binary_accuracy,
                                                  "b": [keras.metrics.top_k_categorical_accuracy]},
     weighted_metrics={"a": ["mse"], "b": [keras.metrics.categorical_crossentropy]})
case("one_loss_two_outputs", True, loss=keras.losses.mean_squared_error, metrics=[["mae"], ["mae"]])
out = {"x": x.tolist(), "ya": ya.tolist(), "yb": yb.tolist(), "ids": ids.tolist(), "sw": sw.tolist(),
       "wa": [w.tolist() for w in wa], "wb": [w.tolist() for w in wb], "cases": cases}
with open("compile_forms.json", "w") as fh:
    json.dump(out, fh)
for k, v in cases.items():
    print(k, v["evaluate"])
