# Writes the Keras 3.15.1 fixtures of KerasWritten3151Test: run in this folder with
#   KERAS_BACKEND=jax python make_models.py
# Each model NAME gives NAME.keras, its inputs NAME.x0.npy, NAME.x1.npy, ... (float32) and Keras's
# predict output NAME.y.npy (float64); manifest.txt lists "NAME inputs". Tiny sizes, fixed seeds.
import keras, numpy as np
from keras import layers as L, regularizers as R, constraints as C

rng = np.random.default_rng(5)
models = {}


def seq(*ls):
    return keras.Sequential(list(ls))


def f32(*shape):
    return rng.standard_normal(shape).astype("float32")


TOK = np.array([[1, 2, 3, 0, 0], [4, 5, 0, 0, 0], [9, 8, 7, 6, 5]], dtype="float32")


def add(name, build, *xs):
    keras.utils.set_random_seed(len(models) + 1)
    models[name] = (build(), list(xs))


# Recurrent layers and their options.
add("simple_rnn", lambda: seq(keras.Input((5, 3)), L.SimpleRNN(4, return_sequences=True), L.SimpleRNN(2, go_backwards=True)), f32(2, 5, 3))
add("lstm_seq", lambda: seq(keras.Input((5, 3)), L.LSTM(4, return_sequences=True, unit_forget_bias=False), L.LSTM(2)), f32(2, 5, 3))
add("gru_reset_after", lambda: seq(keras.Input((5, 3)), L.GRU(4, return_sequences=True, go_backwards=True), L.GRU(2)), f32(2, 5, 3))
add("gru_reset_before", lambda: seq(keras.Input((5, 3)), L.GRU(3, reset_after=False, activation="relu", recurrent_activation="hard_sigmoid")), f32(2, 5, 3))


def lstm_state():
    x = keras.Input((5, 3))
    o, h, c = L.LSTM(3, return_sequences=True, return_state=True)(x)
    o2 = L.GRU(3)(o, initial_state=[h])
    return keras.Model(x, L.Concatenate()([o2, h, c]))


add("lstm_return_state", lstm_state, f32(2, 5, 3))
for mode in ["concat", "sum", "mul", "ave"]:
    add("bidi_" + mode, lambda mode=mode: seq(keras.Input((5, 3)), L.Bidirectional(L.LSTM(2), merge_mode=mode)), f32(2, 5, 3))


def bidi_none():
    x = keras.Input((5, 3))
    a, b = L.Bidirectional(L.GRU(2, return_sequences=True), merge_mode=None)(x)
    return keras.Model(x, L.Add()([a, b]))


add("bidi_none", bidi_none, f32(2, 5, 3))
add("rnn_cells", lambda: seq(keras.Input((5, 3)), L.RNN(L.StackedRNNCells([L.LSTMCell(3), L.GRUCell(2), L.SimpleRNNCell(2)]), return_sequences=True), L.RNN(L.GRUCell(2))), f32(2, 5, 3))

# Masks.
add("masked_seq", lambda: seq(keras.Input((5,)), L.Embedding(10, 3, mask_zero=True), L.LSTM(3, return_sequences=True), L.GRU(2)), TOK)


def masked_functional():
    t = keras.Input((5,))
    e = L.Embedding(10, 3, mask_zero=True)(t)
    s = L.SimpleRNN(3, return_sequences=True)(e)
    b = L.Bidirectional(L.LSTM(2))(s)
    return keras.Model(t, L.Dense(2)(b))


add("masked_functional", masked_functional, TOK)
xm = f32(2, 5, 3)
xm[0, 3:] = 0.0
add("masking", lambda: seq(keras.Input((5, 3)), L.Masking(0.0), L.LSTM(3, return_sequences=True), L.GlobalAveragePooling1D()), xm)
add("time_distributed", lambda: seq(keras.Input((5, 3)), L.TimeDistributed(L.Dense(2, activation="tanh")), L.Flatten()), f32(2, 5, 3))

