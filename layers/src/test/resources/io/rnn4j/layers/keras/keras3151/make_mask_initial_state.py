# Writes mask_initial_state.keras (listed in manifest.txt): Embedding(mask_zero) -> LSTM given
# initial_state. Keras 3 fills a call's mask only when it has one tensor argument (layer.py,
# Layer.__call__), so this LSTM runs unmasked; the second print shows the same numbers without the mask.
#   KERAS_BACKEND=jax python make_mask_initial_state.py
import keras, numpy as np
from keras import layers as L

keras.utils.set_random_seed(101)
tok = keras.Input(shape=(5,), name="tok")
h0 = keras.Input(shape=(3,), name="h0")
c0 = keras.Input(shape=(3,), name="c0")
seq = L.LSTM(3, return_sequences=True)(L.Embedding(10, 4, mask_zero=True)(tok), initial_state=[h0, c0])
m = keras.Model([tok, h0, c0], seq)
m.save("mask_initial_state.keras")
xs = [np.array([[0, 0, 1, 2, 3], [4, 5, 6, 0, 0], [9, 8, 7, 6, 5]], dtype="float32"),
      np.full((3, 3), 0.3, dtype="float32"), np.full((3, 3), -0.2, dtype="float32")]
for i, x in enumerate(xs):
    np.save(f"mask_initial_state.x{i}.npy", x)
np.save("mask_initial_state.y.npy", np.asarray(m.predict(xs, verbose=0)).astype("float64"))
