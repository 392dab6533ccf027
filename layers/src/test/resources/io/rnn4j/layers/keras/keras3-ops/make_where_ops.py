# Writes keras_where_ops.keras (KerasOpsKerasWrittenTest): comparisons, logical operations and where between
# Dense branches of one input, as Keras 3.15.1 records them: where(greater(d, 0.5), d, 0.0), a less_equal of two
# tensors cast to float32 and multiplied, logical_and of two comparisons (one with the number first), logical_or,
# logical_not, equal and not_equal (operations, not a mask), and where with a number for x1; its inputs
# x_where.npy and predictions y_where.npy. Run here with
#   KERAS_BACKEND=jax python make_where_ops.py
# It checks that no compared pair lies within 2e-5·max(1, |a|) of a tie, so that float32 differences in the Dense
# layers' sums cannot flip a comparison.
import keras, numpy as np
from keras import layers, ops

keras.utils.set_random_seed(29)
x = keras.Input(shape=(4,), name="x")


def dense():
    return layers.Dense(4)(x)


d = [dense() for _ in range(9)]
f32 = lambda t: ops.cast(t, "float32")
pairs = [(d[0], 0.5), (d[1], d[2]), (d[3], 0.0), (1.0, d[3]), (d[4], d[5]), (d[4], 0.25), (d[6], d[7])]
outs = [ops.where(ops.greater(d[0], 0.5), d[0], 0.0),
        f32(ops.less_equal(d[1], d[2])) * d[8],
        f32(ops.logical_and(ops.greater(d[3], 0.0), ops.greater_equal(1.0, d[3]))),
        f32(ops.logical_or(ops.less(d[4], d[5]), ops.equal(d[4], 0.25))),
        ops.where(ops.logical_not(ops.greater(d[6], d[7])), 1.0, d[8]),
        f32(ops.not_equal(d[6], d[7])) + f32(ops.equal(d[4], d[4]))]
m = keras.Model(x, layers.Concatenate()(outs))
xs = (1.5 * np.random.default_rng(29).standard_normal((5, 4))).astype("float32")
tensors = [t for pair in pairs for t in pair if not isinstance(t, float)]
probe = keras.Model(x, tensors)
values = iter(probe.predict(xs, verbose=0))
for a, b in pairs:
    va = a if isinstance(a, float) else next(values)
    vb = b if isinstance(b, float) else next(values)
    assert (np.abs(va - vb) > 2e-5 * np.maximum(1, np.abs(va))).all(), (a, b)
m.save("keras_where_ops.keras")
np.save("x_where.npy", xs)
np.save("y_where.npy", np.asarray(m.predict(xs, verbose=0)).astype("float64"))
print(np.asarray(m.predict(xs, verbose=0)))
