# Writes the Keras 3.15.1 fixtures of StringLookup (StringLookupKerasTest, StringLookupModelsTest): run
# in this folder with TensorFlow installed (StringLookup runs on TensorFlow's lookup tables) as
#   KERAS_BACKEND=tensorflow python make_stringlookup.py
# stringlookup_cases.json: the rows adapted on, the rows looked up (3 tokens each), and per option set
# the layer's config, its vocabulary, its idf weights (tf_idf) and its output on the rows (on their
# first column when "column" is set). stringlookup_NAME.keras: a model whose string input goes
# straight into a StringLookup; stringlookup_NAME.y.npy: its predict output on the rows.
import json
import keras, numpy as np
import tensorflow as tf
from keras import layers as L

corpus = [["red", "green", "blue"], ["red", "red", ""], ["[UNK]", "blue", "Red"], ["caf\u00e9", "\U0001F600", "red"],
          ["green", "green", "yellow"], ["", "", "violet"]]
rows = corpus + [["pink", "red", "green"], ["", "blue", "unknown"]]

cases = {}


def case(name, column=False, **kw):
    lk = L.StringLookup(**kw)
    if "vocabulary" not in kw:
        lk.adapt(tf.constant(corpus))
    data = tf.constant(rows)[:, :1] if column else tf.constant(rows)
    out = np.asarray(lk(data))
    idf = lk.idf_weights_const.numpy().astype("float64").tolist() if kw.get("output_mode") == "tf_idf" else None
    cfg = lk.get_config()
    cfg.pop("dtype", None)
    cases[name] = {"config": cfg, "vocabulary": lk.get_vocabulary(), "idf": idf, "column": column,
                   "output": out.astype("float64").tolist()}


case("default")
case("mask", mask_token="")
case("mask_max", mask_token="", max_tokens=5)
case("oov_token", oov_token="<oov>", max_tokens=4)
case("no_oov", num_oov_indices=0, vocabulary=["red", "green", "blue", "", "pink", "unknown", "[UNK]", "Red",
                                                "caf\u00e9", "\U0001F600", "yellow", "violet"])
case("one_hot_column", output_mode="one_hot", column=True)
case("one_hot", output_mode="one_hot", max_tokens=6)
case("multi_hot", output_mode="multi_hot")
case("multi_hot_mask", output_mode="multi_hot", mask_token="")
case("count_padded", output_mode="count", max_tokens=10, pad_to_max_tokens=True)
case("tf_idf", output_mode="tf_idf")
case("tf_idf_mask", output_mode="tf_idf", mask_token="", max_tokens=6)
case("given", vocabulary=["green", "red", "blue"])
case("given_tf_idf", output_mode="tf_idf", vocabulary=["green", "red"], idf_weights=[0.25, 1.5])

with open("stringlookup_cases.json", "w") as f:
    json.dump({"corpus": corpus, "rows": rows, "cases": cases}, f, ensure_ascii=True)


def model(name, build, column):
    keras.utils.set_random_seed(31 + len(name))
    m = build()
    m.save(f"stringlookup_{name}.keras")
    data = tf.constant(rows)[:, :1] if column else tf.constant(rows)
    y = m.predict(data, verbose=0)
    np.save(f"stringlookup_{name}.y.npy", np.asarray(y).astype("float64"))
    back = keras.saving.load_model(f"stringlookup_{name}.keras")
    assert np.array_equal(np.asarray(back.predict(data, verbose=0)), np.asarray(y)), name


def seq_embedding():
    lk = L.StringLookup(mask_token="")
    lk.adapt(tf.constant(corpus))
    return keras.Sequential([keras.Input((3,), dtype="string"), lk, L.Embedding(lk.vocabulary_size(), 4, mask_zero=True),
                             L.GRU(3), L.Dense(2)])


def functional_multi_hot():
    lk = L.StringLookup(output_mode="multi_hot", vocabulary=["red", "green", "blue", "caf\u00e9"], name="colours")
    inp = keras.Input((3,), dtype="string", name="tokens")
    return keras.Model(inp, L.Dense(2, activation="sigmoid")(lk(inp)))


def seq_column():
    lk = L.StringLookup(max_tokens=6)
    lk.adapt(tf.constant(corpus))
    return keras.Sequential([keras.Input((1,), dtype="string"), lk, L.Embedding(6, 3), L.Flatten(), L.Dense(1)])


model("seq_embedding", seq_embedding, False)
model("functional_multi_hot", functional_multi_hot, False)
model("seq_column", seq_column, True)
