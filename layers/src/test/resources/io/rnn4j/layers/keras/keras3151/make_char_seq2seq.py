# Writes the Keras 3.15.1 fixtures of CharSeq2SeqTest (layers/src/test/java/io/rnn4j/layers/examples/), on the
# TensorFlow backend. Run in this folder with
#   KERAS_BACKEND=tensorflow python make_char_seq2seq.py
# keras-io's examples/nlp/lstm_seq2seq.py ("Character-level recurrent sequence-to-sequence model", last modified
# 2023/11/22) at a small size: instead of fra-eng, 40 synthetic pairs "phrase -> the phrase reversed" (1 or 2 words
# of 1 to 3 letters of "abcde"), vectorized exactly as the example ("\t" start, "\n" end, " " padding); latent_dim
# 16, rmsprop, categorical_crossentropy, metrics ["accuracy"]. Written:
#   s2s.pairs.txt          the pairs, "input|target" a line (target without "\t" and "\n")
#   s2s.enc_x.npy, s2s.dec_x.npy, s2s.dec_y.npy   encoder_input_data, decoder_input_data, decoder_target_data
#   s2s_model.keras        the model after 40 epochs (batch 8, shuffle=False), saved with its optimizer state
#   s2s.layers.txt         the loaded model's layers, "index name class" a line
#   s2s.decoded.txt        decode_sequence of the first 8 pairs with the inference models built the example's way
#                          from load_model(...), one string a line ("\n" written as "$")
#   s2s.steps.npy          (8, max_decoder_seq_length + 1, num_decoder_tokens) output_tokens[0, -1, :] of each step
#                          (rows past a string's end zero)
#   s2s.states.npy         (40, 2, 16) encoder_model.predict(encoder_input_data): h and c
#   s2s.fit_<key>.npy      one more epoch of the loaded model (compiled from its file: its rmsprop state too),
#                          fit(batch_size=8, epochs=1, validation_split=0.2, shuffle=False): the history
#   s2s.after<i>.npy       every weight after it (model.weights order)
#   s2s.states_after.npy   the SAME encoder_model (built before that epoch) on encoder_input_data after it
#   s2s.decoded_after.txt  decode_sequence of the first 8 pairs after it
# Seeded (np.random.seed and keras.utils.set_random_seed).
import os
import zipfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np
import keras

latent_dim = 16
num_samples = 40
np.random.seed(1616)
pairs, seen = [], set()
while len(pairs) < num_samples:
    words = ["".join(np.random.choice(list("abcde"), np.random.randint(1, 4))) for _ in range(np.random.randint(1, 3))]
    text = " ".join(words)
    if text in seen:
        continue
    seen.add(text)
    pairs.append((text, text[::-1]))
assert any(" " in p[0] for p in pairs), "the example pads with ' ', so some input must hold one"
with open("s2s.pairs.txt", "w") as out:
    for a, b in pairs:
        out.write(a + "|" + b + "\n")

# The example's vectorization, as it is written.
input_texts, target_texts, input_characters, target_characters = [], [], set(), set()
for input_text, target_text in pairs:
    target_text = "\t" + target_text + "\n"
    input_texts.append(input_text)
    target_texts.append(target_text)
    input_characters.update(input_text)
    target_characters.update(target_text)
input_characters = sorted(list(input_characters))
target_characters = sorted(list(target_characters))
num_encoder_tokens = len(input_characters)
num_decoder_tokens = len(target_characters)
max_encoder_seq_length = max([len(txt) for txt in input_texts])
max_decoder_seq_length = max([len(txt) for txt in target_texts])
input_token_index = dict([(char, i) for i, char in enumerate(input_characters)])
target_token_index = dict([(char, i) for i, char in enumerate(target_characters)])
encoder_input_data = np.zeros((len(input_texts), max_encoder_seq_length, num_encoder_tokens), dtype="float32")
decoder_input_data = np.zeros((len(input_texts), max_decoder_seq_length, num_decoder_tokens), dtype="float32")
decoder_target_data = np.zeros((len(input_texts), max_decoder_seq_length, num_decoder_tokens), dtype="float32")
for i, (input_text, target_text) in enumerate(zip(input_texts, target_texts)):
    for t, char in enumerate(input_text):
        encoder_input_data[i, t, input_token_index[char]] = 1.0
    encoder_input_data[i, t + 1 :, input_token_index[" "]] = 1.0
    for t, char in enumerate(target_text):
        decoder_input_data[i, t, target_token_index[char]] = 1.0
        if t > 0:
            decoder_target_data[i, t - 1, target_token_index[char]] = 1.0
    decoder_input_data[i, t + 1 :, target_token_index[" "]] = 1.0
    decoder_target_data[i, t:, target_token_index[" "]] = 1.0
np.save("s2s.enc_x.npy", encoder_input_data)
np.save("s2s.dec_x.npy", decoder_input_data)
np.save("s2s.dec_y.npy", decoder_target_data)
print("tokens", num_encoder_tokens, num_decoder_tokens, "lengths", max_encoder_seq_length, max_decoder_seq_length)

