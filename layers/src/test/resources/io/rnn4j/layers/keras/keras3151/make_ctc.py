# Writes the Keras 3.15.1 CTC fixtures of CtcKerasWrittenTest: run in this folder with
#   python make_ctc.py            (the TensorFlow backend: Keras's ctc_loss/ctc_decode call tf.nn's)
# ctc.logits.npy (4, 6, 5) logits and ctc.labels_*.npy label batches (0 = blank/padding): repeated
# labels, labels of different lengths, an empty label, and ctc.labels_long with labels too long for
# 6 steps; for each, ctc.loss_*.npy the per-sample CTC loss (reduction=None) and ctc.grad_*.npy the
# gradient of the summed loss w.r.t. the logits (tf.GradientTape). ctc.seqlen.npy (greedy) and ctc.beamlen.npy (beam search) sequence lengths;
# ctc.greedy[_nomerge].{labels,scores}.npy and ctc.beam.{labels,scores}.npy (beam_width 4,
# top_paths 3) and ctc.beam_mask2 (mask_index 2) from keras.ops.ctc_decode. Then a
# Conv1D -> Bidirectional(GRU) -> Dense logits model compiled with keras.losses.CTC() and SGD, saved
# as ctc_model.keras with ctc_model.y.npy its logits on ctc_model.x.npy, trained one epoch of
# fit(ctc_model.x, ctc_model.labels, batch_size=4, shuffle=False), ctc_model.y_after.npy after.
import keras, numpy as np, tensorflow as tf
from keras import layers as L

rng = np.random.default_rng(7)
logits = rng.normal(size=(4, 6, 5)).astype("float32") * 2
np.save("ctc.logits.npy", logits.astype("float64"))
LABELS = {
    "mixed": [[1, 2, 0, 0], [3, 3, 0, 0], [4, 1, 4, 2], [0, 0, 0, 0]],
    "repeats": [[2, 2, 2, 0], [1, 1, 0, 0], [3, 0, 0, 0], [4, 4, 1, 1]],
    "long": [[1, 1, 1, 1], [1, 2, 3, 4], [2, 2, 2, 0], [1, 2, 1, 2]],
}
ctc = keras.losses.CTC(reduction=None)
for name, lab in LABELS.items():
    y = np.array(lab, "float32")
    np.save(f"ctc.labels_{name}.npy", y.astype("float64"))
    x = tf.constant(logits)
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = ctc(y, x)
        total = tf.reduce_sum(loss)
    np.save(f"ctc.loss_{name}.npy", loss.numpy().astype("float64"))
    np.save(f"ctc.grad_{name}.npy", tape.gradient(total, x).numpy().astype("float64"))
np.save("ctc.loss_mean_weighted.npy", np.array([float(keras.losses.CTC()(
    np.array(LABELS["mixed"], "float32"), logits, sample_weight=np.array([0.5, 1.0, 2.0, 0.25], "float32")))]))

seqlen = np.array([6, 4, 1, 0], "int32")
np.save("ctc.seqlen.npy", seqlen.astype("float64"))
beamlen = np.array([6, 4, 2, 3], "int32")  # TensorFlow refuses top_paths above the beams a 0-step sample has
np.save("ctc.beamlen.npy", beamlen.astype("float64"))
def dec(tag, **kw):
    d, s = keras.ops.ctc_decode(logits, beamlen if kw["strategy"] == "beam_search" else seqlen, **kw)
    np.save(f"ctc.{tag}.labels.npy", np.asarray(d).astype("float64"))
    np.save(f"ctc.{tag}.scores.npy", np.asarray(s).astype("float64"))
dec("greedy", strategy="greedy")
dec("greedy_nomerge", strategy="greedy", merge_repeated=False)
dec("beam", strategy="beam_search", beam_width=4, top_paths=3)
dec("beam_mask2", strategy="beam_search", beam_width=3, top_paths=2, mask_index=2)
dec("beam_wide", strategy="beam_search", beam_width=100, top_paths=5)

keras.utils.set_random_seed(11)
steps, classes = 8, 5
m = keras.Sequential([keras.Input((steps, 3)), L.Conv1D(4, 3, padding="same", activation="relu"),
                      L.Bidirectional(L.GRU(3, return_sequences=True)), L.Dense(classes)])
