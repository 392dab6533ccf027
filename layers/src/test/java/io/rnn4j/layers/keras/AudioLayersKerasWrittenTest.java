package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.assertPredictsAsKerasAndAfterSaving;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.STFTSpectrogram;
import io.rnn4j.layers.model.Fit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * STFTSpectrogram and MelSpectrogram models that Keras 3.15.1 wrote on TensorFlow
 * (keras3151/make_audio.py, manifest-audio.txt): rnn4j loads each, predicts Keras's outputs
 * within {@link Keras3151#assertClose}'s 1e-5 + 1e-5·|y|, builds the STFT kernels Keras built
 * (its initializers.STFT), trains the STFT → LSTM → Dense model for one epoch of SGD as Keras did,
 * and saves each model back to a .keras that it reloads with the same outputs. Also reports how far
 * the mel layer's one-GEMM DFT is from TensorFlow's FFT (its test states the bar).
 */
class AudioLayersKerasWrittenTest {

    static Stream<String> models() throws IOException {
        return Files.readAllLines(resource("manifest-audio.txt")).stream().filter(l -> !l.isBlank())
                .map(l -> l.trim().split(" ")[0]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void aKerasWrittenAudioModelPredictsAsKerasAndSavesBackTheSame(String name, @TempDir Path dir)
            throws IOException {
        assertPredictsAsKerasAndAfterSaving(name, dir);
    }

    /** The kernels as Keras's initializers.STFT made them (float32), for every window, scaling and fft_length. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void stftKernelsAreBuiltAsKerasBuildsThem(String name) throws IOException {
        if (!name.startsWith("stft")) {
            return;
        }
        STFTSpectrogram read = (STFTSpectrogram) Models.load(resource(name + ".keras")).layers().get(0);
        STFTSpectrogram fresh = copy(read);
        fresh.build(read.inputShape());
        List<Tensor> ours = fresh.getWeights();
        for (int i = 0; i < ours.size(); i++) {
            double[] want = Npy.read(resource(name + ".w" + i + ".npy")).values();
            float[] got = ours.get(i).toArray();
            assertThat(got).hasSize(want.length);
            for (int j = 0; j < got.length; j++) {
                assertThat(Math.abs(got[j] - want[j])).as("%s kernel %d value %d: rnn4j %s, Keras %s (bar 2e-7, "
                        + "about 2 float32 ulps of 1)", name, i, j, got[j], want[j]).isLessThanOrEqualTo(2e-7);
            }
        }
    }

    @Test
    void aTrainableStftModelTrainsAsKerasTrainsItForOneEpochOfSgd() throws IOException {
        KerasModel m = Models.load(resource("stft_trained.keras"), true);
        Tensor fx = Npy.read(resource("stft_trained.fit_x.npy")).tensor();
        Tensor fy = Npy.read(resource("stft_trained.fit_y.npy")).tensor();
        m.fit(fx, fy, Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        float[] y = m.predict(Npy.read(resource("stft_trained.x0.npy")).tensor()).toArray();
        assertClose("stft_trained after one epoch (kernels trained)", y,
                Npy.read(resource("stft_trained.y_after.npy")).values());
    }

    /**
     * The float64 DFT of mel_plain's frames (as MelSpectrogram frames them) against TensorFlow's
     * float32 FFT (Keras's ops.stft): within 2e-6 + 1e-5·|y| of each bin, the FFT's own float32
     * rounding being about 1e-7 of the frame's energy.
     */
    @Test
    void aFloat64DftOfTheFramesIsTensorFlowsFftToFloat32Rounding() throws IOException {
        double[] x = Npy.read(resource("mel_plain.x0.npy")).values();
        double[] tf = Npy.read(resource("mel_fft.stft.npy")).values();
        int batch = 2;
        int n = 300;
        int fft = 64;
        int bins = 33;
        int frames = 1 + n / 20;
        assertThat(tf).hasSize(2 * batch * frames * bins);
        double maxAbs = 0;
        double maxRel = 0;
        for (int b = 0; b < batch; b++) {
            for (int f = 0; f < frames; f++) {
                for (int k = 0; k < bins; k++) {
                    double re = 0;
                    double im = 0;
                    for (int t = 0; t < fft; t++) {
                        int p = f * 20 + t - fft / 2;
                        p = p < 0 ? -p : p >= n ? 2 * (n - 1) - p : p;
                        int i = t - 8; // the hamming window of 48 samples, centred in the 64 of the frame
                        double w = i < 0 || i >= 48 ? 0 : 0.54 - 0.46 * Math.cos(2 * Math.PI * i / 48);
                        re += x[b * n + p] * w * Math.cos(2 * Math.PI * t * k / fft);
                        im -= x[b * n + p] * w * Math.sin(2 * Math.PI * t * k / fft);
                    }
                    int at = (b * frames + f) * bins + k;
                    double[] ours = {re, im};
                    for (int part = 0; part < 2; part++) {
                        double want = tf[part * batch * frames * bins + at];
                        double d = Math.abs(ours[part] - want);
                        maxAbs = Math.max(maxAbs, d);
                        maxRel = Math.max(maxRel, d / Math.max(Math.abs(want), 1e-3));
                        assertThat(d).as("bin %d of frame %d, sample %d, %s part: DFT %s, TensorFlow %s", k, f, b,
                                part == 0 ? "real" : "imaginary", ours[part], want)
                                .isLessThanOrEqualTo(2e-6 + 1e-5 * Math.abs(want));
                    }
                }
            }
        }
        System.out.printf("AudioLayersKerasWrittenTest: float64 DFT vs TensorFlow's FFT: max abs %.3g, max rel %.3g"
                + " (|y| >= 1e-3)%n", maxAbs, maxRel);
    }

    private static STFTSpectrogram copy(STFTSpectrogram s) {
        STFTSpectrogram c = new STFTSpectrogram(s.frameLength()).mode(s.mode().kerasName()).window(s.window())
                .periodic(s.periodic()).scaling(s.scaling()).padding(s.padding()).expandDims(s.expandDims())
                .dataFormat(s.dataFormat());
        if (s.frameStep() != null) {
            c.frameStep(s.frameStep());
        }
        if (s.fftLength() != null) {
            c.fftLength(s.fftLength());
        }
        return c;
    }
}
