import keras, numpy as np
from keras import layers
keras.utils.set_random_seed(11)
tok = keras.Input(shape=(6,), name="tok")
out = layers.Dense(1)(layers.LSTM(3)(layers.Embedding(10, 4, mask_zero=True)(tok)))
m = keras.Model(tok, out)
m.save("keras_mask_lstm.keras")
xt = np.array([[1,2,3,0,0,0],[4,5,0,0,0,0],[9,8,7,6,5,4]], dtype="int32")
np.save("x_mask_tok.npy", xt.astype("float32")); np.save("y_mask.npy", np.asarray(m.predict(xt, verbose=0)).astype("float64"))
