# Writes the Keras 3.15.1 fixtures of TextVectorization (TextVectorizationKerasTest,
# TextModelsKerasWrittenTest): run in this folder with TensorFlow installed (TextVectorization
# runs on TensorFlow's string ops whatever the backend) as
#   KERAS_BACKEND=tensorflow python make_textvec.py
# textvec_cases.json: the corpus adapted on, the texts, and per option set the layer's config, its vocabulary after
# adapt (or as given), its idf weights (tf_idf) and its output on the texts.
# textvec_NAME.keras: a model whose string input goes straight into a TextVectorization;
# textvec_NAME.y.npy: its predict output on the texts (float64 of Keras's float32).
import json
import keras, numpy as np
import tensorflow as tf
from keras import layers as L

corpus = [
    "The cat sat on the mat.",
    "the CAT, the dog; and THE bird!",
    "Dogs & cats: 42 of them (roughly) -- 3.14 per-home?",
    "\u00c0 la carte: Stra\u00dfe, \u0130stanbul, \u0391\u0392\u0393 \u03b1\u03b2\u03b3",
    "emoji \U0001F600 and \U0001F600\U0001F600 outside the BMP",
    "tabs\tand\nnewlines\x0bvertical\x0cform\rreturn  double  space",
    "no-break\u00a0space ideographic\u3000space em\u2003space",
    "caf\u00e9 cafe\u0301 na\u00efve",
    "[UNK] is a token too; so is <unk>",
    "zebra yak xray zebra yak xray apple apple",
    "",
    "...!!!???",
    "   ",
    "a b c d e f g h i j k l m n o p q r s t u v w x y z the end",
]
texts = corpus + ["The unseen words: quokka, axolotl!", "THE MAT", "x"]

cases = {}


def case(name, texts_for_adapt=corpus, **kw):
    keras.utils.set_random_seed(7)
    tv = L.TextVectorization(**kw)
    if "vocabulary" not in kw:
        tv.adapt(texts_for_adapt)
    out = np.asarray(tv(np.array(texts)[:, None] if kw.get("split", "whitespace") is None else np.array(texts)))
    lookup = tv._lookup_layer
    idf = lookup.idf_weights_const.numpy().astype("float64").tolist() if kw.get("output_mode") == "tf_idf" else None
    cfg = tv.get_config()
    cfg.pop("dtype", None)
    cases[name] = {"config": cfg, "vocabulary": tv.get_vocabulary(), "idf": idf,
                   "output": out.astype("float64").tolist()}


case("default")
case("max_tokens_length", max_tokens=12, output_sequence_length=6)
case("lower_only", standardize="lower", max_tokens=200)
case("strip_only", standardize="strip_punctuation")
case("none_whitespace", standardize=None)
case("character", standardize=None, split="character", output_sequence_length=40)
case("character_lower", standardize="lower_and_strip_punctuation", split="character", max_tokens=25)
case("no_split", split=None, output_sequence_length=1)
case("no_split_none_length", split=None)
case("ngrams_2", ngrams=2, output_sequence_length=20)
case("ngrams_1_3", ngrams=(1, 3), max_tokens=60)
case("ngrams_3_1", ngrams=(3, 1))
case("multi_hot", output_mode="multi_hot", max_tokens=10)
case("multi_hot_all", output_mode="multi_hot")
case("count_padded", output_mode="count", max_tokens=30, pad_to_max_tokens=True)
case("count_ngrams", output_mode="count", ngrams=2, max_tokens=40)
case("tf_idf", output_mode="tf_idf")
case("tf_idf_max", output_mode="tf_idf", max_tokens=15)
case("tf_idf_padded", output_mode="tf_idf", max_tokens=80, pad_to_max_tokens=True)
case("given_int", vocabulary=["the", "cat", "mat", "[UNK]", "\u00e9t\u00e9", "\U0001F600"],
     output_sequence_length=5)
