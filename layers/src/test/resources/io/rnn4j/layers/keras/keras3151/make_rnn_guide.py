# Writes the Keras 3.15.1 fixtures of WorkingWithRnnsGuideTest (layers/src/test/java/io/rnn4j/layers/examples/),
# on the TensorFlow backend. Run in this folder with
#   KERAS_BACKEND=tensorflow python make_rnn_guide.py
# keras-io's guides/working_with_rnns.py ("Working with RNNs", last modified 2023/07/10), section by section, at
# small sizes (the guide's code, its sizes shrunk). Written (rnnguide_<section>.*):
#   simple      Sequential Embedding(50, 8) -> LSTM(16) -> Dense(10), no Input (built by its first call, as the
#               guide's): .keras, x0 (4, 6) ids, y
#   outputs     Embedding(50, 8) -> GRU(12, return_sequences) -> SimpleRNN(8) -> Dense(10): .keras, x0, y
#   encdec      the encoder-decoder: Embedding(30, 8) -> LSTM(16, return_state, name encoder); Embedding(40, 8) ->
#               LSTM(16, name decoder)(initial_state=[h, c]) -> Dense(10): .keras, x0 (4, 5), x1 (4, 7), y;
#               states.npy: the encoder's [output, h, c] concatenated on the last axis (4, 48)
#   cells_lstm / cells_rnn   the guide's build_model(True / False): LSTM(16) or RNN(LSTMCell(16)) over (None, 7)
#               -> BatchNormalization -> Dense(10), the same weights; x0 (32, 7, 7) "digit rows", labels
#               (32,); y: predictions; after<i>: weights after fit(batch_size=8, epochs=1, shuffle=False) with
#               SGD() and SparseCategoricalCrossentropy(from_logits=True); fit_loss
#   stateful    LSTM(16, stateful=True) called on three (4, 5, 6) paragraphs: p1, p2, p3, w<i> its weights,
#               y1, y2, y3, then reset_states() and p1 again: y_reset
#   reuse       the "RNN state reuse" cell: stateful LSTM(16) on p1, p2 (the stateful fixtures' weights and
#               paragraphs); states.npy: lstm_layer.states (2, 4, 16); new LSTM(16) (w<i> its weights) on p3 with
#               initial_state=existing_state: y
#   bidi        Sequential Input (5, 10) -> Bidirectional(LSTM(8, return_sequences)) -> Bidirectional(LSTM(4)) ->
#               Dense(10): .keras, x0, y; after<i>, fit_loss: one epoch of Adam() on mse (batch 4, no shuffle)
#   bidi_backward  Bidirectional(LSTM(8, return_sequences), backward_layer=GRU(8, return_sequences,
#               go_backwards)) -> GlobalAveragePooling1D -> Dense(3): .keras, x0, y
#   nested      the NestedCell's computation (unit_1=3, unit_2=2, unit_3=4; i1=5, i2=3, i3=2; 4 steps; batch 4,
#               12 samples) as Keras 3 runs it (flat, see below): x0 (12, 4, 5), x1 (12, 4, 3, 2), w0 kernel_1 (5, 3),
#               w1 kernel_2_3 (3, 2, 2, 4), y0 (12, 3), y1 (12, 2, 4); targets t0, t1; after0/after1 and
#               fit_loss after fit(batch_size=4, shuffle=False) with adam and mse on both outputs
# Seeded throughout.
import os
import zipfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np
import tensorflow as tf
import keras
from keras import layers

rng = np.random.default_rng(20190708)


def save(name, **arrays):
    for k, v in arrays.items():
        np.save(f"rnnguide_{name}.{k}.npy", np.asarray(v))


def save_keras(model, path):
    # Keras stores the archive's entries uncompressed (the weights file is mostly HDF5 padding): the fixture is
    # rewritten with the same entries deflated (Keras and rnn4j read both).
    model.save(path)
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def save_after(name, model):
    for i, w in enumerate(model.weights):
        np.save(f"rnnguide_{name}.after{i}.npy", np.asarray(w.numpy(), dtype="float32"))


# ---- Built-in RNN layers: a simple example
keras.utils.set_random_seed(1)
model = keras.Sequential()
model.add(layers.Embedding(input_dim=50, output_dim=8))
model.add(layers.LSTM(16))
model.add(layers.Dense(10))
x = rng.integers(0, 50, (4, 6)).astype("float32")
y = model.predict(x, verbose=0)
save_keras(model, "rnnguide_simple.keras")
save("simple", x0=x, y=y)