# The example's model.
keras.utils.set_random_seed(1617)
encoder_inputs = keras.Input(shape=(None, num_encoder_tokens))
encoder = keras.layers.LSTM(latent_dim, return_state=True)
encoder_outputs, state_h, state_c = encoder(encoder_inputs)
encoder_states = [state_h, state_c]
decoder_inputs = keras.Input(shape=(None, num_decoder_tokens))
decoder_lstm = keras.layers.LSTM(latent_dim, return_sequences=True, return_state=True)
decoder_outputs, _, _ = decoder_lstm(decoder_inputs, initial_state=encoder_states)
decoder_dense = keras.layers.Dense(num_decoder_tokens, activation="softmax")
decoder_outputs = decoder_dense(decoder_outputs)
model = keras.Model([encoder_inputs, decoder_inputs], decoder_outputs)
model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
h = model.fit([encoder_input_data, decoder_input_data], decoder_target_data, batch_size=8, epochs=40,
              shuffle=False, verbose=0)
print("pre-training loss", h.history["loss"][0], "->", h.history["loss"][-1])
model.save("s2s_model.keras")
with zipfile.ZipFile("s2s_model.keras") as z:  # deflated, as make_ocr.py does: Keras and rnn4j read both
    entries = [(i, z.read(i.filename)) for i in z.infolist()]
with zipfile.ZipFile("s2s_model.keras", "w", zipfile.ZIP_DEFLATED) as z:
    for info, data in entries:
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, data)

# The example's inference models, out of the loaded model's pieces.
model = keras.models.load_model("s2s_model.keras")
with open("s2s.layers.txt", "w") as out:
    for i, layer in enumerate(model.layers):
        out.write(f"{i} {layer.name} {layer.__class__.__name__}\n")
encoder_inputs = model.input[0]
encoder_outputs, state_h_enc, state_c_enc = model.layers[2].output
encoder_states = [state_h_enc, state_c_enc]
encoder_model = keras.Model(encoder_inputs, encoder_states)
decoder_inputs = model.input[1]
decoder_state_input_h = keras.Input(shape=(latent_dim,))
decoder_state_input_c = keras.Input(shape=(latent_dim,))
decoder_states_inputs = [decoder_state_input_h, decoder_state_input_c]
decoder_lstm = model.layers[3]
decoder_outputs, state_h_dec, state_c_dec = decoder_lstm(decoder_inputs, initial_state=decoder_states_inputs)
decoder_states = [state_h_dec, state_c_dec]
decoder_dense = model.layers[4]
decoder_outputs = decoder_dense(decoder_outputs)
decoder_model = keras.Model([decoder_inputs] + decoder_states_inputs, [decoder_outputs] + decoder_states)
reverse_target_char_index = dict((i, char) for char, i in target_token_index.items())


def decode_sequence(input_seq, steps):
    # The example's loop, keeping each step's probabilities (and the gap between the two best, reported below).
    states_value = encoder_model.predict(input_seq, verbose=0)
    target_seq = np.zeros((1, 1, num_decoder_tokens))
    target_seq[0, 0, target_token_index["\t"]] = 1.0
    stop_condition = False
    decoded_sentence = ""
    while not stop_condition:
        output_tokens, h, c = decoder_model.predict([target_seq] + states_value, verbose=0)
        steps.append(output_tokens[0, -1, :])
        sampled_token_index = np.argmax(output_tokens[0, -1, :])
        sampled_char = reverse_target_char_index[sampled_token_index]
        decoded_sentence += sampled_char
        if sampled_char == "\n" or len(decoded_sentence) > max_decoder_seq_length:
            stop_condition = True
        target_seq = np.zeros((1, 1, num_decoder_tokens))
        target_seq[0, 0, sampled_token_index] = 1.0
        states_value = [h, c]
    return decoded_sentence


def decode_first(n, txt, npy):
    probs = np.zeros((n, max_decoder_seq_length + 1, num_decoder_tokens), dtype="float32")
    gap = 1.0
    with open(txt, "w") as out:
        for seq_index in range(n):
            steps = []
            decoded = decode_sequence(encoder_input_data[seq_index : seq_index + 1], steps)
            probs[seq_index, : len(steps)] = np.stack(steps)
            for p in steps:
                top = np.sort(p)[-2:]
                gap = min(gap, top[1] - top[0])
            print(repr(input_texts[seq_index]), "->", repr(decoded))
            out.write(decoded.replace("\n", "$") + "\n")
    print("smallest gap between the two best characters of a step:", gap)
    if npy:
        np.save(npy, probs)


decode_first(8, "s2s.decoded.txt", "s2s.steps.npy")
states = np.stack(encoder_model.predict(encoder_input_data, verbose=0), axis=1)
np.save("s2s.states.npy", states.astype("float32"))

h = model.fit([encoder_input_data, decoder_input_data], decoder_target_data, batch_size=8, epochs=1,
              validation_split=0.2, shuffle=False, verbose=0)
for key, values in h.history.items():
    np.save(f"s2s.fit_{key}.npy", np.array(values))
    print(key, values)
for i, w in enumerate(model.weights):
    np.save(f"s2s.after{i}.npy", np.asarray(w.numpy(), dtype="float32"))
states_after = np.stack(encoder_model.predict(encoder_input_data, verbose=0), axis=1)
np.save("s2s.states_after.npy", states_after.astype("float32"))
print("the encoder model moved by", np.abs(states_after - states).max())
decode_first(8, "s2s.decoded_after.txt", None)
print("written")
