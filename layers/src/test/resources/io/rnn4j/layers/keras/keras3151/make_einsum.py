# Writes the Keras 3.15.1 EinsumDense / GroupQueryAttention fixtures of EinsumFilesTest: run in this folder with
#   python make_einsum.py          (TensorFlow backend, CPU)
# For each NAME: NAME.keras, its inputs NAME.x<i>.npy and Keras's predict outputs NAME.y<i>.npy (float64),
# listed in manifest-einsum.txt as "NAME inputs outputs". Then ed_train.keras and gqa_train.keras, models
# compiled with SGD(0.1) and mse before any training, their data NAME.fit_x<i>.npy / NAME.fit_y.npy, one epoch
# of fit(batch_size=4, shuffle=False) (two SGD steps), and every weight after it as NAME.after<i>.npy in
# model.weights order. Fixed seeds.
import keras, numpy as np
from keras import layers as L

rng = np.random.default_rng(23)
models = {}


def add(name, build, xs):
    keras.utils.set_random_seed(len(models) + 601)
    models[name] = (build(), xs)


def randomized(m):
    # Random biases too (Keras initializes them to zeros), so that every weight matters.
    for w in m.weights:
        w.assign(rng.uniform(-0.5, 0.5, w.shape).astype("float32"))
    return m


def f32(*shape):
    return rng.standard_normal(shape).astype("float32")


def tokens(*shape):
    # Token ids with zeros (Embedding(mask_zero=True) masks them), trailing and inside.
    t = rng.integers(1, 10, shape).astype("float32")
    t[0, -2:] = 0
    t[1, 1] = 0
    return t


def seq(shape, *ls):
    return lambda: randomized(keras.Sequential([keras.Input(shape)] + list(ls)))


# Several equations side by side in one model (one file): each input through its own EinsumDense.
FORMS = [((4,), L.EinsumDense("ab,bc->ac", 3, bias_axes="c", activation="relu")),
         ((3, 4, 2), L.EinsumDense("...ab,bc->...ac", (4, 5), bias_axes="c")),
         ((3, 4, 2, 2), L.EinsumDense("abc...,cd->abd...", (3, 5), bias_axes="d")),
         ((5, 4), L.EinsumDense("abc,dc->adb", (3, 5), bias_axes="b")),
         ((5, 4), L.EinsumDense("abc,bcd->abd", (5, 3), bias_axes="bd")),
         ((5, 4), L.EinsumDense("abc,cd->ad", 3, bias_axes="d"))]


def forms():
    ins = [keras.Input(shape) for shape, _ in FORMS]
    outs = [layer(x) for x, (_, layer) in zip(ins, FORMS)]
    # EinsumDense does not support masking: the Embedding's mask stops there and the LSTM sees every step.
    t = keras.Input((6,))
    e = L.EinsumDense("abc,cd->abd", (None, 3), bias_axes="d")(L.Embedding(10, 4, mask_zero=True)(t))
    return randomized(keras.Model(ins + [t], outs + [L.LSTM(2)(e)]))


add("ed_forms", forms, [f32(2, *shape) for shape, _ in FORMS] + [tokens(2, 6)])


def gqa():
    q = keras.Input((4, 6))
    v = keras.Input((5, 6))
    k = keras.Input((5, 3))
    m = keras.Input((4, 5))
    t = keras.Input((6,))
    # Self-attention over an Embedding(mask_zero): query, value and key masks from the tokens, and causal.
    e = L.Embedding(10, 8, mask_zero=True)(t)
    causal = L.GroupQueryAttention(head_dim=4, num_query_heads=4, num_key_value_heads=2)(e, e, use_causal_mask=True)
    # Cross-attention with a separate key, scores returned (Keras's explicit path), dropout (inactive).
    y, s = L.GroupQueryAttention(2, 6, 3, dropout=0.2)(q, v, k, return_attention_scores=True)
    # An explicit attention_mask with causal and a masked value (fused dot_product_attention path), no bias.
    vm = L.Masking(0.0)(v)
    masked = L.GroupQueryAttention(3, 2, 1, use_bias=False)(q, vm, attention_mask=m, use_causal_mask=True)
    # use_causal_mask and nothing else: Keras's causal_only path (dot_product_attention is_causal=True).
    only = L.GroupQueryAttention(2, 4, 4, flash_attention=False)(q, q, use_causal_mask=True)
    # Keras 3.14+'s sigmoid gate and a sliding window (|i - j| < 2) on a query-masked self-attention.
    qm = L.Masking(0.0)(q)
    gated = L.GroupQueryAttention(2, 2, 1, use_gate=True, sliding_window=2)(qm, qm)
    return randomized(keras.Model([q, v, k, m, t], [L.Dense(2)(causal), y, s, masked, only, gated]))


