# Writes the Keras 3.15.1 fixtures of ConvLstm2DKerasMaskTest: a ConvLSTM2D called on a (batch, time)
# mask (Keras's call(x, mask=...): what reaches it behind TimeDistributed layers), TensorFlow backend
# (the CPU kernels most users run):
#   python make_convlstm2d_mask.py        (TF 2.21 + Keras 3.15.1)
# For each NAME in manifest-convlstm2d-mask.txt: NAME.keras (random weights, biases included) and
# Keras's outputs NAME.y0.npy (output), y1 (final h), y2 (final c) for convlstm2d_mask.x.npy and
# the mask convlstm2d_mask.mask.npy (1 keeps a step). Fixed seeds.
import keras, numpy as np
from keras import layers as L

rng = np.random.default_rng(9)
x = rng.standard_normal((3, 5, 4, 3, 2)).astype("float32")
# Sample 0 skips a middle step, sample 1 ends masked, sample 2 starts and ends masked.
mask = np.array([[1, 0, 1, 1, 1], [1, 1, 1, 0, 0], [0, 1, 1, 1, 0]], dtype=bool)
np.save("convlstm2d_mask.x.npy", x)
np.save("convlstm2d_mask.mask.npy", mask.astype("float32"))
cases = {
    "convlstm2d_mask_backwards_sequences": dict(strides=(2, 1), go_backwards=True, return_sequences=True),
    "convlstm2d_mask_zero_output": dict(zero_output_for_mask=True, return_sequences=True),
    "convlstm2d_mask_last": dict(go_backwards=True),
}
with open("manifest-convlstm2d-mask.txt", "w") as mf:
    for name, options in cases.items():
        layer = L.ConvLSTM2D(2, (2, 3), padding="same", return_state=True, **options)
        inp = keras.Input((5, 4, 3, 2))
        m = keras.Model(inp, layer(inp))
        for w in m.weights:
            w.assign(rng.uniform(-0.5, 0.5, w.shape).astype("float32"))
        m.save(name + ".keras")
        for i, y in enumerate(layer(x, mask=mask)):
            np.save(f"{name}.y{i}.npy", np.asarray(y).astype("float64"))
        mf.write(name + "\n")
