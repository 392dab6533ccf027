# Writes the Keras 3.15.1 fixtures of MaskingAndPaddingGuideTest (layers/src/test/java/io/rnn4j/layers/examples/),
# on the TensorFlow backend. Run in this folder with
#   KERAS_BACKEND=tensorflow python make_masking_guide.py
# keras-io's guides/understanding_masking_and_padding.py ("Understanding masking & padding", last modified
# 2020/04/14), section by section, its code at small sizes (maskguide_<section>.*):
#   pad        the guide's raw_inputs: post.npy (padding="post"), pre.npy (defaults), cut_pre.npy / cut_post.npy
#              (maxlen=4, truncating "pre" / "post", padding "post", value=-1)
#   gen        Embedding(5000, 16, mask_zero=True)(post)._keras_mask: emb_mask; Masking()(post tiled to 10
#              features as float32)._keras_mask: masking_mask; compute_mask(post): emb_compute_mask
#   seq        Sequential [Embedding(50, 8, mask_zero=True), LSTM(8)] on x0 (3, 6) (post-padded ids < 50): .keras, y
#   func       the same as a functional model (Input (None,) int32): .keras, y
#   mylayer    the guide's MyLayer (registered "maskguide>MyLayer"; Embedding(50, 8, mask_zero) and LSTM(8) as
#              attributes, lstm(x, mask=embedding.compute_mask(inputs))) in a model over Input (10,) int32:
#              .keras, x0 (4, 10), y
# Keras 3 calls compute_mask on KerasTensors in functional models, where the guide's tf.split / tf.not_equal raise
# "A KerasTensor cannot be used as input to a TensorFlow function": TemporalSplit and CustomEmbedding use keras.ops.
#   split      Masking -> TemporalSplit (registered) -> LSTM(4) on each half, over Input (6, 10): the guide's
#              masked_embedding scaled by 1/1000 as x0: .keras, y0, y1, w<i> (the model's weights); first_mask, second_mask: the halves' _keras_mask
#   customemb  CustomEmbedding(10, 4, mask_zero=True) (registered) eagerly: w0 (its embeddings), x0 (3, 10), y,
#              mask; and in a model CustomEmbedding -> LSTM(4) over Input (None,) int32: .keras, model_y
#   myact      Input (None,) int32 -> Embedding(50, 8, mask_zero) -> MyActivation (registered) -> LSTM(8): .keras,
#              x0 (3, 7), y; mask: MyActivation's output _keras_mask on x0 (eager)
#   softmax    Input (None,) int32 -> Embedding(10, 4, mask_zero) -> Dense(1) -> TemporalSoftmax (registered):
#              .keras, x0 (4, 12) ids in [0, 10), y (the guide's layer as written: the denominator sums the
#              masked inputs, not their exponentials)
# Seeded throughout.
import os
import zipfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np
import tensorflow as tf
import keras
from keras import layers

keras.utils.set_random_seed(20200414)
rng = np.random.default_rng(20200414)


def save(name, **arrays):
    for k, v in arrays.items():
        np.save(f"maskguide_{name}.{k}.npy", np.asarray(v))


def save_keras(model, path):
    # entries rewritten deflated (Keras stores them uncompressed; both read either)
    model.save(path)
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


# ---- Padding sequence data
raw_inputs = [[711, 632, 71], [73, 8, 3215, 55, 927], [83, 91, 1, 645, 1253, 927]]
pad = keras.utils.pad_sequences
padded_inputs = pad(raw_inputs, padding="post")
save("pad", post=padded_inputs.astype("float32"), pre=pad(raw_inputs).astype("float32"),
     cut_pre=pad(raw_inputs, maxlen=4, padding="post", truncating="pre", value=-1).astype("float32"),
     cut_post=pad(raw_inputs, maxlen=4, padding="post", truncating="post", value=-1).astype("float32"))

# ---- Mask-generating layers: Embedding and Masking
embedding = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)
masked_output = embedding(padded_inputs)
masking_layer = layers.Masking()
unmasked_embedding = tf.cast(tf.tile(tf.expand_dims(padded_inputs, axis=-1), [1, 1, 10]), tf.float32)
masked_embedding = masking_layer(unmasked_embedding)
save("gen", emb_mask=masked_output._keras_mask.numpy().astype("float32"),
     masking_mask=masked_embedding._keras_mask.numpy().astype("float32"),
     emb_compute_mask=embedding.compute_mask(padded_inputs).numpy().astype("float32"))

# ---- Mask propagation in the Sequential and Functional API (ids shrunk below 50)
small = pad([[11, 32, 7], [3, 8, 15, 5, 27], [33, 41, 1, 45, 13, 27]], padding="post")
seq = keras.Sequential([layers.Embedding(input_dim=50, output_dim=8, mask_zero=True), layers.LSTM(8)])
seq(small)
save_keras(seq, "maskguide_seq.keras")
save("seq", x0=small.astype("float32"), y=seq.predict(small, verbose=0))

inputs = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(input_dim=50, output_dim=8, mask_zero=True)(inputs)
outputs = layers.LSTM(8)(x)
func = keras.Model(inputs, outputs)
save_keras(func, "maskguide_func.keras")
save("func", y=func.predict(small, verbose=0))