m.compile(optimizer=keras.optimizers.SGD(0.05), loss=keras.losses.CTC())
x = rng.normal(size=(8, steps, 3)).astype("float32")
lab = np.array([[1, 2, 0], [3, 0, 0], [4, 4, 0], [1, 2, 3], [2, 0, 0], [0, 0, 0], [3, 1, 0], [2, 2, 2]], "float32")
np.save("ctc_model.x.npy", x.astype("float64"))
np.save("ctc_model.labels.npy", lab.astype("float64"))
m.save("ctc_model.keras")
np.save("ctc_model.y.npy", np.asarray(m.predict(x, verbose=0)).astype("float64"))
h = m.fit(x, lab, batch_size=4, epochs=1, shuffle=False, verbose=0)
np.save("ctc_model.loss.npy", np.array(h.history["loss"], "float64"))
np.save("ctc_model.y_after.npy", np.asarray(m.predict(x, verbose=0)).astype("float64"))

# The other Keras 3 losses: for each case of ctc_losses.json (its Keras class and get_config, and
# which inputs it takes) ctc_loss.NAME.none.npy the unreduced loss (reduction=None) and
# ctc_loss.NAME.mean.npy the default reduction with sample weights ctc_loss.sw.npy (without them for
# the axis=None cases, whose loss is one value for the batch). Inputs: ctc_loss.{p,z,y,onehot,ids,emb,cids}.npy.
import json
p = rng.uniform(0.05, 0.95, size=(4, 3)).astype("float32")
z = rng.normal(size=(4, 3)).astype("float32") * 2
y = (rng.uniform(size=(4, 3)) > 0.5).astype("float32")
ids = np.array([0, 2, 1, 2], "float32")
onehot = np.eye(3, dtype="float32")[ids.astype(int)]
sw = np.array([0.5, 1.0, 2.0, 0.25], "float32")
emb = rng.normal(size=(4, 4)).astype("float32")
emb /= np.linalg.norm(emb, axis=-1, keepdims=True)
cids = np.array([0, 0, 1, 2], "float32")  # samples 2 and 3 have no positive: Circle masks them out
INPUTS = {"p": p, "z": z, "y": y, "onehot": onehot, "ids": ids, "emb": emb, "cids": cids}
for k, v in {**INPUTS, "sw": sw}.items():
    np.save(f"ctc_loss.{k}.npy", v.astype("float64"))
LOSSES = {
    "bfce": (keras.losses.BinaryFocalCrossentropy, {}, "y", "p"),
    "bfce_options": (keras.losses.BinaryFocalCrossentropy, dict(apply_class_balancing=True, alpha=0.3, gamma=1.5,
                     from_logits=True, label_smoothing=0.1), "y", "z"),
    "cfce": (keras.losses.CategoricalFocalCrossentropy, {}, "onehot", "p"),
    "cfce_options": (keras.losses.CategoricalFocalCrossentropy, dict(alpha=0.4, gamma=3.0, from_logits=True,
                     label_smoothing=0.2), "onehot", "z"),
    "dice": (keras.losses.Dice, {}, "y", "p"),
    "dice_axis": (keras.losses.Dice, dict(axis=-1), "y", "p"),
    "tversky": (keras.losses.Tversky, {}, "y", "p"),
    "tversky_options": (keras.losses.Tversky, dict(alpha=0.3, beta=0.7, axis=-1), "y", "p"),
    "cgce": (keras.losses.CategoricalGeneralizedCrossEntropy, dict(q=0.7), "ids", "p"),
    "circle": (keras.losses.Circle, {}, "cids", "emb"),
    "circle_options": (keras.losses.Circle, dict(gamma=20.0, margin=0.25, remove_diagonal=False), "cids", "emb"),
}
manifest = {}
for name, (cls, kw, yt, yp) in LOSSES.items():
    loss = cls(**kw)
    none = np.asarray(cls(**kw, reduction=None)(INPUTS[yt], INPUTS[yp]))
    weighted = none.ndim > 0
    mean = loss(INPUTS[yt], INPUTS[yp], sample_weight=sw) if weighted else loss(INPUTS[yt], INPUTS[yp])
    np.save(f"ctc_loss.{name}.none.npy", none.astype("float64").reshape(-1))
    np.save(f"ctc_loss.{name}.mean.npy", np.array([float(mean)]))
    manifest[name] = {"class_name": cls.__name__, "config": loss.get_config(), "y_true": yt, "y_pred": yp,
                      "weighted": weighted}
with open("ctc_losses.json", "w") as f:
    json.dump(manifest, f, indent=1)
