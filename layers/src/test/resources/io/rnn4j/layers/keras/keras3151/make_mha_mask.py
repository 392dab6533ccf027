# Writes the Keras 3.15.1 fixture of MhaMaskSideEffectTest: run in this folder with
#   python make_mha_mask.py          (TensorFlow backend, CPU)
# Keras 3's MultiHeadAttention.call deletes the Keras masks of its query/value/key tensors
# (backend.set_keras_mask(t, None)), so a layer that runs after it (Functional runs nodes by decreasing
# depth) on the same Embedding(mask_zero) output sees no mask, and one that runs before it does.
# mha_mask.keras: a GroupQueryAttention on (MHA output, embedding) (runs after the MHA: its value mask
# is gone), an LSTM on the embedding at depth 0 (after: unmasked) and one at depth 3 (before: masked).
# mha_mask.x0.npy the token ids (zeros inside and at the end), mha_mask.y<i>.npy Keras's outputs.
import keras, numpy as np
from keras import layers as L

rng = np.random.default_rng(31)
keras.utils.set_random_seed(31)
t = keras.Input((6,))
e = L.Embedding(10, 8, mask_zero=True)(t)
m = L.MultiHeadAttention(2, 4)(e, e)
g = L.GroupQueryAttention(4, 4, 2)(m, e)
after = L.LSTM(3)(e)
before = L.Dense(2)(L.Dense(3)(L.LSTM(3)(e)))
model = keras.Model(t, [g, after, before])
for w in model.weights:  # random biases too, so that every weight matters
    w.assign(rng.uniform(-0.5, 0.5, w.shape).astype("float32"))
x = np.array([[3, 4, 0, 2, 0, 0], [1, 2, 3, 4, 5, 6]], "float32")
model.save("mha_mask.keras")
np.save("mha_mask.x0.npy", x)
for i, y in enumerate(model.predict(x, verbose=0)):
    np.save(f"mha_mask.y{i}.npy", np.asarray(y).astype("float64"))