# Convolutions.
add("conv1d", lambda: seq(keras.Input((8, 4)), L.Conv1D(4, 3, padding="causal", dilation_rate=2), L.Conv1D(4, 2, strides=2, groups=2, padding="same", activation="relu"), L.Conv1D(2, 2)), f32(2, 8, 4))
add("conv1d_transpose", lambda: seq(keras.Input((6, 3)), L.Conv1DTranspose(2, 3, strides=2, padding="same"), L.Conv1DTranspose(2, 2, padding="valid")), f32(2, 6, 3))
add("depthwise_separable", lambda: seq(keras.Input((8, 3)), L.DepthwiseConv1D(3, depth_multiplier=2, padding="same"), L.SeparableConv1D(2, 3, depth_multiplier=1, strides=2)), f32(2, 8, 3))
add("conv_lstm1d", lambda: seq(keras.Input((4, 6, 2)), L.ConvLSTM1D(2, 3, padding="same", return_sequences=True), L.ConvLSTM1D(2, 2)), f32(2, 4, 6, 2))
add("poolings", lambda: seq(keras.Input((8, 3)), L.MaxPooling1D(2), L.AveragePooling1D(3, strides=1, padding="same"), L.Conv1D(3, 1), L.GlobalMaxPooling1D()), f32(2, 8, 3))


def attention():
    t = keras.Input((5,))
    q = L.Embedding(10, 4, mask_zero=True)(t)
    v = L.Dense(4)(q)
    a = L.Attention(use_scale=True)([q, v])
    b = L.AdditiveAttention()([q, v, v])
    m = L.MultiHeadAttention(2, 3)(q, v)
    return keras.Model(t, L.Concatenate()([a, b, m]))


add("attention_masked", attention, TOK)


def mha():
    x = keras.Input((4, 3))
    y = keras.Input((5, 3))
    return keras.Model([x, y], L.MultiHeadAttention(2, 2, output_shape=4)(x, y, use_causal_mask=False))


add("mha", mha, f32(2, 4, 3), f32(2, 5, 3))
add("norms", lambda: seq(keras.Input((5, 3)), L.LayerNormalization(), L.Dense(3), L.BatchNormalization(momentum=0.9, epsilon=0.01)), f32(2, 5, 3))


def preprocessing():
    n = L.Normalization()
    n.adapt(f32(10, 3) * 3 + 1)
    return seq(keras.Input((5, 3)), L.Rescaling(0.5, offset=-1.0), n, L.Dense(2))


add("preprocessing", preprocessing, f32(2, 5, 3))
add("dropout_noise", lambda: seq(keras.Input((5, 3)), L.Dropout(0.3), L.SpatialDropout1D(0.2), L.GaussianNoise(0.1), L.GaussianDropout(0.2), L.AlphaDropout(0.1), L.Dense(2)), f32(2, 5, 3))


def merges():
    a = keras.Input((4,))
    b = keras.Input((4,))
    outs = [L.Add()([a, b]), L.Subtract()([a, b]), L.Multiply()([a, b]), L.Average()([a, b]), L.Maximum()([a, b]), L.Minimum()([a, b]), L.Dot(axes=1)([a, b]), L.Dot(axes=1, normalize=True)([a, b])]
    return keras.Model([a, b], L.Concatenate()(outs))


add("merges", merges, f32(2, 4), f32(2, 4))


def shaping():
    x = keras.Input((6, 2))
    y = L.ZeroPadding1D((1, 2))(x)
    y = L.Cropping1D((2, 1))(y)
    y = L.UpSampling1D(2)(y)
    y = L.Permute((2, 1))(y)
    y = L.Reshape((4, 6))(y)
    y = L.Flatten()(y)
    y = L.RepeatVector(2)(y)
    z = y[:, 1, 3:9]
    return keras.Model(x, L.Concatenate()([L.Flatten()(y), z]))


