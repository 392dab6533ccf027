# Writes textvec_batches.keras and textvec_batches.json (TextModelsKerasWrittenTest): run in this
# folder with TensorFlow installed as
#   KERAS_BACKEND=tensorflow python make_textvec_batches.py
# A TextVectorization without output_sequence_length pads each batch to its own longest text, so
# Keras's model.predict(texts) depends on its batch_size (32 by default) when nothing masks the
# padding: the model below averages unmasked embeddings. The json holds the 40 texts (the first 32
# short, the last 8 longer) and the model's predict outputs at batch_size 32 (the default), 5 and 64.
# textvec_batches_seq.keras: the embeddings themselves, whose length follows each batch's padding
# (Keras's predict joins such batches into a ragged tensor).
import json
import keras, numpy as np
import tensorflow as tf
from keras import layers as L

keras.utils.set_random_seed(3)
words = "the cat sat on a mat dog ran far away".split()
rng = np.random.RandomState(0)
texts = [" ".join(rng.choice(words, rng.randint(1, 4 if i < 32 else 9))) for i in range(40)]
tv = L.TextVectorization(max_tokens=20)
tv.adapt(texts)
inp = keras.Input((1,), dtype="string")
x = L.GlobalAveragePooling1D()(L.Embedding(20, 3)(tv(inp)))
m = keras.Model(inp, L.Dense(1)(x))
m.save("textvec_batches.keras")
data = tf.constant(texts)[:, None]
out = {"texts": texts}
for b in (32, 5, 64):
    out[f"y{b}"] = [float(v) for v in m.predict(data, batch_size=b, verbose=0).ravel()]
assert out["y32"] != out["y64"]
seq = keras.Model(inp, L.Embedding(20, 2)(tv(inp)))
seq.save("textvec_batches_seq.keras")
assert isinstance(seq.predict(data, verbose=0), tf.RaggedTensor)
with open("textvec_batches.json", "w") as f:
    json.dump(out, f)
