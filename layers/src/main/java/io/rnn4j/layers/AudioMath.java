package io.rnn4j.layers;

/**
 * The constant matrices of {@link STFTSpectrogram} and {@link MelSpectrogram}, computed on the host
 * as Keras 3.15.1 computes them, in float32 where Keras does: windows, DFT kernels, the mel
 * filterbank. The engine has no FFT: a spectrogram here is a GEMM of frames with these matrices.
 */
final class AudioMath {
    private AudioMath() {
    }

    /**
     * scipy.signal.get_window(name, n, fftbins=periodic) for "hann" or "hamming", as Keras's STFT
     * initializer takes it (scipy's float64 general_cosine over {@code linspace(-π, π, m)}, the
     * periodic window being the first n of a symmetric one of n + 1), then float32.
     */
    static float[] scipyWindow(String name, int n, boolean periodic) {
        float[] w = new float[n];
        if (n == 1) {
            w[0] = 1f; // scipy's _len_guards: a window of one sample is [1]
            return w;
        }
        int m = periodic ? n + 1 : n;
        double a0 = name.equals("hann") ? 0.5 : 0.54;
        double step = 2 * Math.PI / (m - 1);
        for (int i = 0; i < n; i++) {
            double fac = i == m - 1 ? Math.PI : -Math.PI + i * step; // numpy's linspace: the end point exact
            w[i] = (float) (a0 + (1 - a0) * Math.cos(fac));
        }
        return w;
    }

    /**
     * Keras's initializers.STFT for a kernel {@code (frameLength, 1, bins)}: {@code cos} ("real") or
     * {@code sin} ("imag") of {@code -2·t·k/((bins − 1)·2)·π} in float32, times the window (null: none)
     * and divided by its scaling ("density": {@code sqrt(Σ w²)}, "spectrum": {@code Σ |w|}, null: 1).
     * Note Keras's frequency length {@code (bins − 1)·2}: an odd fft_length's kernels use the even
     * length below it.
     */
    static float[] stftKernel(boolean real, int frameLength, int bins, float[] window, String scaling) {
        float scale = 1f;
        if (window != null && scaling != null) {
            double s = 0;
            for (float v : window) {
                s += scaling.equals("density") ? (double) v * v : Math.abs(v);
            }
            scale = scaling.equals("density") ? (float) Math.sqrt((float) s) : (float) s;
        }
        float length = (bins - 1) * 2;
        float pi = (float) Math.PI;
        float[] k = new float[frameLength * bins];
        for (int t = 0; t < frameLength; t++) {
            for (int f = 0; f < bins; f++) {
                float arg = ((-2f * t) * (f / length)) * pi; // each product rounded to float32, as Keras's ops
                float v = (float) (real ? Math.cos(arg) : Math.sin(arg));
                if (window != null) {
                    v = v * window[t] / scale;
                }
                k[t * bins + f] = v;
            }
        }
        return k;
    }

    /**
     * tf.signal.hann_window / hamming_window(n, periodic=True) in float32, as Keras's
     * ops.stft on TensorFlow takes it: {@code a − b·cos(2π·i / m)}, m = n for an even n and n − 1
     * for an odd one (TensorFlow's periodic flag only changes even lengths).
     */
    static float[] tfWindow(String name, int n) {
        float[] w = new float[n];
        if (n == 1) {
            w[0] = 1f;
            return w;
        }
        float a = name.equals("hann") ? 0.5f : 0.54f;
        float b = name.equals("hann") ? 0.5f : 0.46f;
        float m = n % 2 == 0 ? n : n - 1;
        float twoPi = (float) (2 * Math.PI);
        for (int i = 0; i < n; i++) {
            float arg = twoPi * i / m;
            w[i] = a - b * (float) Math.cos(arg);
        }
        return w;
    }

    /**
     * The real DFT of frames of {@code fftLength} samples as one matrix {@code (taps, 2·bins)}:
     * column k is {@code w[t]·cos(2π·t·k/n)}, column bins + k is {@code −w[t]·sin(2π·t·k/n)}
     * (numpy's rfft sign), for the taps {@code first .. first + window.length − 1} of each frame
     * (the others are multiplied by a zero window), float64 rounded once to float32.
     *
     * @param window the window over those taps (all ones when Keras uses none)
     */
    static float[] dftMatrix(int fftLength, int first, float[] window, int bins) {
        int taps = window.length;
        float[] m = new float[taps * 2 * bins];
        for (int i = 0; i < taps; i++) {
            long t = first + i;
            for (int k = 0; k < bins; k++) {
                double angle = 2 * Math.PI * ((t * k) % fftLength) / fftLength; // reduced exactly first
                m[i * 2 * bins + k] = (float) (window[i] * Math.cos(angle));
                m[i * 2 * bins + bins + k] = (float) (-window[i] * Math.sin(angle));
            }
        }
        return m;
    }

    /**
     * Keras's MelSpectrogram.linear_to_mel_weight_matrix in float32 {@code (bins, mels)}: HTK mel
     * triangles {@code max(0, min(lower slope, upper slope))} over the bins' frequencies
     * {@code linspace(0, rate/2, bins)}, the edges {@code linspace(mel(lo), mel(hi), mels + 2)},
     * {@code mel(f) = 1127·ln(1 + f/700)}; the DC bin's row zero.
     */
    static float[] melMatrix(int mels, int bins, float samplingRate, float lowerHz, float upperHz) {
        float[] freq = linspace(0f, samplingRate / 2f, bins);
        float[] edges = linspace(mel(lowerHz), mel(upperHz), mels + 2);
        float[] m = new float[bins * mels];
        for (int b = 1; b < bins; b++) {
            float x = mel(freq[b]);
            for (int j = 0; j < mels; j++) {
                float lower = (x - edges[j]) / (edges[j + 1] - edges[j]);
                float upper = (edges[j + 2] - x) / (edges[j + 2] - edges[j + 1]);
                m[b * mels + j] = Math.max(0f, Math.min(lower, upper));
            }
        }
        return m;
    }

    private static float mel(float hz) {
        return 1127f * (float) Math.log(1f + hz / 700f);
    }

    /** tf.linspace in float32: {@code start + i·((stop − start)/(num − 1))}, both ends exact. */
    private static float[] linspace(float start, float stop, int num) {
        float[] v = new float[num];
        float delta = (stop - start) / Math.max(num - 1, 1);
        for (int i = 0; i < num; i++) {
            v[i] = start + i * delta;
        }
        v[0] = start;
        if (num > 1) {
            v[num - 1] = stop;
        }
        return v;
    }
}
