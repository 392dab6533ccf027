package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Sequential;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * STFTSpectrogram and MelSpectrogram against float64 references written here from the formulas of
 * Keras's stft_spectrogram.py, initializers.STFT, ops.stft (TensorFlow) and mel_spectrogram.py
 * (float32 results within 2e-5 + 2e-4·|y| of them: float32 sums of up to 64 products and the
 * float32 constants); their gradients against float64 finite differences ({@link GradCheck});
 * shapes with None steps; the mask dropped; bad input refused by name. Seed 29.
 */
class AudioLayersTest {
    private final Random r = new Random(29);

    // ---- float64 references ----

    /** scipy's hann/hamming (symmetric, or periodic: the first n of n + 1); all ones for null. */
    private static double[] window(String name, int n, boolean periodic) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            double m = periodic ? n : n - 1;
            w[i] = name == null ? 1 : n == 1 ? 1 : name.equals("hann") ? 0.5 - 0.5 * Math.cos(2 * Math.PI * i / m)
                    : 0.54 - 0.46 * Math.cos(2 * Math.PI * i / m);
        }
        return w;
    }

    /** STFTSpectrogram's output for x (batch, steps, channels) channels_last, or (batch, channels, steps). */
    private static double[] stftReference(STFTSpectrogram l, float[] x, int batch, int channels, int steps) {
        int n = l.frameLength();
        int step = l.frameStep() != null ? l.frameStep() : n / 2;
        int fft = l.fftLength() != null ? l.fftLength() : Integer.highestOneBit(n - 1) * 2;
        int bins = fft / 2 + 1;
        double[] w = window(l.window(), n, l.periodic());
        double scale = 1;
        if (l.window() != null && l.scaling() != null) {
            scale = 0;
            for (double v : w) {
                scale += l.scaling().equals("density") ? v * v : Math.abs(v);
            }
            scale = l.scaling().equals("density") ? Math.sqrt(scale) : scale;
        }
        int frames;
        int left;
        if (l.padding().equals("valid")) {
            frames = steps < n ? 0 : (steps - n) / step + 1;
            left = 0;
        } else {
            frames = (steps + step - 1) / step;
            left = Math.max((frames - 1) * step + n - steps, 0) / 2;
        }
        boolean first = l.dataFormat().equals("channels_first");
        String mode = l.mode().kerasName();
        int outBins = mode.equals("stft") ? 2 * bins : bins;
        double[] out = new double[batch * channels * frames * outBins];
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < channels; c++) {
                for (int j = 0; j < frames; j++) {
                    for (int k = 0; k < bins; k++) {
                        double re = 0;
                        double im = 0;
                        for (int t = 0; t < n; t++) {
                            int p = j * step + t - left;
                            if (p < 0 || p >= steps) {
                                continue;
                            }
                            double v = first ? x[(b * channels + c) * steps + p] : x[(b * steps + p) * channels + c];
                            double a = 2 * Math.PI * t * k / ((bins - 1) * 2); // Keras's kernels: (bins − 1)·2
                            re += v * Math.cos(a) * w[t] / scale;
                            im -= v * Math.sin(a) * w[t] / scale;
                        }
                        double power = re * re + im * im;
                        double psd = k == 0 || k == bins - 1 ? power : 2 * power;
                        double mag = Math.sqrt(Math.max(power, 1e-7));
                        double[] vals = switch (mode) {
                            case "real" -> new double[] {re};
                            case "imag" -> new double[] {im};
                            case "psd" -> new double[] {psd};
                            case "magnitude" -> new double[] {mag};
                            case "log" -> new double[] {Math.log(Math.max(mag, 1e-7))};
                            default -> new double[] {re, im};
                        };
                        for (int v = 0; v < vals.length; v++) {
                            int f = k + v * bins;
                            int at = first ? (l.expandDims() ? ((b * channels + c) * frames + j) * outBins + f
                                    : ((b * channels + c) * outBins + f) * frames + j)
                                    : (l.expandDims() ? ((b * frames + j) * outBins + f) * channels + c
                                    : (b * frames + j) * channels * outBins + c * outBins + f);
                            out[at] = vals[v];
                        }
                    }
                }
            }
        }
        return out;
    }

    /** MelSpectrogram's output (batch, mels, frames) for x (batch, samples). */
    private static double[] melReference(MelSpectrogram l, float[] x, int batch, int samples) {
        int fft = l.fftLength();
        int seq = l.sequenceLength();
        int bins = fft / 2 + 1;
        int pad = fft / 2;
        int frames = 1 + (samples + 2 * pad - fft) / l.sequenceStride();
        double[] w = new double[fft]; // TensorFlow's periodic window, centred with zeros; none: ones
        int lp = (fft - seq) / 2;
        for (int t = 0; t < fft; t++) {
            int i = t - lp;
            int m = seq % 2 == 0 ? seq : seq - 1;
            w[t] = l.window() == null ? 1 : i < 0 || i >= seq ? 0 : seq == 1 ? 1 : l.window().equals("hann")
                    ? 0.5 - 0.5 * Math.cos(2 * Math.PI * i / m) : 0.54 - 0.46 * Math.cos(2 * Math.PI * i / m);
        }
        int mels = l.numMelBins();
        double lo = 1127 * Math.log(1 + l.minFreq() / 700);
        double hi = 1127 * Math.log(1 + l.maxFreq() / 700);
        double[] out = new double[batch * mels * frames];
        double top = Double.NEGATIVE_INFINITY;
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < frames; j++) {
                double[] spec = new double[bins];
                for (int k = 0; k < bins; k++) {
                    double re = 0;
                    double im = 0;
                    for (int t = 0; t < fft; t++) {
                        int p = j * l.sequenceStride() + t - pad;
                        p = p < 0 ? -p : p >= samples ? 2 * (samples - 1) - p : p;
                        re += x[b * samples + p] * w[t] * Math.cos(2 * Math.PI * t * k / fft);
                        im -= x[b * samples + p] * w[t] * Math.sin(2 * Math.PI * t * k / fft);
                    }
                    spec[k] = Math.pow(Math.sqrt(re * re + im * im), l.magExp());
                }
                for (int m = 0; m < mels; m++) {
                    double lower = lo + (hi - lo) * m / (mels + 1);
                    double center = lo + (hi - lo) * (m + 1) / (mels + 1);
                    double upper = lo + (hi - lo) * (m + 2) / (mels + 1);
                    double s = 0;
                    for (int k = 1; k < bins; k++) { // HTK: no DC bin
                        double mel = 1127 * Math.log(1 + (l.samplingRate() / 2 * k / (bins - 1)) / 700);
                        s += spec[k] * Math.max(0, Math.min((mel - lower) / (center - lower),
                                (upper - mel) / (upper - center)));
                    }
                    if (l.powerToDb()) {
                        s = 10 * Math.log10(Math.max(s, l.minPower()))
                                - 10 * Math.log10(Math.max(Math.abs(l.refPower()), l.minPower()));
                        top = Math.max(top, s);
                    }
                    out[(b * mels + m) * frames + j] = s;
                }
            }
        }
        if (l.powerToDb()) {
            for (int i = 0; i < out.length; i++) {
                out[i] = Math.max(out[i], top - l.topDb()); // the batch's maximum, as Keras's
            }
        }
        return out;
    }

    private static void assertNear(String what, float[] got, double[] want) {
        assertThat(got).as("%s: output size", what).hasSize(want.length);
        for (int i = 0; i < got.length; i++) {
            assertThat(Math.abs(got[i] - want[i])).as("%s output %d: rnn4j %s, float64 reference %s (bar 2e-5 + "
                    + "2e-4·|y|)", what, i, got[i], want[i]).isLessThanOrEqualTo(2e-5 + 2e-4 * Math.abs(want[i]));
        }
    }

    private float[] predict(Layer l, Shape sample, Tensor x) {
        l.build(sample);
        return l.call(Variable.constant(x), null, CallContext.inference()).value().toArray();
    }

    // ---- STFTSpectrogram ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"log", "magnitude", "psd", "real", "imag", "stft"})
    void stftEveryModeIsTheFloat64Stft(String mode) {
        Tensor x = uniform(r, -1, 1, 2, 37, 3);
        STFTSpectrogram l = new STFTSpectrogram(10).mode(mode).frameStep(3);
        assertNear(mode, predict(l, Shape.of(37, 3), x), stftReference(l, x.toArray(), 2, 3, 37));
        assertThat(l.outputShape()).isEqualTo(Shape.of(10, 3 * (mode.equals("stft") ? 18 : 9)));
    }

    @Test
    void stftWindowsScalingsPaddingsLayoutsAndOddFftLengthsAreTheFloat64Stft() {
        Tensor x = uniform(r, -1, 1, 2, 3, 29);
        STFTSpectrogram[] layers = {
            new STFTSpectrogram(8).window("hamming").periodic(true).scaling("spectrum").padding("same"),
            new STFTSpectrogram(7).window(null).scaling(null).fftLength(11).frameStep(2),
            new STFTSpectrogram(9).mode("stft").scaling(null).padding("same").expandDims(true),
            new STFTSpectrogram(6).mode("psd").dataFormat("channels_first").frameStep(5),
            new STFTSpectrogram(6).mode("magnitude").dataFormat("channels_first").expandDims(true).fftLength(7),
            new STFTSpectrogram(1).frameStep(1).fftLength(2)};
        for (STFTSpectrogram l : layers) {
            boolean first = l.dataFormat().equals("channels_first");
            Tensor in = first ? x : x.reshape(2, 29, 3);
            assertNear(l.name(), predict(l, first ? Shape.of(3, 29) : Shape.of(29, 3), in),
                    stftReference(l, in.toArray(), 2, 3, 29));
        }
    }

    @Test
    void stftKernelsAreWeightsWithKerasNamesShapesAndCounts() {
        STFTSpectrogram l = new STFTSpectrogram(16).frameStep(8).fftLength(32);
        l.build(Shape.of(60, 1));
        assertThat(l.weights()).extracting(Weight::name).containsExactly("real_kernel", "imag_kernel");
        assertThat(l.weights()).extracting(Weight::shape).containsOnly(Shape.of(16, 1, 17));
        assertThat(l.countParams()).isEqualTo(2 * 16 * 17);
        STFTSpectrogram real = new STFTSpectrogram(16).mode("real");
        real.build(Shape.of(60, 1));
        assertThat(real.weights()).extracting(Weight::name).as("mode real builds the real kernel only")
                .containsExactly("real_kernel");
        Sequential frozen = Sequential.of(Input.shape(Input.NONE, 2), new STFTSpectrogram(16).trainable(false),
                new LSTM(3));
        // frame_length 16: fft_length 16 by default, 9 bins a channel
        assertThat(frozen.countParams()).isEqualTo(2 * 16 * 9 + 4 * 3 * (2 * 9 + 3 + 1));
        assertThat(frozen.countTrainableParams()).as("trainable=False: the kernels are frozen")
                .isEqualTo(4 * 3 * (2 * 9 + 3 + 1));
        assertThat(frozen.summary()).contains("STFTSpectrogram").contains("(None, None, 18)").contains("288");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"log", "magnitude", "psd", "stft"})
    void stftGradientsToTheSignalAndTheKernelsAreFiniteDifferences(String mode) {
        STFTSpectrogram l = new STFTSpectrogram(6).mode(mode).frameStep(2).fftLength(8);
        l.build(Shape.of(11, 2));
        Variable in = Variable.parameter(uniform(r, -1, 1, 2, 11, 2));
        GradCheck.checkLayer("STFTSpectrogram " + mode, l, in, () -> l.call(in, null, CallContext.training(null)));
    }

    @Test
    void stftChannelsFirstExpandedGradientsAreFiniteDifferences() {
        STFTSpectrogram l = new STFTSpectrogram(5).mode("magnitude").padding("same").dataFormat("channels_first")
                .expandDims(true);
        l.build(Shape.of(2, 9));
        Variable in = Variable.parameter(uniform(r, -1, 1, 2, 2, 9));
        GradCheck.checkLayer("STFTSpectrogram channels_first", l, in,
                () -> l.call(in, null, CallContext.training(null)));
    }

    @Test
    void stftTakesNoneStepsAndDropsTheMask() {
        Sequential m = Sequential.of(Input.shape(Input.NONE, 1), new STFTSpectrogram(8).padding("same"));
        assertThat(m.outputShape()).isEqualTo(Shape.withUnknown(Shape.UNKNOWN, 5));
        for (int steps : new int[] {8, 21}) {
            Tensor x = uniform(r, -1, 1, 1, steps, 1);
            assertThat(m.predict(x).shape()).isEqualTo(Shape.of(1, (steps + 3) / 4, 5));
        }
        Sequential valid = Sequential.of(Input.shape(Input.NONE, 2), new STFTSpectrogram(8).mode("real"));
        // 'valid' frames of 8 do not fit 5 steps: refused as Conv1D refuses it (Keras's STFTSpectrogram on
        // TensorFlow 2.21's CPU returns uninitialised values of shape (2, 5, 1) there)
        assertThatThrownBy(() -> valid.predict(uniform(r, -1, 1, 2, 5, 2))).hasMessageContaining("stft_spectrogram")
                .hasMessageContaining("5 steps").hasMessageContaining("'valid'");
        STFTSpectrogram l = (STFTSpectrogram) m.layers().get(0);
        Tensor x = uniform(r, -1, 1, 1, 8, 1);
        assertThat(l.computeMask(Variable.constant(x), Tensor.of(new float[8], 1, 8)))
                .as("as Keras 3's, which does not support masking").isNull();
    }

    @Test
    void stftRefusesBadOptionsAndInputsByName() {
        assertThatThrownBy(() -> new STFTSpectrogram(8).mode("angle")).hasMessageContaining("stft_spectrogram")
                .hasMessageContaining("'angle'").hasMessageContaining("atan2");
        assertThatThrownBy(() -> new STFTSpectrogram(8).frameStep(9)).hasMessageContaining("frame_step")
                .hasMessageContaining("got 9");
        assertThatThrownBy(() -> new STFTSpectrogram(8).fftLength(7)).hasMessageContaining("fft_length")
                .hasMessageContaining("got 7");
        assertThatThrownBy(() -> new STFTSpectrogram(8).window("blackman")).hasMessageContaining("'blackman'");
        assertThatThrownBy(() -> new STFTSpectrogram(8).scaling("l2")).hasMessageContaining("scaling");
        assertThatThrownBy(() -> new STFTSpectrogram(8).padding("causal")).hasMessageContaining("'causal'");
        assertThatThrownBy(() -> new STFTSpectrogram(8).padding("SAME")).hasMessageContaining("'SAME'");
        assertThatThrownBy(() -> new STFTSpectrogram(8).dataFormat("nhwc")).hasMessageContaining("data_format");
        assertThatThrownBy(() -> new STFTSpectrogram(1).build(Shape.of(10, 1))).hasMessageContaining("frame_step");
        assertThatThrownBy(() -> new STFTSpectrogram(8).build(Shape.of(10))).hasMessageContaining("stft_spectrogram")
                .hasMessageContaining("(batch, steps, channels)").hasMessageContaining("(None, 10)");
    }

    // ---- MelSpectrogram ----

    @Test
    void melIsTheFloat64MelSpectrogramForEachOption() {
        MelSpectrogram[] layers = {
            new MelSpectrogram().fftLength(32).sequenceStride(8).samplingRate(8000).numMelBins(6),
            new MelSpectrogram().fftLength(32).sequenceStride(7).sequenceLength(21).window("hamming")
                    .samplingRate(16000).numMelBins(5).minFreq(300).maxFreq(5000.0).powerToDb(false).magExp(1),
            new MelSpectrogram().fftLength(31).sequenceStride(9).window(null).samplingRate(11025).numMelBins(4)
                    .topDb(20).refPower(-0.5).minPower(1e-4).magExp(1.5)};
        Tensor x = uniform(r, -1, 1, 3, 70);
        float[] v = x.toArray();
        for (int i = 0; i < 70; i++) {
            v[i] *= 1e-3f; // a quiet signal in the batch, clipped by top_db from the batch's maximum
        }
        x = Tensor.of(v, 3, 70);
        for (MelSpectrogram l : layers) {
            float[] got = predict(l, Shape.of(70), x);
            assertNear(l.name(), got, melReference(l, v, 3, 70));
            int frames = 1 + (70 + 2 * (l.fftLength() / 2) - l.fftLength()) / l.sequenceStride();
            assertThat(l.outputShape()).isEqualTo(Shape.of(l.numMelBins(), frames));
        }
    }

    @ParameterizedTest(name = "power_to_db {0}")
    @ValueSource(booleans = {false, true})
    void melGradientsToTheSignalAreFiniteDifferences(boolean db) {
        MelSpectrogram l = new MelSpectrogram().fftLength(8).sequenceStride(3).sequenceLength(6).samplingRate(8000)
                .numMelBins(3).minFreq(0).powerToDb(db);
        l.build(Shape.of(13));
        Variable in = Variable.parameter(uniform(r, 0.2f, 1, 2, 13));
        GradCheck.checkLayer("MelSpectrogram power_to_db " + db, l, in,
                () -> l.call(in, null, CallContext.training(null)));
    }

    @Test
    void melTakesNoneSamplesAndRefusesTooShortSignals() {
        Sequential m = Sequential.of(Input.shape(Input.NONE), new MelSpectrogram().fftLength(16).sequenceStride(4)
                .numMelBins(5).samplingRate(4000));
        assertThat(m.outputShape()).isEqualTo(Shape.withUnknown(5, Shape.UNKNOWN));
        assertThat(m.predict(uniform(r, -1, 1, 2, 9)).shape()).isEqualTo(Shape.of(2, 5, 3));
        assertThat(m.predict(uniform(r, -1, 1, 1, 40)).shape()).isEqualTo(Shape.of(1, 5, 11));
        assertThatThrownBy(() -> m.predict(uniform(r, -1, 1, 1, 8))).hasMessageContaining("mel_spectrogram")
                .hasMessageContaining("8 samples").hasMessageContaining("fft_length=16");
    }

    /**
     * The frames TensorFlow's stft returned for these sizes under Keras 3.15.1 (its
     * compute_output_shape said 14, 22, 22, 26 and 11: one or two more, see outputShapeFor).
     */
    @Test
    void melFramesAreTheFramesTensorFlowComputesNotKerasComputeOutputShape() {
        int[][] fftStrideSamplesFrames = {{33, 7, 90, 13}, {8, 1, 20, 21}, {7, 1, 20, 20}, {64, 16, 399, 25},
            {63, 25, 250, 10}};
        for (int[] c : fftStrideSamplesFrames) {
            MelSpectrogram l = new MelSpectrogram().fftLength(c[0]).sequenceStride(c[1]).numMelBins(3)
                    .samplingRate(4000);
            Sequential m = Sequential.of(Input.shape(c[2]), l);
            assertThat(m.outputShape()).as("fft_length %d, sequence_stride %d, %d samples", c[0], c[1], c[2])
                    .isEqualTo(Shape.of(3, c[3]));
            assertThat(m.predict(uniform(r, -1, 1, 1, c[2])).shape()).isEqualTo(Shape.of(1, 3, c[3]));
        }
    }

    @Test
    void melRefusesBadOptionsAndInputsByName() {
        assertThatThrownBy(() -> new MelSpectrogram().fftLength(16).sequenceLength(17).build(Shape.of(40)))
                .hasMessageContaining("mel_spectrogram").hasMessageContaining("sequence_length=17");
        assertThatThrownBy(() -> new MelSpectrogram().window("kaiser")).hasMessageContaining("'kaiser'");
        assertThatThrownBy(() -> new MelSpectrogram().samplingRate(0)).hasMessageContaining("sampling_rate");
        assertThatThrownBy(() -> new MelSpectrogram().numMelBins(0)).hasMessageContaining("num_mel_bins");
        assertThatThrownBy(() -> new MelSpectrogram().build(Shape.of(40, 1))).hasMessageContaining("mel_spectrogram")
                .hasMessageContaining("(batch, samples)").hasMessageContaining("(None, 40, 1)");
    }
}