add("shaping", shaping, f32(2, 6, 2))
add("activations", lambda: seq(keras.Input((6,)), L.Dense(6), L.Activation("silu"), L.LeakyReLU(0.2), L.PReLU(), L.ELU(0.7), L.ReLU(max_value=1.5, negative_slope=0.1, threshold=0.2), L.Dense(4), L.Softmax()), f32(3, 6))


def mha_causal():
    x = keras.Input((4, 3))
    return keras.Model(x, L.MultiHeadAttention(2, 2)(x, x, use_causal_mask=True))


add("mha_causal", mha_causal, f32(2, 4, 3))
add("masked_pooling", lambda: seq(keras.Input((5,)), L.Embedding(10, 3, mask_zero=True), L.Bidirectional(L.GRU(2, reset_after=False, return_sequences=True)), L.GlobalAveragePooling1D()), TOK)
add("masked_time_distributed", lambda: seq(keras.Input((5,)), L.Embedding(10, 3, mask_zero=True), L.TimeDistributed(L.Dense(2)), L.SimpleRNN(2, activation="relu", use_bias=False)), TOK)
add("channels_first", lambda: seq(keras.Input((3, 8)), L.ZeroPadding1D((1, 2), data_format="channels_first"), L.GlobalMaxPooling1D(data_format="channels_first"), L.Dense(2)), f32(2, 3, 8))
add("channels_first_mean", lambda: seq(keras.Input((3, 8)), L.GlobalAveragePooling1D(data_format="channels_first", keepdims=True), L.Flatten()), f32(2, 3, 8))
add("dense_3d", lambda: seq(keras.Input((None, 3)), L.Dense(4, activation="tanh"), L.LSTM(2)), f32(2, 5, 3))


# Options, nesting, sharing, several outputs (NAME.y.npy: each sample's outputs, flattened, one after the other).
add("regularized", lambda: seq(keras.Input((5, 3)), L.LSTM(3, dropout=0.1, recurrent_dropout=0.2, kernel_regularizer=R.L2(0.01), recurrent_regularizer=R.L1L2(0.01, 0.02), bias_regularizer="l1", kernel_constraint=C.MaxNorm(2.0), recurrent_constraint=C.UnitNorm(), bias_constraint=C.NonNeg()), L.Dense(2, kernel_regularizer="l2")), f32(2, 5, 3))
def nested():
    inner = seq(keras.Input((5, 3)), L.GRU(3, return_sequences=True), L.Dense(2))
    x = keras.Input((5, 3))
    return keras.Model(x, L.GlobalAveragePooling1D()(inner(x)))
add("nested", nested, f32(2, 5, 3))
add("seq_nested", lambda: seq(keras.Input((5, 3)), seq(keras.Input((5, 3)), L.SimpleRNN(2, return_sequences=True)), L.LSTM(2)), f32(2, 5, 3))
add("no_input_seq", lambda: (lambda m: (m.build((None, 5, 3)), m)[1])(seq(L.LSTM(2), L.Dense(1))), f32(2, 5, 3))
def norm_invert():
    n = L.Normalization(mean=[1.0, 2.0, 3.0], variance=[1.0, 4.0, 9.0], invert=True)
    return seq(keras.Input((3,)), n, L.Dense(2))
add("norm_invert", norm_invert, f32(2, 3))
add("bn_plain", lambda: seq(keras.Input((5, 3)), L.BatchNormalization(center=False, scale=False), L.LayerNormalization(center=False, scale=True), L.LayerNormalization(axis=[1, 2])), f32(2, 5, 3))
def bidi_backward():
    return seq(keras.Input((5, 3)), L.Bidirectional(L.LSTM(2, return_sequences=True), backward_layer=L.GRU(2, go_backwards=True, return_sequences=True)), L.LSTM(1))
add("bidi_backward", bidi_backward, f32(2, 5, 3))
def multi_out():
    x = keras.Input((5, 3), name="xin")
    o, h = L.SimpleRNN(2, return_sequences=True, return_state=True)(x)
    return keras.Model(x, [o, L.Dense(1, name="head")(h)])
