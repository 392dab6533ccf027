# Writes the Keras 3.15.1 fixtures of IntegerLookup, CategoryEncoding and Discretization
# (NumericPreprocessingKerasTest): run in this folder with TensorFlow installed (IntegerLookup runs on
# TensorFlow's lookup tables) as
#   KERAS_BACKEND=tensorflow python make_numeric_preprocessing.py
# numprep_cases.json: per layer and option set, the layer's config (dtype left out), what it was
# adapted on (if anything), its vocabulary / idf weights / bin boundaries, the input it was called
# on and its output, or the error Keras raised. numprep_NAME.keras: a model with these layers
# between an Input and Dense/LSTM layers; numprep_NAME.x.npy its input, numprep_NAME.y.npy its
# predict output.
import json
import keras, numpy as np
import tensorflow as tf
from keras import layers as L

tokens = [[12, 7, 12, 40], [7, 7, -1, 3], [0, 12, 5, 40], [40, 12, 12, 99]]
ids = [[12, 7, 0, 1000], [3, -1, 40, 8]]
cases = {}


def lookup(name, data=tokens, x=ids, adapt=True, **kw):
    lk = L.IntegerLookup(**kw)
    if adapt and "vocabulary" not in kw:
        lk.adapt(np.array(data))
    out = np.asarray(lk(np.array(x)))
    idf = lk.idf_weights_const.numpy().astype("float64").tolist() if kw.get("output_mode") == "tf_idf" else None
    cfg = lk.get_config()
    cfg.pop("dtype", None)
    cases[name] = {"layer": "IntegerLookup", "config": cfg, "adapt": data if adapt and "vocabulary" not in kw else None,
                   "vocabulary": [int(v) for v in lk.get_vocabulary()], "idf": idf, "x": x,
                   "output": out.astype("float64").tolist()}


lookup("default")
lookup("tokens_1d", data=[5, 3, 5, 9, 3, 5, 2], x=[[5, 2, 4]])
lookup("mask", mask_token=0)
lookup("mask_max", mask_token=0, max_tokens=4)
lookup("oov_token", oov_token=7, max_tokens=5)
lookup("no_oov", num_oov_indices=0, vocabulary=[12, 7, 0, 1000, 3, -1, 40, 8], x=ids)
lookup("one_hot_column", output_mode="one_hot", x=[[12], [3], [1000]])
lookup("one_hot", output_mode="one_hot", max_tokens=5)
lookup("multi_hot", output_mode="multi_hot")
lookup("multi_hot_mask", output_mode="multi_hot", mask_token=0)
lookup("count_padded", output_mode="count", max_tokens=10, pad_to_max_tokens=True)
lookup("tf_idf", output_mode="tf_idf")
lookup("tf_idf_1d", output_mode="tf_idf", data=[5, 3, 5, 9, 3, 5, 2], x=[[5, 2, 4]])
lookup("tf_idf_mask", output_mode="tf_idf", mask_token=0, max_tokens=5)
lookup("given", vocabulary=[40, 7, 12])
lookup("given_specials", vocabulary=[0, -1, 40, 7], mask_token=0)
lookup("given_tf_idf", output_mode="tf_idf", vocabulary=[12, 40], idf_weights=[0.25, 1.5])
lookup("invert", invert=True, x=[[0, 1, 2, 3], [4, 5, 6, 100]])
lookup("invert_mask", invert=True, mask_token=0, oov_token=-7, x=[[0, 1, 2, 3], [4, 5, 6, 100]])
lookup("invert_given", invert=True, vocabulary=[40, 7, 12], x=[[0, 1, 2, 3, 4]])

counts = [[0, 1, 1, 3], [2, 2, 5, 9], [3, 3, 3, 3]]


def encoding(name, x=counts, **kw):
    ce = L.CategoryEncoding(**kw)
    try:
        out = np.asarray(ce(np.array(x))).astype("float64").tolist()
        err = None
    except Exception as e:
        out, err = None, type(e).__name__
    cfg = ce.get_config()
    cfg.pop("dtype", None)
    cases[name] = {"layer": "CategoryEncoding", "config": cfg, "x": x, "output": out, "error": err}


encoding("ce_default", num_tokens=6)
encoding("ce_count", num_tokens=4, output_mode="count")
encoding("ce_one_hot", num_tokens=4, output_mode="one_hot")
encoding("ce_one_hot_column", num_tokens=5, output_mode="one_hot", x=[[1], [4], [7]])
encoding("ce_one_hot_negative", num_tokens=4, output_mode="one_hot", x=[[1, -1]])
encoding("ce_negative", num_tokens=4, output_mode="count", x=[[1, -1]])

rng = np.random.RandomState(5)
values = rng.randn(5, 40).astype("float32")
values[0, :4] = [0.0, 0.0, 0.5, -0.5]
probe = np.array([[-2.0, -0.5, 0.0, 0.05, 0.5, 3.0], [0.1, 0.2, -0.1, 1.0, -1.0, 0.0]], "float32")


