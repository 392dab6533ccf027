# Writes keras_elementwise_ops.keras (KerasOpsKerasWrittenTest): every elementwise keras.ops function
# rnn4j reads (and maximum/minimum), each on its own Dense branch of one input, as Keras 3.15.1 records them; its inputs
# x_elementwise.npy and predictions y_elementwise.npy. Run here with
#   KERAS_BACKEND=jax python make_elementwise_ops.py
import keras, numpy as np
from keras import layers, ops

keras.utils.set_random_seed(17)
x = keras.Input(shape=(4,), name="x")
fns = [ops.negative, ops.tanh, ops.exp, ops.abs, ops.square, ops.reciprocal, ops.relu, ops.relu6, ops.sigmoid,
       ops.hard_sigmoid, ops.sparse_sigmoid, ops.softplus, ops.softsign, ops.silu, ops.hard_silu, ops.log_sigmoid,
       ops.leaky_relu, ops.elu, ops.selu, ops.gelu, lambda t: ops.gelu(t, approximate=False), ops.celu,
       ops.tanh_shrink, ops.hard_tanh, ops.soft_shrink, ops.hard_shrink, ops.squareplus, ops.sparse_plus,
       lambda t: ops.log_softmax(t, axis=-1)]
outs = [f(layers.Dense(4)(x)) for f in fns]
d = layers.Dense(4)(x)
outs.append(ops.log(ops.square(d) + 0.5))
outs.append(ops.sqrt(ops.abs(d)))
e = layers.Dense(4)(x)
outs += [ops.maximum(d, e), ops.minimum(d, 0.25), ops.maximum(-0.5, e)]
m = keras.Model(x, layers.Concatenate()(outs))
xs = (2.0 * np.random.default_rng(17).standard_normal((3, 4))).astype("float32")
m.save("keras_elementwise_ops.keras")
np.save("x_elementwise.npy", xs)
np.save("y_elementwise.npy", np.asarray(m.predict(xs, verbose=0)).astype("float64"))