add("multi_out", multi_out, f32(2, 5, 3))
def shared():
    a = keras.Input((5, 3)); b = keras.Input((5, 3))
    l = L.LSTM(2)
    return keras.Model([a, b], L.Subtract()([l(a), l(b)]))
add("shared", shared, f32(2, 5, 3), f32(2, 5, 3))
add("attn_causal_scores", lambda: (lambda x: keras.Model(x, L.Attention(score_mode="concat", dropout=0.1)([x, x], use_causal_mask=True)))(keras.Input((4, 3))), f32(2, 4, 3))
add("mha_masked_self", lambda: (lambda t: (lambda e: keras.Model(t, L.MultiHeadAttention(2, 2, dropout=0.1, use_bias=False)(e, e, use_causal_mask=True)))(L.Embedding(10, 4, mask_zero=True)(t)))(keras.Input((5,))), TOK)
add("gru_masked_state", lambda: (lambda t: (lambda e: keras.Model(t, L.Concatenate()(L.GRU(2, return_state=True)(e))))(L.Embedding(10, 3, mask_zero=True)(t)))(keras.Input((5,))), TOK)
add("bidi_stacked", lambda: seq(keras.Input((5, 3)), L.Bidirectional(L.RNN(L.StackedRNNCells([L.GRUCell(2), L.LSTMCell(2)])), merge_mode="ave")), f32(2, 5, 3))
add("masked_dropout_td", lambda: seq(keras.Input((5,)), L.Embedding(10, 3, mask_zero=True), L.Dropout(0.2), L.LSTM(2, return_sequences=True), L.TimeDistributed(L.Dense(1))), TOK)


def compiled():
    m = seq(keras.Input((5, 3)), L.LSTM(4), L.Dense(1, activation="sigmoid"))
    m.compile(optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy",
              metrics=["accuracy", keras.metrics.AUC(), keras.metrics.Precision(), keras.metrics.Recall(),
                       keras.metrics.SensitivityAtSpecificity(0.5), keras.metrics.F1Score(average="micro", threshold=0.5)])
    xt = f32(16, 5, 3)
    m.fit(xt, (xt.sum(axis=(1, 2)) > 0).astype("float32")[:, None], epochs=1, batch_size=8, verbose=0)
    return m


add("compiled", compiled, f32(2, 5, 3))

with open("manifest.txt", "w") as mf:
    for name, (m, xs) in models.items():
        m.save(name + ".keras")
        for i, x in enumerate(xs):
            np.save(f"{name}.x{i}.npy", x)
        y = m.predict(xs if len(xs) > 1 else xs[0], verbose=0)
        if isinstance(y, list):
            y = np.concatenate([np.asarray(t).reshape(len(xs[0]), -1) for t in y], axis=1)
        np.save(name + ".y.npy", np.asarray(y).astype("float64"))
        mf.write(f"{name} {len(xs)}\n")
models["lstm_seq"][0].save_weights("lstm_seq.weights.h5")

# The compiled model, as saved above, evaluated, then trained on: compiled.eval.txt holds Keras's
# evaluate (name value per line) on compiled.fit_x/fit_y; compiled.y_after.npy its predictions on
# compiled.x0 after one more epoch of fit(fit_x, fit_y, batch_size=4, shuffle=False), which goes on
# from the saved Adam state.
m, (xc,) = models["compiled"]
fx = f32(8, 5, 3)
fy = (fx.sum(axis=(1, 2)) > 0).astype("float32")[:, None]
np.save("compiled.fit_x.npy", fx)
np.save("compiled.fit_y.npy", fy)
with open("compiled.eval.txt", "w") as ef:
    for k, v in m.evaluate(fx, fy, batch_size=8, verbose=0, return_dict=True).items():
        ef.write(f"{k} {float(v)!r}\n")
m.fit(fx, fy, batch_size=4, epochs=1, shuffle=False, verbose=0)
np.save("compiled.y_after.npy", np.asarray(m.predict(xc, verbose=0)).astype("float64"))
