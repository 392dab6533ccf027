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
#   y_after (predictions after one epoch of SGD). hashing_str_oov.keras: a string input into a
#   StringLookup with several OOV indices, hashing_str_oov.y.npy its predictions.
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

# ---- layer cases ----
cases = {}
words = [["A", "B", "C"], ["D", "E", ""], ["é", "日本語", "A"], ["naïve café 😀", "", "a much longer token, " * 5]]
column = [["A"], ["B"], [""], ["C"], ["D"]]
ints = [[1, -2, 1000000, 0], [0, 0, 7, -7], [16777216, 5, 5, 42]]  # rnn4j holds them in float32: up to 2^24


def listify(a):
    a = np.asarray(a)
    return a.astype("float64").tolist() if a.dtype.kind in "iuf" else a.tolist()


def case(name, layer, x, **extra):
    try:
        out, err = listify(layer(x)), None
    except Exception as e:
        out, err = None, type(e).__name__ + ": " + str(e).split("\n")[0]
    cfg = layer.get_config()
    cfg.pop("dtype", None)
    cases[name] = {"layer": type(layer).__name__, "config": cfg, "x": x if not isinstance(x, tuple) else list(x),
                   "output": out, "error": err, **extra}


def hashing(name, x, **kw):
    case(name, L.Hashing(**kw), np.array(x) if not isinstance(x[0][0], str) else tf.constant(x), strings=isinstance(
        x[0][0], str))
    cases[name]["x"] = x


hashing("h_docstring", [["A"], ["B"], ["C"], ["D"], ["E"]], num_bins=3)
hashing("h_docstring_mask", column, num_bins=3, mask_value="")
hashing("h_docstring_salt", [["A"], ["B"], ["C"], ["D"], ["E"]], num_bins=3, salt=[133, 137])
hashing("h_docstring_salt1", [["A"], ["B"], ["C"], ["D"], ["E"]], num_bins=3, salt=133)
hashing("h_words", words, num_bins=1000)
hashing("h_words_mask_salt", words, num_bins=17, mask_value="", salt=[-5, 2**52 + 12345])  # a JSON float64 holds 2^53
hashing("h_words_one_hot", column, num_bins=6, output_mode="one_hot")
hashing("h_words_one_hot_rows", words, num_bins=5, output_mode="one_hot")
hashing("h_words_multi_hot", words, num_bins=7, output_mode="multi_hot", mask_value="")
hashing("h_words_count", words, num_bins=4, output_mode="count", salt=9)
hashing("h_one_bin_mask", words, num_bins=1, mask_value="A")
hashing("h_ints", ints, num_bins=1000)
hashing("h_ints_mask", ints, num_bins=10, mask_value=0)
hashing("h_ints_salt", ints, num_bins=10, salt=[1, 2])
hashing("h_ints_one_hot", [[3], [0], [-9]], num_bins=4, output_mode="one_hot")
hashing("h_ints_count", ints, num_bins=5, output_mode="count", mask_value=5)
hashing("h_floats", [[1.7, -2.5, 0.0, 1.0], [5.9, -0.2, 1e6, 3.0]], num_bins=50, mask_value=1)


def crossing(name, cols, **kw):
    x = tuple(tf.constant(c) if isinstance(c[0], str) or (isinstance(c[0], list) and isinstance(c[0][0], str))
              else tf.constant(c, tf.int64) for c in cols)
    case(name, L.HashedCrossing(**kw), x)
    cases[name]["x"] = cols


crossing("x_str_int", [["A", "B", "C", "", "é"], [1, 2, 3, -4, 10**12]], num_bins=10)
crossing("x_int_int_col", [[[1], [2], [3]], [[4], [5], [6]]], num_bins=7)
crossing("x_three", [["a", "b", "c"], ["x", "y", "z"], [7, 8, 9]], num_bins=100)
crossing("x_one_hot", [["a", "b", "c"], [1, 2, 2]], num_bins=5, output_mode="one_hot")
crossing("x_one_hot_col", [[["a"], ["b"], ["c"]], [[1], [2], [2]]], num_bins=5, output_mode="one_hot")

vocab_rows = [["red", "green", "red", "blue"], ["green", "red", "", "gold"], ["red", "blue", "blue", "green"]]
probe_rows = [["red", "pink", "", "teal"], ["navy", "green", "olive", "sky"], ["a", "b", "c", "d"]]


def string_lookup(name, x=probe_rows, **kw):
    lk = L.StringLookup(**kw)
    if "vocabulary" not in kw:
        lk.adapt(tf.constant(vocab_rows))
    case(name, lk, tf.constant(x), vocabulary=lk.get_vocabulary(),
         adapt=vocab_rows if "vocabulary" not in kw else None)
    cases[name]["x"] = x


