# Keras 3.15.1: a custom layer holding a Python list of Dense layers (self.dense_list = [...]), which
# Keras saves under layers/stack/dense_list/dense and .../dense_1; CustomSublayersTest checks rnn4j
# refuses it by name. Run from this folder: python make_custom_list.py. Fixed seed.
import keras
from keras import layers as L


@keras.saving.register_keras_serializable(package="rnn4j")
class Stack(L.Layer):
    def __init__(self, **kw):
        super().__init__(**kw)
        self.dense_list = [L.Dense(2), L.Dense(2)]

    def call(self, x):
        for d in self.dense_list:
            x = d(x)
        return x


keras.utils.set_random_seed(3)
inp = keras.Input((2,))
keras.Model(inp, Stack(name="stack")(inp)).save("custom_list.keras")
