# Writes the Keras 3.15.1 fixtures of CustomLayersKerasWrittenTest: run in this folder with
#   KERAS_BACKEND=jax python make_custom_layers.py
# Models holding custom layer classes, each saved as NAME.keras and as Keras 3's legacy NAME.h5,
# with NAME.x0.npy (and x1) its inputs and NAME.y.npy Keras's predict output:
#   custom_attention: LSTM(return_sequences) -> TemporalAttention (registered as
#     "rnn4j_demo>TemporalAttention") -> Dense, compiled with SGD and trained one epoch before
#     saving; custom_attention.y_after.npy holds its predictions after one more epoch of
#     fit(custom.fit_x, custom.fit_y, batch_size=4, shuffle=False).
#   custom_functional: two inputs; ScaledBlend (not registered, option `scale`, a non-trainable
#     weight created before its trainable one) called on [LSTM output, Dense output], then
#     TemporalAttention, then Dense.
#   custom_nested: a custom layer holding a Dense attribute (where Keras keeps sub-layer weights).
# custom_attention is also written as model.to_json() (custom_attention.json) and save_weights
# (custom_attention.weights.h5).
# manifest-custom.txt lists each model and its number of inputs. Fixed seeds; touches no other fixture.
import keras, numpy as np
from keras import layers as L, ops


@keras.saving.register_keras_serializable(package="rnn4j_demo")
class TemporalAttention(L.Layer):
    """score_t = tanh(h_t W + b) . u, softmax over time, the sum of h_t weighted by it."""

    def build(self, input_shape):
        d = input_shape[-1]
        self.W = self.add_weight(name="W", shape=(d, d), initializer="glorot_uniform")
        self.b = self.add_weight(name="b", shape=(d,), initializer="random_normal")
        self.u = self.add_weight(name="u", shape=(d,), initializer="random_normal")

    def call(self, h):
        score = ops.tensordot(ops.tanh(ops.matmul(h, self.W) + self.b), self.u, axes=1)
        a = ops.softmax(score, axis=1)
        return ops.sum(h * ops.expand_dims(a, -1), axis=1)


class ScaledBlend(L.Layer):
    """scale * (sigmoid(gate) * a + (1 - sigmoid(gate)) * b) + offset, on [a, b]."""

    def __init__(self, scale=1.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def build(self, input_shape):
        d = input_shape[0][-1]
        self.offset = self.add_weight(name="offset", shape=(d,), initializer="random_normal", trainable=False)
        self.gate = self.add_weight(name="gate", shape=(d,), initializer="random_normal")

    def call(self, inputs):
        a, b = inputs
        g = ops.sigmoid(self.gate)
        return self.scale * (g * a + (1 - g) * b) + self.offset

    def get_config(self):
        return {**super().get_config(), "scale": self.scale}


class Projector(L.Layer):
    """A custom layer holding a Dense: proj(x) * alpha."""

    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.proj = L.Dense(units)

    def build(self, input_shape):
        self.alpha = self.add_weight(name="alpha", shape=(self.units,), initializer="random_normal")
        self.proj.build(input_shape)

    def call(self, x):
        return self.proj(x) * self.alpha

    def get_config(self):
        return {**super().get_config(), "units": self.units}


rng = np.random.default_rng(31)
models = {}


def add(name, build, xs):
    keras.utils.set_random_seed(len(models) + 301)
    models[name] = (build(), xs)


def attention_model():
    m = keras.Sequential([keras.Input((6, 3)), L.LSTM(4, return_sequences=True), TemporalAttention(),
                          L.Dense(2)])
    m.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    return m


def functional_model():
    a = keras.Input((5, 3), name="seq")
    b = keras.Input((5, 2), name="side")
    h1 = L.LSTM(4, return_sequences=True)(a)
    h2 = L.Dense(4, activation="tanh")(b)
    blended = ScaledBlend(scale=0.7, name="blend")([h1, h2])
    y = L.Dense(1)(TemporalAttention(name="attend")(blended))
    return keras.Model([a, b], y)


fx = rng.standard_normal((8, 6, 3)).astype("float32")
fy = rng.standard_normal((8, 2)).astype("float32")
add("custom_attention", attention_model, [rng.standard_normal((3, 6, 3)).astype("float32")])
add("custom_functional", functional_model, [rng.standard_normal((2, 5, 3)).astype("float32"),
                                            rng.standard_normal((2, 5, 2)).astype("float32")])
add("custom_nested", lambda: keras.Sequential([keras.Input((4, 3)), Projector(3)]),
    [rng.standard_normal((2, 4, 3)).astype("float32")])

np.save("custom.fit_x.npy", fx)
np.save("custom.fit_y.npy", fy)
with open("manifest-custom.txt", "w") as mf:
    for name, (m, xs) in models.items():
        if m.compiled:
            m.fit(fx, fy, batch_size=4, epochs=1, shuffle=False, verbose=0)
        m.save(name + ".keras")
        m.save(name + ".h5")
        for i, x in enumerate(xs):
            np.save(f"{name}.x{i}.npy", x)
        np.save(name + ".y.npy", np.asarray(m.predict(xs, verbose=0)).astype("float64"))
        if name == "custom_attention":  # model.to_json() and save_weights, for Models.load(json, weights, custom)
            with open(name + ".json", "w") as jf:
                jf.write(m.to_json())
            m.save_weights(name + ".weights.h5")
        if m.compiled:
            m.fit(fx, fy, batch_size=4, epochs=1, shuffle=False, verbose=0)
            np.save(name + ".y_after.npy", np.asarray(m.predict(xs, verbose=0)).astype("float64"))
        mf.write(f"{name} {len(xs)}\n")

# Keras itself loads every file back (the unregistered class through custom_objects) to the same numbers.
for name, (m, xs) in models.items():
    for ext in (".keras", ".h5"):
        back = keras.models.load_model(name + ext, custom_objects={"ScaledBlend": ScaledBlend,
                                                                  "Projector": Projector}, compile=False)
        want = np.load(name + ".y.npy")
        got = np.asarray(back.predict(xs, verbose=0))
        assert np.allclose(got, want, atol=1e-6), (name, ext)
