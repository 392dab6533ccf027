# Writes the Keras 3.15.1 fixtures of IntegerLookup(invert=True) inside a model (LookupInvertModelKerasTest):
# run in this folder with TensorFlow installed (the lookup runs on TensorFlow's tables) as
#   KERAS_BACKEND=tensorflow python make_lookup_invert_model.py
# lookup_invert_NAME.keras: a model with an inverted IntegerLookup; lookup_invert_NAME.x.npy its input ids,
# lookup_invert_NAME.y.npy its predict output (float64).
#   given: ids -> IntegerLookup(invert, vocabulary=[...], oov_token=0) -> Embedding -> mean -> Dense, so the
#          tokens the lookup gives pick the embedding rows (OOV and past-the-end ids give 0's row).
#   adapted: ids -> IntegerLookup(invert, mask_token=0) adapted (its vocabulary an asset): the tokens.
import keras, numpy as np
from keras import layers as L

x = np.array([[0, 1, 2, 3, 4], [5, 6, -1, 4, 1], [2, 2, 9, 0, 3]], "int64")


def given():
    lk = L.IntegerLookup(invert=True, vocabulary=[12, 40, 7, 99], oov_token=0)
    inp = keras.Input((5,), dtype="int64")
    h = L.Embedding(100, 3)(lk(inp))
    return keras.Model(inp, L.Dense(2)(L.GlobalAveragePooling1D()(h)))


def adapted():
    lk = L.IntegerLookup(invert=True, mask_token=0)
    lk.adapt(np.array([[12, 7, 12, 40], [7, 7, -1, 3], [0, 12, 5, 40]], "int64"))
    return keras.Sequential([keras.Input((5,), dtype="int64"), lk])


for name, build in [("given", given), ("adapted", adapted)]:
    keras.utils.set_random_seed(31)
    m = build()
    m.save(f"lookup_invert_{name}.keras")
    y = np.asarray(m.predict(x, verbose=0))
    np.save(f"lookup_invert_{name}.x.npy", x.astype("float32"))
    np.save(f"lookup_invert_{name}.y.npy", y.astype("float64"))
    back = keras.saving.load_model(f"lookup_invert_{name}.keras")
    assert np.array_equal(np.asarray(back.predict(x, verbose=0)), y), name
    print(name, y.tolist())