string_lookup("s_oov3", num_oov_indices=3)
string_lookup("s_oov3_mask", num_oov_indices=3, mask_token="")
string_lookup("s_oov4_salt", num_oov_indices=4, salt=[11, 12])
string_lookup("s_oov2_salt1", num_oov_indices=2, salt=77)
string_lookup("s_oov3_count", num_oov_indices=3, output_mode="count")
string_lookup("s_oov2_one_hot", num_oov_indices=2, output_mode="one_hot", x=[["red"], ["pink"], ["teal"]])
string_lookup("s_oov3_given", num_oov_indices=3, vocabulary=["[UNK]", "[UNK]", "[UNK]", "red", "blue"])

int_rows = [[12, 7, 12, 40], [7, 7, -1, 3], [0, 12, 5, 40]]
int_probe = [[12, 8, -9, 1000], [3, 0, 41, -100], [5, 6, 7, 123456]]


def integer_lookup(name, x=int_probe, **kw):
    lk = L.IntegerLookup(**kw)
    if "vocabulary" not in kw:
        lk.adapt(np.array(int_rows))
    case(name, lk, np.array(x), vocabulary=[int(v) for v in lk.get_vocabulary()],
         adapt=int_rows if "vocabulary" not in kw else None)
    cases[name]["x"] = x


integer_lookup("i_oov3", num_oov_indices=3)
integer_lookup("i_oov3_mask", num_oov_indices=3, mask_token=0)
integer_lookup("i_oov4_farmhash", num_oov_indices=4, oov_method="farmhash")
integer_lookup("i_oov4_salt", num_oov_indices=4, oov_method="farmhash", salt=[3, 4])
integer_lookup("i_oov3_multi_hot", num_oov_indices=3, output_mode="multi_hot", mask_token=0)
integer_lookup("i_oov2_invert", num_oov_indices=2, invert=True, x=[[0, 1, 2, 3], [4, 5, 6, 99]])
integer_lookup("i_oov2_invert_mask", num_oov_indices=2, invert=True, mask_token=0, x=[[0, 1, 2, 3], [4, 5, 6, 99]])

# Edge cases (review of 2026-11-27): multi_hot / one_hot over rank-2 integer inputs, one bin with a
# mask value, a negative mask value with a salt, fractional floats against an integer mask value,
# HashedCrossing of integers beyond 2^31 and negative ones (exact in float32), one bin, several OOV
# indices with a mask token in multi_hot / one_hot, and negative ids under floormod and farmhash.
hashing("n_ints_multi_hot", ints, num_bins=6, output_mode="multi_hot")
hashing("n_ints_multi_hot_mask", ints, num_bins=6, output_mode="multi_hot", mask_value=0)
hashing("n_ints_one_hot_rows", ints, num_bins=4, output_mode="one_hot")
hashing("n_ints_one_bin_mask", ints, num_bins=1, mask_value=0)
hashing("n_ints_neg_mask", ints, num_bins=9, mask_value=-7, salt=[-3, 8])
hashing("n_floats_mask_frac", [[1.0, 1.5, -1.5, -1.0], [0.5, -0.5, 2.0, 7.99]], num_bins=20, mask_value=1)
hashing("n_words_one_bin", words, num_bins=1)
hashing("n_words_count_mask", words, num_bins=5, output_mode="count", mask_value="")
crossing("n_x_big_ints", [[[3 * 2**31], [-2**40], [-5], [2**33 + 2**20]], [[-1], [0], [2**31], [-2**31]]],
         num_bins=13)
crossing("n_x_big_ints_flat", [[3 * 2**31, -2**40, -5, 0], [-1, 0, 2**31, -7]], num_bins=4, output_mode="one_hot")
crossing("n_x_one_bin", [[1, 2], [3, 4]], num_bins=1)
string_lookup("n_s_oov2_mask_multi", num_oov_indices=2, mask_token="", output_mode="multi_hot")
string_lookup("n_s_oov2_mask_onehot", num_oov_indices=2, mask_token="", output_mode="one_hot",
              x=[["red"], [""], ["teal"]])
neg = [[-1, -2, -3, -4], [-5, -6, -7, -8], [-9, -10, -1000001, 12]]
integer_lookup("n_i_oov3_floormod_neg", num_oov_indices=3, x=neg)
integer_lookup("n_i_oov3_farmhash_neg", num_oov_indices=3, oov_method="farmhash", x=neg)
integer_lookup("n_i_oov3_farmhash_mask_neg", num_oov_indices=3, oov_method="farmhash", mask_token=0,
               x=[[0, -1, -2, 7], [-3, 0, 12, 40]])
integer_lookup("n_i_oov3_salt_count", num_oov_indices=3, oov_method="farmhash", salt=9, output_mode="count",
               mask_token=0, x=[[0, -1, -2, 7], [-3, 0, 12, 40]])
integer_lookup("n_i_oov3_invert_mask", num_oov_indices=3, invert=True, mask_token=0, x=[[0, 1, 2, 3], [4, 5, 6, 99]])

with open("hashing_cases.json", "w") as f:
    json.dump({"cases": cases}, f, separators=(",", ":"), ensure_ascii=False)