case("given_int_specials", vocabulary=["", "[UNK]", "dog", "cat"])
case("given_tf_idf", output_mode="tf_idf", vocabulary=["the", "cat", "dog"], idf_weights=[0.5, 1.25, 2.0])
case("given_tf_idf_specials", output_mode="tf_idf", vocabulary=["[UNK]", "the", "cat"], idf_weights=[0.1, 0.2, 0.3])
case("given_multi_hot_padded", output_mode="multi_hot", vocabulary=["a", "b", "the"], max_tokens=8,
     pad_to_max_tokens=True)

with open("textvec_cases.json", "w") as f:
    json.dump({"corpus": corpus, "texts": texts, "cases": cases}, f, ensure_ascii=True)


def model(name, build):
    keras.utils.set_random_seed(11 + len(name))
    m = build()
    m.save(f"textvec_{name}.keras")
    y = m.predict(tf.constant(texts)[:, None], verbose=0)
    np.save(f"textvec_{name}.y.npy", np.asarray(y).astype("float64"))


def seq_lstm():
    tv = L.TextVectorization(max_tokens=40, output_sequence_length=8)
    tv.adapt(corpus)
    return keras.Sequential([keras.Input((1,), dtype="string"), tv, L.Embedding(40, 4, mask_zero=True), L.LSTM(3),
                             L.Dense(2)])


def functional_gru():
    tv = L.TextVectorization(name="vectorize")
    tv.adapt(corpus)
    inp = keras.Input((1,), dtype="string", name="text")
    x = tv(inp)
    x = L.Embedding(tv.vocabulary_size(), 5, mask_zero=True)(x)
    x = L.Bidirectional(L.GRU(3))(x)
    return keras.Model(inp, L.Dense(2, activation="softmax")(x))


def functional_given():
    tv = L.TextVectorization(vocabulary=["the", "cat", "sat", "on", "mat", "the cat", "cat sat"], ngrams=2,
                             output_sequence_length=12)
    inp = keras.Input((1,), dtype="string")
    x = L.Embedding(tv.vocabulary_size(), 3, mask_zero=True)(tv(inp))
    return keras.Model(inp, L.Dense(1)(L.SimpleRNN(4)(x)))


def seq_tf_idf():
    tv = L.TextVectorization(output_mode="tf_idf", max_tokens=25)
    tv.adapt(corpus)
    return keras.Sequential([keras.Input((1,), dtype="string"), tv, L.Dense(3, activation="relu"), L.Dense(1)])


def seq_multi_hot():
    tv = L.TextVectorization(output_mode="multi_hot", max_tokens=30, pad_to_max_tokens=True, split="character")
    tv.adapt(corpus)
    return keras.Sequential([keras.Input((1,), dtype="string"), tv, L.Dense(2)])


def seq_tf_idf_padded():
    # Keras 3.15.1 cannot load this file back (its idf weights are saved padded to max_tokens, its
    # vocabulary not, and load_assets refuses the two lengths); rnn4j loads it.
    tv = L.TextVectorization(output_mode="tf_idf", max_tokens=50, pad_to_max_tokens=True)
    tv.adapt(corpus[:4])
    return keras.Sequential([keras.Input((1,), dtype="string"), tv, L.Dense(2)])


model("seq_lstm", seq_lstm)
model("seq_tf_idf_padded", seq_tf_idf_padded)
model("functional_gru", functional_gru)
model("functional_given", functional_given)
model("seq_tf_idf", seq_tf_idf)
model("seq_multi_hot", seq_multi_hot)
for name in ["seq_lstm", "functional_gru", "functional_given", "seq_tf_idf", "seq_multi_hot"]:
    back = keras.saving.load_model(f"textvec_{name}.keras")
    y = back.predict(tf.constant(texts)[:, None], verbose=0)
    assert np.array_equal(np.asarray(y), np.load(f"textvec_{name}.y.npy").astype("float32")), name