def discretization(name, data=values, x=probe, **kw):
    d = L.Discretization(**kw)
    if "bin_boundaries" not in kw:
        d.adapt(data)
    out = np.asarray(d(x)).astype("float64").tolist()
    cases[name] = {"layer": "Discretization", "config": d.get_config(),
                   "adapt": short(data) if "bin_boundaries" not in kw else None, "x": short(x), "output": out}


def short(a):
    """float32 values as their shortest decimals (which read back as the same float32), to keep the file small."""
    a = np.asarray(a, "float32")
    return [short(r) for r in a] if a.ndim > 1 else [float(str(v)) for v in a]


discretization("d_given", bin_boundaries=[-0.5, 0.0, 0.1, 1.0])
discretization("d_bins4", num_bins=4)
discretization("d_bins5_eps", num_bins=5, epsilon=0.05)
discretization("d_bins7_eps", num_bins=7, epsilon=0.001)
discretization("d_small", num_bins=10, data=np.array([3.0, 1.0, 2.0], "float32"))
discretization("d_rows", num_bins=3, epsilon=0.3, data=values[:, :7])
discretization("d_one_hot", num_bins=3, output_mode="one_hot", x=probe[:, :1])
discretization("d_multi_hot", bin_boundaries=[0.0, 1.0], output_mode="multi_hot")
discretization("d_count", num_bins=4, output_mode="count")
big = np.round(np.random.RandomState(8).standard_t(3, size=(20, 40)), 2).astype("float32")  # ties, long tails
big_probe = np.linspace(-4, 4, 33, dtype="float32").reshape(3, 11)
discretization("d_big", num_bins=10, data=big, x=big_probe)
discretization("d_big_eps", num_bins=13, epsilon=0.003, data=big, x=big_probe)

with open("numprep_cases.json", "w") as f:
    json.dump({"cases": cases}, f, separators=(",", ":"))


def model(name, build, x):
    keras.utils.set_random_seed(17 + len(name))
    m = build()
    m.save(f"numprep_{name}.keras")
    y = m.predict(x, verbose=0)
    np.save(f"numprep_{name}.x.npy", np.asarray(x).astype("float32"))
    np.save(f"numprep_{name}.y.npy", np.asarray(y).astype("float64"))
    back = keras.saving.load_model(f"numprep_{name}.keras")
    assert np.array_equal(np.asarray(back.predict(x, verbose=0)), np.asarray(y)), name


def lookup_lstm():
    lk = L.IntegerLookup(mask_token=0)
    lk.adapt(np.array(tokens))
    inp = keras.Input((4,), dtype="int64")
    h = L.Embedding(lk.vocabulary_size(), 5, mask_zero=True)(lk(inp))
    return keras.Model(inp, L.Dense(2)(L.LSTM(3)(h)))


def discretize_dense():
    d = L.Discretization(num_bins=4)
    d.adapt(values)
    return keras.Sequential([keras.Input((6,)), d, L.CategoryEncoding(num_tokens=4, output_mode="count"),
                             L.Dense(3, activation="tanh")])


def lookup_tf_idf():
    lk = L.IntegerLookup(output_mode="tf_idf", max_tokens=6, pad_to_max_tokens=True)
    lk.adapt(np.array(tokens))
    return keras.Sequential([keras.Input((4,), dtype="int64"), lk, L.Dense(2)])


def lookup_given_one_hot():
    lk = L.IntegerLookup(output_mode="one_hot", vocabulary=[12, 40, 7, 3])
    return keras.Sequential([keras.Input((1,), dtype="int64"), lk, L.Dense(2)])


def nested():
    lk = L.IntegerLookup()
    lk.adapt(np.array(tokens))
    inner = keras.Sequential([keras.Input((4,), dtype="int64"), lk, L.Embedding(lk.vocabulary_size(), 2)])
    inp = keras.Input((4,), dtype="int64")  # the vocabulary asset lands at assets/layers/sequential/layers/...
    return keras.Model(inp, L.Dense(1)(L.Flatten()(inner(inp))))


def lookup_given_tf_idf():
    lk = L.IntegerLookup(output_mode="tf_idf", vocabulary=[12, 40, 7], idf_weights=[0.5, 1.25, 2.0])
    return keras.Sequential([keras.Input((4,), dtype="int64"), lk, L.Dense(2)])


model("lookup_lstm", lookup_lstm, np.array(ids + tokens, "int64"))
model("discretize_dense", discretize_dense, probe)
model("lookup_tf_idf", lookup_tf_idf, np.array(ids + tokens, "int64"))
model("lookup_given_one_hot", lookup_given_one_hot, np.array([[12], [3], [5], [40]], "int64"))
model("nested", nested, np.array(ids + tokens, "int64"))
model("lookup_given_tf_idf", lookup_given_tf_idf, np.array(ids + tokens, "int64"))