# ---- models on integer inputs ----
manifest = []


def model(name, build, xs):
    keras.utils.set_random_seed(40 + len(manifest))
    m = build()
    m.save(f"hashing_{name}.keras")
    for i, x in enumerate(xs):
        np.save(f"hashing_{name}.x{i}.npy", np.asarray(x).astype("float32"))
    y = m.predict(xs if len(xs) > 1 else xs[0], verbose=0)
    np.save(f"hashing_{name}.y.npy", np.asarray(y).astype("float64"))
    back = keras.saving.load_model(f"hashing_{name}.keras")
    assert np.array_equal(np.asarray(back.predict(xs if len(xs) > 1 else xs[0], verbose=0)), np.asarray(y)), name
    manifest.append(f"hashing_{name} {len(xs)}")
    return m


tok = np.array([[1, 0, 17, -3], [250, 9, 9, 0], [42, 42, 7, 1000000]], "int64")


def hash_embed():
    inp = keras.Input((4,), dtype="int64")
    h = L.Hashing(20, mask_value=0)(inp)
    e = L.Embedding(20, 3, mask_zero=True)(h)
    return keras.Model(inp, L.Dense(2)(L.LSTM(3)(e)))


def hash_count():
    return keras.Sequential([keras.Input((4,), dtype="int64"), L.Hashing(8, salt=[7, 9], output_mode="count"),
                             L.Dense(3, activation="tanh")])


def hash_one_hot():
    return keras.Sequential([keras.Input((1,), dtype="int64"), L.Hashing(6, output_mode="one_hot"), L.Dense(2)])


def cross():
    a = keras.Input((1,), dtype="int64")
    b = keras.Input((1,), dtype="int64")
    c = keras.Input((1,), dtype="int64")
    # Keras's compute_output_shape takes exactly two inputs (its call takes more, eagerly: see x_three).
    x = L.HashedCrossing(9, output_mode="one_hot")((a, b))
    ids = L.HashedCrossing(11)((b, c))
    e = L.Flatten()(L.Embedding(11, 2)(ids))
    return keras.Model([a, b, c], L.Dense(2)(L.Concatenate()([x, e])))


def oov_lookup():
    lk = L.IntegerLookup(num_oov_indices=3, oov_method="farmhash", salt=5)
    lk.adapt(tok)
    lk2 = L.IntegerLookup(num_oov_indices=2, vocabulary=[1, 9, 42])
    inp = keras.Input((4,), dtype="int64")
    e = L.Embedding(lk.vocabulary_size(), 2)(lk(inp))
    e2 = L.Embedding(lk2.vocabulary_size(), 2)(lk2(inp))
    return keras.Model(inp, L.Dense(2)(L.Flatten()(L.Concatenate()([e, e2]))))


def trained():
    m = keras.Sequential([keras.Input((4,), dtype="int64"), L.Hashing(16, salt=3), L.Embedding(16, 4),
                          L.GlobalAveragePooling1D(), L.Dense(1)])
    m.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    return m


model("embed", hash_embed, [tok])
model("count", hash_count, [tok])
model("one_hot", hash_one_hot, [tok[:, :1]])
model("cross", cross, [tok[:, :1], tok[:, 1:2], tok[:, 2:3]])
model("oov_lookup", oov_lookup, [tok])
m = model("trained", trained, [tok])
fx = rng.integers(-50, 50, size=(8, 4)).astype("int64")
fy = np.tanh(fx.sum(axis=1, keepdims=True) / 50.0).astype("float32")
np.save("hashing_trained.fit_x.npy", fx.astype("float32"))
np.save("hashing_trained.fit_y.npy", fy)
m.fit(fx, fy, batch_size=4, epochs=1, shuffle=False, verbose=0)
np.save("hashing_trained.y_after.npy", np.asarray(m.predict(tok, verbose=0)).astype("float64"))


# A string input straight into a StringLookup with several OOV indices and a salt (rnn4j's text front):
# hashing_str_oov.y.npy is its prediction on probe_rows (hashing_cases.json's s_oov3 "x").
def str_oov():
    lk = L.StringLookup(num_oov_indices=3, mask_token="", salt=[5, 6])
    lk.adapt(tf.constant(vocab_rows))
    return keras.Sequential([keras.Input((4,), dtype="string"), lk,
                             L.Embedding(lk.vocabulary_size(), 4, mask_zero=True), L.GRU(3), L.Dense(2)])


keras.utils.set_random_seed(77)
sm = str_oov()
sm.save("hashing_str_oov.keras")
sy = sm.predict(tf.constant(probe_rows), verbose=0)
np.save("hashing_str_oov.y.npy", np.asarray(sy).astype("float64"))
assert np.array_equal(keras.saving.load_model("hashing_str_oov.keras").predict(tf.constant(probe_rows), verbose=0), sy)
with open("manifest-hashing.txt", "w") as f:
    f.write("\n".join(manifest) + "\n")
