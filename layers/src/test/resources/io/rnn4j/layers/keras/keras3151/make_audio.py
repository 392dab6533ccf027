# Writes the Keras 3.15.1 fixtures of STFTSpectrogram and MelSpectrogram (AudioLayersKerasWrittenTest), on the
# TensorFlow backend (its CPU kernels ran every case here, channels_first included). STFTSpectrogram builds its
# kernels with scipy's windows: where the TensorFlow environment has no scipy, put one on PYTHONPATH. Run in this
# folder with
#   KERAS_BACKEND=tensorflow python make_audio.py
# As make_models.py (NAME.keras, NAME.x0.npy, NAME.y.npy), listed in manifest-audio.txt. Also:
#   NAME.w<i>.npy        the STFT kernels as Keras initialised them (model.weights order), for the STFT cases;
#   stft_trained.*       fit_x/fit_y.npy and y_after.npy: predictions after one epoch of SGD(0.1), mse;
#   mel_fft.stft.npy     Keras's ops.stft (TensorFlow's FFT, float32) of mel_plain.x0 with that layer's framing,
#                        (real, imag) stacked: (2, batch, frames, fft_length // 2 + 1).
import keras, numpy as np
from keras import layers as L

rng = np.random.default_rng(23)
models = {}


def f32(*shape):
    return rng.standard_normal(shape).astype("float32")


def add(name, build, x):
    keras.utils.set_random_seed(len(models) + 701)
    models[name] = (build(), x)


def seq(shape, *layers):
    return lambda: keras.Sequential([keras.Input(shape), *layers])


# STFTSpectrogram: every mode but angle, both windows and none, periodic, both scalings and none, both paddings,
# expand_dims, channels_first, an odd fft_length (Keras's kernels then use (fft_length // 2) * 2 as the length).
add("stft_log", seq((60, 1), L.STFTSpectrogram(frame_length=16, frame_step=8, fft_length=32, trainable=False)),
    f32(2, 60, 1))
add("stft_magnitude_same", seq((50, 2), L.STFTSpectrogram(mode="magnitude", frame_length=15, frame_step=4,
                                                          window="hamming", periodic=True, scaling="spectrum",
                                                          padding="same")), f32(2, 50, 2))
add("stft_psd_expand", seq((40, 3), L.STFTSpectrogram(mode="psd", frame_length=8, window=None, scaling=None,
                                                      expand_dims=True)), f32(2, 40, 3))
add("stft_stft_cf", seq((2, 48), L.STFTSpectrogram(mode="stft", frame_length=12, fft_length=16,
                                                   data_format="channels_first")), f32(2, 2, 48))
add("stft_real_odd", seq((30, 1), L.STFTSpectrogram(mode="real", frame_length=10, frame_step=3, fft_length=13,
                                                    padding="same")), f32(2, 30, 1))
add("stft_imag_cf_expand", seq((2, 33), L.STFTSpectrogram(mode="imag", frame_length=9, frame_step=5, periodic=True,
                                                          data_format="channels_first", expand_dims=True)),
    f32(2, 2, 33))


# The classic recurrent speech model: spectrogram frames into an LSTM.
def stft_trained():
    m = keras.Sequential([keras.Input((64, 1)),
                          L.STFTSpectrogram(mode="log", frame_length=16, frame_step=8, window="hamming"),
                          L.LSTM(4), L.Dense(1)])
    m.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    return m


add("stft_trained", stft_trained, f32(2, 64, 1))

# MelSpectrogram: (batch, samples) → (batch, num_mel_bins, frames), then Permute to (frames, bins) for the LSTM.
# Batches mix loud and quiet signals so that top_db (a max over the whole batch, as Keras's) clips the quiet one.
def audio(batch, n):
    x = f32(batch, n)
    x[0] *= 1e-4
    return x


add("mel_lstm", seq((401,), L.MelSpectrogram(fft_length=64, sequence_stride=16, sampling_rate=8000, num_mel_bins=10),
                    L.Permute((2, 1)), L.LSTM(4), L.Dense(2)), audio(3, 401))
add("mel_plain", seq((300,), L.MelSpectrogram(fft_length=64, sequence_stride=20, sequence_length=48,
                                              window="hamming", sampling_rate=16000, num_mel_bins=12,
                                              min_freq=100.0, max_freq=6000.0, power_to_db=False, mag_exp=1.0)),
    audio(2, 300))
add("mel_db_options", seq((250,), L.MelSpectrogram(fft_length=63, sequence_stride=25, window=None,
                                                   sampling_rate=11025, num_mel_bins=8, top_db=30.0,
                                                   ref_power=0.5, min_power=1e-6, mag_exp=1.5)), audio(3, 250))
add("mel_defaults", seq((2048,), L.MelSpectrogram()), f32(1, 2048))

with open("manifest-audio.txt", "w") as mf:
    for name, (m, x) in models.items():
        m.save(name + ".keras")
        np.save(name + ".x0.npy", x)
        np.save(name + ".y.npy", np.asarray(m.predict(x, verbose=0)).astype("float64"))
        if name.startswith("stft"):
            for i, w in enumerate(m.layers[0].weights):
                np.save(f"{name}.w{i}.npy", np.asarray(w))  # float32, as Keras holds them
        mf.write(f"{name} 1\n")

m, xt = models["stft_trained"]
fx = f32(8, 64, 1)
fy = np.tanh(fx.std(axis=(1, 2)) - 1)[:, None].astype("float32")
np.save("stft_trained.fit_x.npy", fx)
np.save("stft_trained.fit_y.npy", fy)
m.fit(fx, fy, batch_size=4, epochs=1, shuffle=False, verbose=0)
np.save("stft_trained.y_after.npy", np.asarray(m.predict(xt, verbose=0)).astype("float64"))

# TensorFlow's FFT of one framing (mel_plain's: center reflect padding, hamming window), for the test's report of
# how close its float64 DFT is to it.
x = models["mel_plain"][1]
re, im = keras.ops.stft(x, sequence_length=48, sequence_stride=20, fft_length=64, window="hamming", center=True)
np.save("mel_fft.stft.npy", np.stack([np.asarray(re), np.asarray(im)]))  # float32, as TensorFlow computed it
