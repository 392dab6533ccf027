# Writes the Keras 3.15.1 (TensorFlow 2.21 backend) fixtures of CtcEdgesKerasWrittenTest: run in this
# folder with `python make_rev-ctc.py`. All files start with rev-ctc.
# 1. rev-ctc.CASE.{x,y,loss,grad}.npy: logits, labels, per-sample CTC loss (reduction=None) and the
#    gradient of the summed loss (tf.GradientTape) for edge cases: batch 1 with a label as long as T,
#    repeated labels that just fit / are one step short, all-zero labels, logits of magnitude 50,
#    labels with 0 before their end, labels far too long.
# 2. rev-ctc.train_{sgd,adam}: a model with None timesteps (Input((None, 3)) -> GRU -> Dense logits)
#    compiled with loss="ctc" (by name) or keras.losses.CTC(), saved before training (.keras), then
#    fit 3 epochs (batch 4, no shuffle): .loss.npy the logged epoch losses, .y_after.npy the logits
#    after, .eval.npy evaluate()'s loss after; x and labels in rev-ctc.train.{x,labels}.npy (T = 7),
#    rev-ctc.train.x5.npy a 5-step input and .y5.npy the trained SGD model's logits on it.
# 3. rev-ctc.dec.TAG.{labels,scores}.npy: keras.ops.ctc_decode on rev-ctc.dec.x.npy with
#    rev-ctc.dec.len.npy (lengths shorter than T): beam_width 1, top_paths 3 of 5, greedy with
#    mask_index -1, and beam search with mask_index 3 (= -1 for 4 classes), which rnn4j's -1 must give:
#    Keras 3.15.1's beam search mishandles a negative mask_index (the TensorFlow backend slices
#    inputs[..., -1:0], empty, and returns ids up to 2·classes-2; the JAX backend returns NaN scores).
# 4. rev-ctc.losses.json: the other Keras 3 losses on edge inputs (logits of ±50, probabilities of 0
#    and 1, unnormalized probabilities, 3-D inputs with an axis, Circle with sample weights): for
#    each case its class and get_config, y_true, y_pred, sample weights, the unreduced losses, the
#    default reduction and its gradient w.r.t. y_pred (tf.GradientTape).
import json
import os
import keras, numpy as np, tensorflow as tf
from keras import layers as L

rng = np.random.default_rng(2026)
ctc = keras.losses.CTC(reduction=None)


def grad_case(tag, logits, labels):
    x = tf.constant(np.asarray(logits, "float32"))
    y = np.array(labels, "float32")
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = ctc(y, x)
        total = tf.reduce_sum(loss)
    for k, v in {"x": x.numpy(), "y": y, "loss": loss.numpy(), "grad": tape.gradient(total, x).numpy()}.items():
        np.save(f"rev-ctc.{tag}.{k}.npy", np.asarray(v).astype("float64"))


grad_case("b1", rng.normal(size=(1, 5, 4)), [[1, 2, 3, 1, 2]])
grad_case("fit", rng.normal(size=(2, 5, 4)), [[1, 1, 2, 0], [2, 2, 2, 0]])
grad_case("short", rng.normal(size=(2, 4, 4)), [[1, 1, 2, 2], [3, 3, 3, 0]])
grad_case("zeros", rng.normal(size=(3, 4, 4)), [[0, 0], [0, 0], [1, 0]])
grad_case("big", np.sign(rng.normal(size=(3, 6, 5))) * 50, [[1, 2, 0], [3, 3, 0], [4, 0, 0]])
grad_case("big_normal", rng.normal(size=(2, 6, 5)) * 50, [[1, 2, 1], [2, 0, 0]])
grad_case("inner_zero", rng.normal(size=(2, 6, 5)), [[1, 0, 2], [0, 3, 0]])
grad_case("too_long", rng.normal(size=(2, 8, 6)), [[1, 2, 3, 4, 5, 1, 2, 3, 4], [1, 1, 1, 1, 1, 0, 0, 0, 0]])

steps, classes = 7, 5
x = rng.normal(size=(8, steps, 3)).astype("float32")
lab = np.array([[1, 2, 0], [3, 0, 0], [4, 4, 0], [1, 2, 3], [2, 0, 0], [0, 0, 0], [3, 1, 0], [2, 2, 2]], "float32")
x5 = rng.normal(size=(2, 5, 3)).astype("float32")
np.save("rev-ctc.train.x.npy", x.astype("float64"))
np.save("rev-ctc.train.labels.npy", lab.astype("float64"))
np.save("rev-ctc.train.x5.npy", x5.astype("float64"))
for opt, loss in (("sgd", "ctc"), ("adam", keras.losses.CTC())):
    keras.utils.set_random_seed(5)
    m = keras.Sequential([keras.Input((None, 3)), L.GRU(4, return_sequences=True), L.Dense(classes)])
    m.compile(optimizer=keras.optimizers.SGD(0.1) if opt == "sgd" else keras.optimizers.Adam(0.01), loss=loss)
    m.save(f"rev-ctc.train_{opt}.keras")
    h = m.fit(x, lab, batch_size=4, epochs=3, shuffle=False, verbose=0)
    np.save(f"rev-ctc.train_{opt}.loss.npy", np.array(h.history["loss"], "float64"))
    np.save(f"rev-ctc.train_{opt}.y_after.npy", np.asarray(m.predict(x, verbose=0)).astype("float64"))
    np.save(f"rev-ctc.train_{opt}.eval.npy", np.array([m.evaluate(x, lab, batch_size=4, verbose=0)], "float64"))
    if opt == "sgd":
        np.save("rev-ctc.train.y5.npy", np.asarray(m.predict(x5, verbose=0)).astype("float64"))

