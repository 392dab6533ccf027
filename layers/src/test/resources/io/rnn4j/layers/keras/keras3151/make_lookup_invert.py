# Writes the Keras 3.15.1 fixtures of StringLookup and IntegerLookup with invert=True
# (LookupInvertKerasTest): run in this folder with TensorFlow installed (the lookups run on
# TensorFlow's tables) as
#   KERAS_BACKEND=tensorflow python make_lookup_invert.py
# lookup_invert_cases.json: the rows adapted on, the ids looked up (0, the OOV ids, every token's id,
# ids past the vocabulary, negatives) and per option set the layer's class, its config, its vocabulary,
# the vocabulary asset save_assets writes (adapted layers) and its output on the ids; then the
# messages Keras raises for bad options.
import json
import os
import tempfile
import keras, numpy as np
import tensorflow as tf
from keras import layers as L

corpus = [["red", "green", "blue"], ["red", "red", ""], ["[UNK]", "blue", "Red"], ["caf\u00e9", "\U0001F600", "red"],
          ["green", "green", "yellow"], ["", "", "violet"]]
int_corpus = [[12, 7, 12], [40, 7, 0], [-1, 12, 3], [5, 5, 5]]
ids = [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [12, 40, -1, -7]]

cases = {}


def asset(lk):
    with tempfile.TemporaryDirectory() as d:
        lk.save_assets(d)
        p = os.path.join(d, "vocabulary.txt")
        return open(p, encoding="utf-8").read() if os.path.exists(p) else None


def case(name, cls, data, **kw):
    lk = cls(invert=True, **kw)
    if "vocabulary" not in kw:
        lk.adapt(tf.constant(data))
    out = lk(tf.constant(ids, dtype="int64")).numpy()
    out = [[x.decode("utf-8") for x in r] for r in out] if cls is L.StringLookup else out.tolist()
    cfg = lk.get_config()
    cfg.pop("dtype", None)
    cases[name] = {"class": cls.__name__, "config": cfg, "vocabulary": [int(v) if cls is I else v for v in lk.get_vocabulary()], "asset": asset(lk),
                   "output": out}


S, I = L.StringLookup, L.IntegerLookup
case("string_default", S, corpus)
case("string_mask", S, corpus, mask_token="")
case("string_oov_token_max", S, corpus, oov_token="<oov>", max_tokens=5)
case("string_two_oov", S, corpus, num_oov_indices=2, mask_token="")
case("string_no_oov", S, corpus, num_oov_indices=0)
case("string_given", S, None, vocabulary=["a", "b", "c", "d"])
case("string_given_specials", S, None, vocabulary=["", "[UNK]", "a", "b"], mask_token="")
case("string_handwriting", S, None, vocabulary=["[UNK]"] + list("abc-019"), mask_token=None)
case("string_utf8_empty", S, None, vocabulary=["\u00e9", "\u65e5\u672c", "\U0001F600", ""])
case("string_mask_not_in_vocabulary", S, None, vocabulary=["x", "y"], mask_token="<m>")
case("string_pad_to_max_tokens", S, None, vocabulary=["a", "b"], max_tokens=5, pad_to_max_tokens=True)
case("string_no_oov_given", S, None, vocabulary=["a", "b", "c"], num_oov_indices=0)
case("integer_default", I, int_corpus)
case("integer_mask", I, int_corpus, mask_token=0)
case("integer_two_oov", I, int_corpus, num_oov_indices=2, oov_token=-9)
case("integer_given", I, None, vocabulary=[9, 8, 7])

errors = {}
for key, make in [("string_one_hot", lambda: S(invert=True, output_mode="one_hot")),
                  ("integer_count", lambda: I(invert=True, output_mode="count")),
                  ("string_oov_in_vocabulary", lambda: S(invert=True, vocabulary=["a", "[UNK]"])),
                  ("integer_oov_in_vocabulary", lambda: I(invert=True, vocabulary=[3, -1]))]:
    try:
        make()
        errors[key] = None
    except Exception as e:  # Keras raises ValueError
        errors[key] = str(e)
# Forward (not inverted) the OOV token is an ordinary vocabulary entry.
assert S(vocabulary=["a", "[UNK]"]).get_vocabulary() == ["[UNK]", "a", "[UNK]"]

with open("lookup_invert_cases.json", "w") as f:
    json.dump({"corpus": corpus, "int_corpus": int_corpus, "ids": ids, "cases": cases, "errors": errors}, f,
              ensure_ascii=True)
