# Keras 3.15.1's predictions (TensorFlow backend) of text_lstm.keras — a copy of the layers module's
# keras3151/textvec_seq_lstm.keras (TextVectorization → Embedding → LSTM → Dense, make_textvec.py) —
# on texts.txt, one text per line, for PredictCommandTest. Run here with TensorFlow installed:
#   KERAS_BACKEND=tensorflow python make_text_fixture.py
import keras, numpy as np, tensorflow as tf

texts = open("texts.txt", encoding="utf-8").read().splitlines()
m = keras.saving.load_model("text_lstm.keras")
y = np.asarray(m.predict(tf.constant([[t] for t in texts]), verbose=0))
np.save("text_lstm.y.npy", y.astype("float32"))