dx = rng.normal(size=(3, 6, 4)).astype("float32") * 2
dlen = np.array([6, 3, 4], "int32")
np.save("rev-ctc.dec.x.npy", dx.astype("float64"))
np.save("rev-ctc.dec.len.npy", dlen.astype("float64"))
for tag, kw in {"greedy_mask_last": dict(strategy="greedy", mask_index=-1),
                "beam1": dict(strategy="beam_search", beam_width=1, top_paths=1),
                "beam_top3": dict(strategy="beam_search", beam_width=5, top_paths=3),
                "beam_mask_last": dict(strategy="beam_search", beam_width=4, top_paths=2, mask_index=3)}.items():
    d, s = keras.ops.ctc_decode(dx, dlen, **kw)
    np.save(f"rev-ctc.dec.{tag}.labels.npy", np.asarray(d).astype("float64"))
    np.save(f"rev-ctc.dec.{tag}.scores.npy", np.asarray(s).astype("float64"))

lrng = np.random.default_rng(11)
z = np.concatenate([lrng.normal(size=(3, 4)) * 2, [[50, -50, 30, 0]]]).astype("float32")
p = np.concatenate([lrng.uniform(0.05, 0.95, size=(3, 4)), [[1.0, 0.0, 1e-9, 0.5]]]).astype("float32")
y = (lrng.uniform(size=(4, 4)) > 0.5).astype("float32")
onehot = np.eye(4, dtype="float32")[[0, 3, 1, 2]]
unnormalized = lrng.uniform(0.1, 2, size=(4, 4)).astype("float32")
p3 = lrng.uniform(0.05, 0.95, size=(2, 3, 4)).astype("float32")
y3 = (lrng.uniform(size=(2, 3, 4)) > 0.5).astype("float32")
sw = np.array([0.5, 1.0, 2.0, 0.0], "float32")
emb = lrng.normal(size=(6, 5)).astype("float32")
cid = np.array([0, 1, 0, 1, 2, 2], "float32")
sw6 = np.array([1, 2, 0.5, 1, 3, 0], "float32")
K = keras.losses
CASES = {
    "bfce_logits_big": (K.BinaryFocalCrossentropy, dict(from_logits=True), y, z, sw),
    "bfce_probs_edge": (K.BinaryFocalCrossentropy, dict(apply_class_balancing=True, alpha=0.6, label_smoothing=0.2),
                        y, p, sw),
    "bfce_gamma0": (K.BinaryFocalCrossentropy, dict(gamma=0.0, from_logits=True, label_smoothing=0.1), y, z, None),
    "cfce_unnormalized": (K.CategoricalFocalCrossentropy, dict(alpha=0.5, gamma=1.0), onehot, unnormalized, sw),
    "cfce_logits_big": (K.CategoricalFocalCrossentropy, dict(from_logits=True, label_smoothing=0.1), onehot, z, sw),
    "cfce_probs_edge": (K.CategoricalFocalCrossentropy, dict(), onehot, p, None),
    "dice_axis1_3d": (K.Dice, dict(axis=1), y3, p3, None),
    "dice_all_3d": (K.Dice, dict(), y3, p3, None),
    "dice_last_sw": (K.Dice, dict(axis=-1), y, p, sw),
    "tversky_axis2_3d": (K.Tversky, dict(alpha=0.2, beta=0.8, axis=2), y3, p3, None),
    "tversky_all": (K.Tversky, dict(alpha=0.7, beta=0.3), y, p, None),
    "circle_sw": (K.Circle, dict(), cid, emb, sw6),
    "circle_options_sw": (K.Circle, dict(gamma=10.0, margin=0.1, remove_diagonal=False), cid, emb, sw6),
    "cgce_q": (K.CategoricalGeneralizedCrossEntropy, dict(q=0.3), np.array([0, 3, 1, 2], "float32"),
               p / p.sum(-1, keepdims=True), sw),
}
out = {}
for name, (cls, kw, yt, yp, w) in CASES.items():
    x = tf.constant(yp)
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = cls(**kw)(yt, x, sample_weight=w)
    out[name] = dict(class_name=cls.__name__, config=cls(**kw).get_config(), y_true=np.asarray(yt).tolist(),
                     y_pred=yp.tolist(), sample_weight=None if w is None else w.tolist(), loss=float(loss),
                     grad=np.asarray(tape.gradient(loss, x)).tolist(),
                     none=np.asarray(cls(**kw, reduction=None)(yt, yp)).reshape(-1).tolist())
with open("rev-ctc.losses.json", "w") as f:
    json.dump(out, f)
