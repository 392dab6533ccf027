# Writes the Keras 3.15.1 fixtures of CustomLayerWeightOrderTest, on the TensorFlow backend. Run in
# this folder with
#   KERAS_BACKEND=tensorflow python make_custom_layer_order.py
# A registered custom layer, r2>Shift (x * w + bump * count), adds a non-trainable weight before its
# trainable one: Keras keeps its own variables trainable first (.keras: save_own_variables; legacy
# .h5: _legacy_weights, a frozen layer's too). It is saved inside TimeDistributed and inside a nested
# Sequential (.keras), and frozen at the top level (legacy .h5). NAME.keras or NAME.h5, NAME.x0.npy,
# NAME.y.npy (Keras's predict output).
import keras, numpy as np
from keras import layers as L

rng = np.random.default_rng(31)


def f32(*shape):
    return rng.standard_normal(shape).astype("float32")


@keras.saving.register_keras_serializable(package="r2")
class Shift(L.Layer):
    def __init__(self, bump=1.0, **kwargs):
        super().__init__(**kwargs)
        self.bump = bump

    def build(self, shape):
        self.count = self.add_weight(name="count", shape=(shape[-1],), initializer="zeros", trainable=False)
        self.w = self.add_weight(name="w", shape=(shape[-1],), initializer="ones")

    def call(self, x):
        return x * self.w + self.count * self.bump

    def compute_output_shape(self, shape):
        return shape

    def get_config(self):
        return {**super().get_config(), "bump": self.bump}


def filled(shift):
    shift.count.assign(f32(*shift.count.shape))
    shift.w.assign(f32(*shift.w.shape))


def save(name, model, x, ext):
    model.save(name + ext)
    np.save(name + ".x0.npy", x)
    np.save(name + ".y.npy", np.asarray(model.predict(x, verbose=0)).astype("float64"))


x = keras.Input((3, 4))
s = Shift(bump=0.5)
model = keras.Model(x, L.TimeDistributed(s)(x))
filled(s)
save("custom_order_td", model, f32(2, 3, 4), ".keras")

s = Shift(bump=1.5)
inner = keras.Sequential([keras.Input((4,)), L.Dense(4), s], name="inner")
x = keras.Input((4,))
model = keras.Model(x, L.Dense(2)(inner(x)))
filled(s)
save("custom_order_nested", model, f32(2, 4), ".keras")

x = keras.Input((3, 4))
s = Shift(bump=2.0)
model = keras.Model(x, s(x))
filled(s)
s.trainable = False
save("custom_order_frozen", model, f32(2, 3, 4), ".h5")
