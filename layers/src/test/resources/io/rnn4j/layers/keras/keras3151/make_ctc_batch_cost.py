# Writes ctc_batch_cost.json, the fixtures of CtcBatchCostKerasTest: run in this folder with
# `python make_ctc_batch_cost.py` (TensorFlow 2.21, Keras 3.15.1). keras-io's ctc_asr.py and
# captcha_ocr.py call `from tensorflow import keras; keras.backend.ctc_batch_cost(y_true, y_pred,
# input_length, label_length)`, Keras 3.15.1's keras/src/legacy/backend.py under TensorFlow. For each
# case: y_true, y_pred (probabilities), input_length and label_length as (batch, 1), the loss (batch, 1)
# ("inf" where TensorFlow finds no valid path) and the gradient of its sum w.r.t. y_pred
# (tf.GradientTape). Padding after label_length holds values TensorFlow must ignore (the blank, 0).
import json

import numpy as np
import tensorflow as tf
from tensorflow import keras

rng = np.random.default_rng(1531)


def probs(b, t, c, normalize=True):
    p = rng.random((b, t, c)).astype("float32") + 0.05
    if normalize:
        p /= p.sum(-1, keepdims=True)
    return p.astype("float32")


def case(y, p, il, ll):
    y = np.asarray(y, "float32")
    il = np.asarray(il, "int64").reshape(-1, 1)
    ll = np.asarray(ll, "int64").reshape(-1, 1)
    pv = tf.constant(p)
    with tf.GradientTape() as g:
        g.watch(pv)
        loss = keras.backend.ctc_batch_cost(tf.constant(y), pv, tf.constant(il), tf.constant(ll))
        total = tf.reduce_sum(loss)
    grad = g.gradient(total, pv).numpy()
    enc = lambda a: [[(float(v) if np.isfinite(v) else "inf") for v in row] for row in a]
    return {"y_true": y.tolist(), "y_pred": p.tolist(), "input_length": il.tolist(),
            "label_length": ll.tolist(), "loss": enc(loss.numpy()), "grad": grad.tolist()}


cases = {}
# full lengths (keras-io's CTCLoss), repeats that just fit
cases["repeats"] = case([[1, 1, 2], [0, 0, 0], [3, 2, 3]], probs(3, 6, 5), [6] * 3, [3] * 3)
# label_length shorter than the width: the blank (5) and 0 pad the labels; input_length shorter than T
cases["lengths"] = case([[1, 2, 3, 4], [2, 2, 5, 5], [4, 0, 0, 0], [0, 3, 5, 0]], probs(4, 7, 6),
                        [7, 5, 3, 6], [4, 2, 1, 2])
cases["batch1"] = case([[2, 0]], probs(1, 4, 4), [4], [2])
# probabilities near 0 (the 1e-7 decides) that do not sum to 1
p = probs(2, 5, 4, normalize=False) * 1.7
p[0, :, 1] = 1e-12
p[1, 2:, :3] = 0.0
cases["tiny_unnormalized"] = case([[1, 0], [2, 2]], p, [5, 5], [2, 2])
# labels that fit input_length but not with the blank between repeats: TensorFlow's loss is inf ("No
# valid path found"), its gradient finite (the softmax of log(p + 1e-7), 0 after input_length). A
# label_length above input_length is an InvalidArgumentError ("Not enough time for target transition
# sequence"), and a label_length of 0 one too ("Labels length is zero").
cases["no_valid_path"] = case([[1, 1, 1], [1, 2, 3], [2, 3, 0], [3, 3, 1]], probs(4, 4, 5), [4, 4, 3, 2],
                              [3, 3, 3, 2])
with open("ctc_batch_cost.json", "w") as f:
    json.dump(cases, f)
for k, v in cases.items():
    print(k, v["loss"])
