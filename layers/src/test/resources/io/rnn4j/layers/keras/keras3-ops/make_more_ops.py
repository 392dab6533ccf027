# Writes keras_more_ops.keras (KerasOpsKerasWrittenTest): power with a number on either side (x ** 2,
# ops.power(x, 3), x ** 0.5, x ** -1.5, x ** 2.7, x ** 0, 2 ** x, ops.power(0.5, x)), clip, cast to float32,
# sign, floor, ceil, round (decimals 0, 2 and -1), stack (axis 2 and -2, reshaped to (-1, 8)), each on its own
# Dense branch of one input, as Keras 3.15.1 records them; its inputs x_more.npy and predictions y_more.npy. Run here with
#   KERAS_BACKEND=jax python make_more_ops.py
# It checks that no rounded value lies within 2e-5·max(1, |x|) of where its rounding jumps, so that float32
# differences in the Dense layers' sums cannot move a jump.
import keras, numpy as np
from keras import layers, ops

keras.utils.set_random_seed(23)
x = keras.Input(shape=(4,), name="x")


def dense():
    return layers.Dense(4)(x)


pos = ops.abs(dense()) + 0.25
outs = [dense() ** 2, ops.power(dense(), 3), pos ** 0.5, pos ** -1.5, pos ** 2.7, dense() ** 0, 2 ** dense(),
        ops.power(0.5, dense()), ops.clip(dense(), -0.5, 1), ops.cast(dense(), "float32")]
rounded = [(ops.sign, 1), (ops.floor, 3), (ops.ceil, 3), (ops.round, 3), (lambda t: ops.round(t, 2), 1),
           (lambda t: ops.round(t, -1), 30)]
pre = []
for f, scale in rounded:
    d = dense() * scale
    pre.append(d)
    outs.append(f(d))
outs += [ops.reshape(ops.stack([dense(), dense()], axis=a), (-1, 8)) for a in (2, -2)]
m = keras.Model(x, layers.Concatenate()(outs))
xs = (1.5 * np.random.default_rng(23).standard_normal((3, 4))).astype("float32")
probe = keras.Model(x, pre)
# where each rounding jumps: sign at 0, floor and ceil at integers, round at halves (of 1, 0.01, 10)
for v, (unit, offset) in zip(probe.predict(xs, verbose=0), [(None, 0), (1, 0), (1, 0), (1, 0.5), (0.01, 0.5),
                                                           (10, 0.5)]):
    if unit is None:
        near = np.abs(v)
    else:
        t = v / unit - offset
        near = np.abs(t - np.round(t)) * unit
    assert (near > 2e-5 * np.maximum(1, np.abs(v))).all(), (unit, v)
m.save("keras_more_ops.keras")
np.save("x_more.npy", xs)
np.save("y_more.npy", np.asarray(m.predict(xs, verbose=0)).astype("float64"))
