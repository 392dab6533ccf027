# Keras 3.15.1 (TensorFlow backend): a custom layer owning built-in layers and a custom layer, for
# CustomSublayersTrainingTest. Block(4) holds, in this order, a non-trainable `count` (added first) and
# a trainable `alpha` of its own, then `dense` (Dense), `bn` (BatchNormalization) and `inner` (Inner,
# a custom layer owning a Dense `proj`): call = inner(bn(dense(x))) * alpha + count. Model:
# Input(3) -> Block(4) -> Dense(1) "head", Adam(0.01), mse, batches of 4, no shuffling.
#   sublayers_init.keras   compiled, untrained
#   sublayers_e1.keras/.h5 after one epoch (the .keras with Adam's state; .h5 legacy, weights only)
#   sublayers_e2.weights.h5  sublayers_e1.keras loaded by Keras, trained one more epoch
#   sublayers.x.npy, sublayers.y.npy  the training data; sublayers.pred_e2.npy  predict(x) after e2
# Run from this folder: python make_sublayers.py. Fixed seeds; touches no other fixture.
import keras, numpy as np
from keras import layers as L


@keras.saving.register_keras_serializable(package="rnn4j")
class Inner(L.Layer):
    def __init__(self, units, **kw):
        super().__init__(**kw)
        self.units = units
        self.proj = L.Dense(units)

    def build(self, shape):
        self.proj.build(shape)

    def call(self, x):
        return self.proj(x)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


@keras.saving.register_keras_serializable(package="rnn4j")
class Block(L.Layer):
    def __init__(self, units, **kw):
        super().__init__(**kw)
        self.units = units
        self.dense = L.Dense(units)
        self.bn = L.BatchNormalization(momentum=0.5)
        self.inner = Inner(units)

    def build(self, shape):
        self.count = self.add_weight(shape=(self.units,), initializer=keras.initializers.Constant(0.25),
                                     trainable=False, name="count")
        self.alpha = self.add_weight(shape=(self.units,), initializer="random_normal", name="alpha")
        self.dense.build(shape)
        self.bn.build((None, self.units))
        self.inner.build((None, self.units))

    def call(self, x, training=None):
        h = self.inner(self.bn(self.dense(x), training=training))
        return h * self.alpha + self.count

    def get_config(self):
        return {**super().get_config(), "units": self.units}


keras.utils.set_random_seed(5)
rng = np.random.default_rng(5)
x = rng.normal(size=(8, 3)).astype("float32")
y = rng.normal(size=(8, 1)).astype("float32")
np.save("sublayers.x.npy", x)
np.save("sublayers.y.npy", y)
inp = keras.Input((3,))
m = keras.Model(inp, L.Dense(1, name="head")(Block(4, name="block")(inp)))
m.compile(keras.optimizers.Adam(0.01), "mse")
m.save("sublayers_init.keras")
m.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
m.save("sublayers_e1.keras")
m.save("sublayers_e1.h5")
k = keras.models.load_model("sublayers_e1.keras")
k.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
k.save_weights("sublayers_e2.weights.h5")
np.save("sublayers.pred_e2.npy", k.predict(x, verbose=0))
print([w.path for w in k.weights])
