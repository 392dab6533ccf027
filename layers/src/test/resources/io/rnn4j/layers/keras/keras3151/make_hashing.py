# Writes the Keras 3.15.1 fixtures of Hashing, HashedCrossing and StringLookup / IntegerLookup with
# several OOV indices (HashingKerasTest, StringHashesTest): run in this folder with TensorFlow 2.21
# installed (these layers run TensorFlow's string hash kernels) as
#   KERAS_BACKEND=tensorflow python make_hashing.py
# hashing_table.json: strings (empty, every length 0..130, longer ones up to 300 bytes, non-ASCII
#   UTF-8) with TensorFlow's to_hash_bucket_fast (FarmHash Fingerprint64) and to_hash_bucket_strong
#   (SipHash-2-4) under two keys, each modulo 2^63-1 and 2^63-2 (together they fix all 64 bits), and
#   tf.sparse.cross_hashed's raw values (num_buckets=0: modulo 2^63-1) of string / int64 pairs.
#   Hashes are written as decimal strings (JSON numbers would lose bits).
# hashing_cases.json: per case, the layer's class and config (dtype left out), its input(s) and
#   output, or the error Keras raised.
# hashing_NAME.keras: models with Hashing / HashedCrossing / IntegerLookup on integer inputs;
#   hashing_NAME.x0.npy (x1...) inputs, .y.npy predictions; hashing_trained also fit_x*/fit_y and
#   y_after (predictions after one epoch of SGD).
import json
import keras, numpy as np
import tensorflow as tf
from keras import layers as L

M1, M2 = 2**63 - 1, 2**63 - 2
KEYS = [[133, 137], [0xDEADBEEF12345678 - 2**64, 42]]  # int64 attrs: the second has its top bit set
rng = np.random.default_rng(1234)


def ascii_text(n):
    return "".join(chr(c) for c in rng.integers(32, 127, size=n))


strings = [ascii_text(n) for n in range(0, 131)]
strings += [ascii_text(n) for n in (191, 192, 193, 255, 256, 257, 300)]
strings += ["A", "B", "", "0", "-1", "12", "hello world", "é", "日本語のテキスト", "naïve café 😀",
            "\u00ff" * 40, "ü" * 70, "z\u0000z"]
b = tf.constant(strings)


def mods(t):
    return [str(int(v)) for v in t.numpy()]


table = {"strings": strings,
         "fast_m1": mods(tf.strings.to_hash_bucket_fast(b, M1)),
         "fast_m2": mods(tf.strings.to_hash_bucket_fast(b, M2)),
         "strong": [{"key": [str(k) for k in key],
                     "m1": mods(tf.strings.to_hash_bucket_strong(b, M1, key=key)),
                     "m2": mods(tf.strings.to_hash_bucket_strong(b, M2, key=key))} for key in KEYS]}
left = strings[:40]
ints = [int(v) for v in rng.integers(-10**6, 10**6, size=40)]
cross = tf.sparse.cross_hashed([tf.constant([[s] for s in left]), tf.constant([[v] for v in ints], tf.int64)])
cross3 = tf.sparse.cross_hashed([tf.constant([[v] for v in ints], tf.int64), tf.constant([[s] for s in left]),
                                 tf.constant([[s] for s in reversed(left)])])
table["cross"] = {"left": left, "ints": ints, "m1": mods(cross.values),
                  "three_m1": mods(cross3.values)}
with open("hashing_table.json", "w") as f:
    json.dump(table, f, separators=(",", ":"), ensure_ascii=False)