# ---- Outputs and states
keras.utils.set_random_seed(2)
model = keras.Sequential()
model.add(layers.Embedding(input_dim=50, output_dim=8))
model.add(layers.GRU(12, return_sequences=True))
model.add(layers.SimpleRNN(8))
model.add(layers.Dense(10))
x = rng.integers(0, 50, (4, 6)).astype("float32")
y = model.predict(x, verbose=0)
save_keras(model, "rnnguide_outputs.keras")
save("outputs", x0=x, y=y)

keras.utils.set_random_seed(3)
encoder_input = layers.Input(shape=(None,))
encoder_embedded = layers.Embedding(input_dim=30, output_dim=8)(encoder_input)
output, state_h, state_c = layers.LSTM(16, return_state=True, name="encoder")(encoder_embedded)
encoder_state = [state_h, state_c]
decoder_input = layers.Input(shape=(None,))
decoder_embedded = layers.Embedding(input_dim=40, output_dim=8)(decoder_input)
decoder_output = layers.LSTM(16, name="decoder")(decoder_embedded, initial_state=encoder_state)
output_d = layers.Dense(10)(decoder_output)
model = keras.Model([encoder_input, decoder_input], output_d)
x0 = rng.integers(0, 30, (4, 5)).astype("float32")
x1 = rng.integers(0, 40, (4, 7)).astype("float32")
y = model.predict([x0, x1], verbose=0)
save_keras(model, "rnnguide_encdec.keras")
states = keras.Model(encoder_input, [output, state_h, state_c]).predict(x0, verbose=0)
save("encdec", x0=x0, x1=x1, y=y, states=np.concatenate(states, axis=-1))


# ---- RNN layers and RNN cells / Using CuDNN kernels when available
def build_model(allow_cudnn_kernel=True):
    if allow_cudnn_kernel:
        lstm_layer = keras.layers.LSTM(16, input_shape=(None, 7))
    else:
        lstm_layer = keras.layers.RNN(keras.layers.LSTMCell(16), input_shape=(None, 7))
    return keras.models.Sequential([lstm_layer, keras.layers.BatchNormalization(), keras.layers.Dense(10)])


keras.utils.set_random_seed(4)
digits = rng.random((32, 7, 7)).astype("float32")
labels = rng.integers(0, 10, (32,)).astype("float32")
model = build_model(allow_cudnn_kernel=True)
noncudnn_model = build_model(allow_cudnn_kernel=False)
noncudnn_model.set_weights(model.get_weights())
for name, m in (("cells_lstm", model), ("cells_rnn", noncudnn_model)):
    m.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), optimizer="sgd",
              metrics=["accuracy"])
    save_keras(m, f"rnnguide_{name}.keras")
    y = m.predict(digits, verbose=0)
    h = m.fit(digits, labels, batch_size=8, epochs=1, shuffle=False, verbose=0)
    save(name, x0=digits, labels=labels, y=y, fit_loss=np.array(h.history["loss"]))
    save_after(name, m)

# ---- Cross-batch statefulness
keras.utils.set_random_seed(5)
paragraph1 = rng.random((4, 5, 6)).astype(np.float32)
paragraph2 = rng.random((4, 5, 6)).astype(np.float32)
paragraph3 = rng.random((4, 5, 6)).astype(np.float32)
lstm_layer = layers.LSTM(16, stateful=True)
y1 = lstm_layer(paragraph1)
y2 = lstm_layer(paragraph2)
y3 = lstm_layer(paragraph3)
lstm_layer.reset_states()
y_reset = lstm_layer(paragraph1)
save("stateful", p1=paragraph1, p2=paragraph2, p3=paragraph3, y1=y1, y2=y2, y3=y3, y_reset=y_reset,
     **{f"w{i}": w for i, w in enumerate(lstm_layer.get_weights())})

# ---- RNN state reuse (the stateful layer's weights and paragraphs)
lstm_layer = layers.LSTM(16, stateful=True)
lstm_layer(paragraph1[:, :1])
lstm_layer.set_weights([np.load(f"rnnguide_stateful.w{i}.npy") for i in range(3)])
lstm_layer.reset_states()
output = lstm_layer(paragraph1)
output = lstm_layer(paragraph2)
existing_state = lstm_layer.states
new_lstm_layer = layers.LSTM(16)
new_output = new_lstm_layer(paragraph3, initial_state=existing_state)
save("reuse", states=np.stack([np.asarray(s) for s in existing_state]), y=new_output,
     **{f"w{i}": w for i, w in enumerate(new_lstm_layer.get_weights())})

# ---- Bidirectional RNNs
keras.utils.set_random_seed(6)
model = keras.Sequential()
model.add(layers.Bidirectional(layers.LSTM(8, return_sequences=True), input_shape=(5, 10)))
model.add(layers.Bidirectional(layers.LSTM(4)))
model.add(layers.Dense(10))
model.compile(optimizer="adam", loss="mse")
x = rng.random((8, 5, 10)).astype("float32")
t = rng.random((8, 10)).astype("float32")
y = model.predict(x, verbose=0)
save_keras(model, "rnnguide_bidi.keras")
h = model.fit(x, t, batch_size=4, epochs=1, shuffle=False, verbose=0)
save("bidi", x0=x, t=t, y=y, fit_loss=np.array(h.history["loss"]))
save_after("bidi", model)