vx = f32(2, 5, 6)
vx[0, 3:] = 0.0
am = (rng.random((2, 4, 5)) > 0.3).astype("float32")
qx = f32(2, 4, 6)
qx[1, 2] = 0.0
add("gqa_models", gqa, [qx, vx, f32(2, 5, 3), am, tokens(2, 6)])

with open("manifest-einsum.txt", "w") as mf:
    for name, (m, xs) in models.items():
        m.save(name + ".keras")
        for i, x in enumerate(xs):
            np.save(f"{name}.x{i}.npy", x)
        ys = m.predict(xs if len(xs) > 1 else xs[0], verbose=0)
        ys = list(ys) if isinstance(ys, (list, tuple)) else [ys]
        for i, y in enumerate(ys):
            np.save(f"{name}.y{i}.npy", np.asarray(y).astype("float64"))
        mf.write(f"{name} {len(xs)} {len(ys)}\n")


def train(name, m, fxs, fy):
    m.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    m.save(name + ".keras")
    for i, x in enumerate(fxs):
        np.save(f"{name}.fit_x{i}.npy", x)
    np.save(f"{name}.fit_y.npy", fy)
    m.fit(fxs if len(fxs) > 1 else fxs[0], fy, batch_size=4, epochs=1, shuffle=False, verbose=0)
    for i, w in enumerate(m.weights):
        np.save(f"{name}.after{i}.npy", np.asarray(w).astype("float64"))


keras.utils.set_random_seed(699)
train("ed_train", randomized(keras.Sequential([
    keras.Input((5, 4)), L.EinsumDense("abc,cde->abde", (5, 2, 3), bias_axes="de"),
    L.EinsumDense("abde,dec->abc", (5, 4), bias_axes="c", activation="tanh"),
    L.EinsumDense("...b,bc->...c", 3), L.Flatten(), L.Dense(1)])), [f32(8, 5, 4)], f32(8, 1))

keras.utils.set_random_seed(701)
t = keras.Input((6,))
e = L.Embedding(10, 8, mask_zero=True)(t)
a = L.GroupQueryAttention(4, 4, 2)(e, e, use_causal_mask=True)
train("gqa_train", randomized(keras.Model(t, L.Dense(1)(L.GlobalAveragePooling1D()(a)))),
      [tokens(8, 6)], f32(8, 1))

# Keras 3's legacy HDF5 format (model.save("....h5")): GroupQueryAttention's weights under
# model_weights/grouped_query_attention/grouped_query_attention/{query,key,value,attention_output}/...
keras.utils.set_random_seed(703)
q = keras.Input((4, 6))
legacy = randomized(keras.Model(q, [L.GroupQueryAttention(2, 4, 2)(q, q, use_causal_mask=True),
                                    L.EinsumDense("abc,cde->abde", (4, 2, 3), bias_axes="de")(q)]))
legacy.save("gqa_legacy.h5")
lx = f32(2, 4, 6)
np.save("gqa_legacy.x0.npy", lx)
for i, y in enumerate(legacy.predict(lx, verbose=0)):
    np.save(f"gqa_legacy.y{i}.npy", np.asarray(y).astype("float64"))