# ---- Passing mask tensors directly to layers
@keras.saving.register_keras_serializable(package="maskguide")
class MyLayer(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.embedding = layers.Embedding(input_dim=50, output_dim=8, mask_zero=True)
        self.lstm = layers.LSTM(8)

    def call(self, inputs):
        x = self.embedding(inputs)
        mask = self.embedding.compute_mask(inputs)
        return self.lstm(x, mask=mask)


x = (rng.random((4, 10)) * 50).astype("int32")
x[:, 6:] = 0  # padding, so that the mask matters
x[1, 3:] = 0
inp = keras.Input(shape=(10,), dtype="int32")
mymodel = keras.Model(inp, MyLayer()(inp))
save_keras(mymodel, "maskguide_mylayer.keras")
save("mylayer", x0=x.astype("float32"), y=mymodel.predict(x, verbose=0))


# ---- Supporting masking in your custom layers: TemporalSplit
@keras.saving.register_keras_serializable(package="maskguide")
class TemporalSplit(keras.layers.Layer):
    """Split the input tensor into 2 tensors along the time dimension."""

    def call(self, inputs):
        return keras.ops.split(inputs, 2, axis=1)

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        # keras.ops, not the guide's tf.split: Keras 3 calls compute_mask on KerasTensors in a functional
        # model, which tf functions refuse ("A KerasTensor cannot be used as input to a TensorFlow function")
        return keras.ops.split(mask, 2, axis=1)


first_half, second_half = TemporalSplit()(masked_embedding)
inp = keras.Input(shape=(6, 10))
a, b = TemporalSplit()(layers.Masking()(inp))
split = keras.Model(inp, [layers.LSTM(4)(a), layers.LSTM(4)(b)])
save_keras(split, "maskguide_split.keras")
xs = (unmasked_embedding.numpy() / 1000.0).astype("float32")  # the guide's data, scaled for an LSTM
ys = split.predict(xs, verbose=0)
save("split", x0=xs, y0=ys[0], y1=ys[1], first_mask=first_half._keras_mask.numpy().astype("float32"),
     second_mask=second_half._keras_mask.numpy().astype("float32"))
save("split", **{f"w{i}": w.numpy() for i, w in enumerate(split.weights)})


# ---- CustomEmbedding, generating a mask
@keras.saving.register_keras_serializable(package="maskguide")
class CustomEmbedding(keras.layers.Layer):
    def __init__(self, input_dim, output_dim, mask_zero=False, **kwargs):
        super().__init__(**kwargs)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.mask_zero = mask_zero

    def build(self, input_shape):
        self.embeddings = self.add_weight(shape=(self.input_dim, self.output_dim), initializer="random_normal",
                                          dtype="float32")

    def call(self, inputs):
        return tf.nn.embedding_lookup(self.embeddings, inputs)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return keras.ops.not_equal(inputs, 0)  # not tf.not_equal: see TemporalSplit


layer = CustomEmbedding(10, 4, mask_zero=True)
x = (rng.random((3, 10)) * 9).astype("int32")
y = layer(x)
save("customemb", w0=layer.embeddings.numpy(), x0=x.astype("float32"), y=y.numpy(),
     mask=layer.compute_mask(x).numpy().astype("float32"))
inp = keras.Input(shape=(None,), dtype="int32")
cm = keras.Model(inp, layers.LSTM(4)(CustomEmbedding(10, 4, mask_zero=True)(inp)))
save_keras(cm, "maskguide_customemb.keras")
save("customemb", model_y=cm.predict(x, verbose=0))


# ---- Opting-in to mask propagation: MyActivation
@keras.saving.register_keras_serializable(package="maskguide")
class MyActivation(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return tf.nn.relu(inputs)


inputs = keras.Input(shape=(None,), dtype="int32")
emb = layers.Embedding(input_dim=50, output_dim=8, mask_zero=True)
act = MyActivation()
x = act(emb(inputs))
print("Mask found:", x._keras_mask)
outputs = layers.LSTM(8)(x)
act_model = keras.Model(inputs, outputs)
save_keras(act_model, "maskguide_myact.keras")
x = (rng.random((3, 7)) * 50).astype("int32")
x[0, 4:] = 0
x[2, 2:] = 0
save("myact", x0=x.astype("float32"), y=act_model.predict(x, verbose=0),
     mask=act(emb(x))._keras_mask.numpy().astype("float32"))


# ---- Writing layers that need mask information: TemporalSoftmax
@keras.saving.register_keras_serializable(package="maskguide")
class TemporalSoftmax(keras.layers.Layer):
    def call(self, inputs, mask=None):
        broadcast_float_mask = tf.expand_dims(tf.cast(mask, "float32"), -1)
        inputs_exp = tf.exp(inputs) * broadcast_float_mask
        inputs_sum = tf.reduce_sum(inputs * broadcast_float_mask, axis=1, keepdims=True)
        return inputs_exp / inputs_sum


inputs = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(input_dim=10, output_dim=4, mask_zero=True)(inputs)
x = layers.Dense(1)(x)
outputs = TemporalSoftmax()(x)
sm = keras.Model(inputs, outputs)
x = rng.integers(0, 10, size=(4, 12))
save_keras(sm, "maskguide_softmax.keras")
save("softmax", x0=x.astype("float32"), y=sm.predict(x, verbose=0))