keras.utils.set_random_seed(7)
model = keras.Sequential([
    keras.Input((5, 10)),
    layers.Bidirectional(layers.LSTM(8, return_sequences=True),
                         backward_layer=layers.GRU(8, return_sequences=True, go_backwards=True)),
    layers.GlobalAveragePooling1D(),
    layers.Dense(3)])
x = rng.random((4, 5, 10)).astype("float32")
save_keras(model, "rnnguide_bidi_backward.keras")
save("bidi_backward", x0=x, y=model.predict(x, verbose=0))


# ---- RNNs with list/dict inputs, or nested inputs
# The guide's NestedCell does not run on Keras 3.15.1: RNN.build hands the cell (sequences_shape[0],) +
# sequences_shape[2:] of the tuple of shapes (IndexError in the cell's build), a cell that builds anyway fails in
# RNN.call ("output_size must be an integer"), and a state_size of TensorShape([unit_2, unit_3]) with one input
# fails too ("Can't convert Python sequence with mixed types to Tensor"). What runs on Keras 3 is the same
# computation over one input and flat states: the two inputs' features concatenated (input_2 flattened per step),
# states (unit_1,) and (unit_2 * unit_3,), the output both outputs concatenated and split after the RNN.
class FlatNestedCell(keras.layers.Layer):
    def __init__(self, unit_1, unit_2, unit_3, i1, i2, i3, **kwargs):
        super().__init__(**kwargs)
        self.unit_1, self.unit_2, self.unit_3 = unit_1, unit_2, unit_3
        self.i1, self.i2, self.i3 = i1, i2, i3
        self.state_size = [unit_1, unit_2 * unit_3]
        self.output_size = unit_1 + unit_2 * unit_3

    def build(self, input_shape):
        self.kernel_1 = self.add_weight(shape=(self.i1, self.unit_1), initializer="uniform", name="kernel_1")
        self.kernel_2_3 = self.add_weight(shape=(self.i2, self.i3, self.unit_2, self.unit_3), initializer="uniform",
                                          name="kernel_2_3")

    def call(self, inputs, states):
        input_1 = inputs[:, :self.i1]
        input_2 = keras.ops.reshape(inputs[:, self.i1:], (-1, self.i2, self.i3))
        s1, s2 = states
        output_1 = keras.ops.matmul(input_1, self.kernel_1)
        output_2_3 = keras.ops.einsum("bij,ijkl->bkl", input_2, self.kernel_2_3)
        flat_2_3 = keras.ops.reshape(output_2_3, (-1, self.unit_2 * self.unit_3))
        return keras.ops.concatenate([output_1, flat_2_3], axis=-1), [s1 + output_1, s2 + flat_2_3]


keras.utils.set_random_seed(8)
unit_1, unit_2, unit_3, i1, i2, i3, batch_size, num_batches, timestep = 3, 2, 4, 5, 3, 2, 4, 3, 4
cell = FlatNestedCell(unit_1, unit_2, unit_3, i1, i2, i3)
rnn = keras.layers.RNN(cell)
input_1 = keras.Input((timestep, i1))
input_2 = keras.Input((timestep, i2, i3))
joined = layers.Concatenate()([input_1, layers.Reshape((timestep, i2 * i3))(input_2)])
out = rnn(joined)
outputs = [out[:, :unit_1], layers.Reshape((unit_2, unit_3))(out[:, unit_1:])]
model = keras.models.Model([input_1, input_2], outputs)
model.compile(optimizer="adam", loss="mse")
n = batch_size * num_batches
input_1_data = rng.random((n, timestep, i1)).astype("float32")
input_2_data = rng.random((n, timestep, i2, i3)).astype("float32")
target_1_data = rng.random((n, unit_1)).astype("float32")
target_2_data = rng.random((n, unit_2, unit_3)).astype("float32")
weights = [w.numpy() for w in cell.weights]
y0, y1 = model.predict([input_1_data, input_2_data], verbose=0)
h = model.fit([input_1_data, input_2_data], [target_1_data, target_2_data], batch_size=batch_size,
              shuffle=False, verbose=0)
save("nested", x0=input_1_data, x1=input_2_data, w0=weights[0], w1=weights[1], y0=y0, y1=y1, t0=target_1_data,
     t1=target_2_data, fit_loss=np.array(h.history["loss"]))
save_after("nested", model)
print("written")
