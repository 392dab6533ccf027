package io.rnn4j.layers.examples;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.assertWeightsAsKeras;
import static io.rnn4j.layers.keras.Keras3151.npy;
import static io.rnn4j.layers.keras.Keras3151.npyValues;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.BatchNormalization;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.Conv2D;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Dropout;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.ReLU;
import io.rnn4j.layers.Reshape;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.keras.KerasFileException;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.losses.Loss;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keras-io's examples/audio/ctc_asr.py ("Automatic Speech Recognition using CTC", the DeepSpeech2-like model of
 * 2021/09/26) at a small size: a spectrogram (None, 17) → Reshape((-1, 17, 1)) → Conv2D(4, [5, 7], strides [2, 2],
 * same, no bias) → BatchNormalization → ReLU → Conv2D(4, [5, 5], strides [1, 2]) → BN → ReLU → Reshape((-1, 5·4))
 * → 2 × Bidirectional(GRU(8, reset_after)) with Dropout(0.5) between → Dense(16) → ReLU → Dropout(0.5) → Dense(6,
 * softmax), compiled with Adam(1e-4) and the example's Python {@code CTCLoss}.
 *
 * <p>That loss is tf.keras's legacy {@code keras.backend.ctc_batch_cost} (the blank is the last class, every label
 * entry counts, {@code log(p + 1e-7)} into the v1 CTC loss), not {@code keras.losses.CTC}: in rnn4j it is
 * {@link Losses#ctcBatchCost()}. Keras's {@code load_model} cannot rebuild a Python function loss without
 * {@code custom_objects} and neither can rnn4j: the file loads with compile=false and is compiled in Java.
 *
 * <p>Keras's side is keras3151/make_ctc_asr.py (TensorFlow backend): 16 synthetic utterances of 3 letters from
 * "abcd" (two tones per letter), their {@code tf.signal.stft} spectrograms as the example computes them, Keras's
 * softmax (for 2-, 3- and 4-letter lengths of the None time axis), CTCLoss, the greedy decoding and its texts, and
 * one epoch with the dropouts at 0. Bar: {@code Keras3151.assertClose}, 1e-5 + 1e-5·|y|.
 */
class SpeechCtcAsrTest {
    /** StringLookup(vocabulary=list("abcd"), oov_token="").get_vocabulary(): id 0 is the OOV token "". */
    static final String[] VOCABULARY = {"", "a", "b", "c", "d"};
    static final int FRAME_LENGTH = 24;
    static final int FRAME_STEP = 16;
    static final int FFT_LENGTH = 32;
    static final int BINS = FFT_LENGTH / 2 + 1;
    static final int PER_LETTER = 96;
    /** The pause that ends each letter, in samples (so that a repeated letter is two). */
    static final int GAP = 24;
    /** Each letter's two tones, as DFT bins of 32 (make_ctc_asr.py's TONES). */
    static final int[][] TONES = {{2, 9}, {4, 12}, {6, 3}, {11, 14}};

    @TempDir
    Path tmp;

    /** The example's build_model at the given sizes, its layers named as Keras names them. */
    static Model buildModel(int filters, int units, double dropout) {
        Input input = Input.shape(Input.NONE, BINS).named("input");
        SymbolicTensor x = new Reshape(-1, BINS, 1).named("expand_dim").apply(input);
        x = new Conv2D(filters, 5, 7).strides(2, 2).padding("same").useBias(false).named("conv_1").apply(x);
        x = new BatchNormalization().named("conv_1_bn").apply(x);
        x = new ReLU().named("conv_1_relu").apply(x);
        x = new Conv2D(filters, 5, 5).strides(1, 2).padding("same").useBias(false).named("conv_2").apply(x);
        x = new BatchNormalization().named("conv_2_bn").apply(x);
        x = new ReLU().named("conv_2_relu").apply(x);
        x = new Reshape(-1, (BINS + 3) / 4 * filters).named("reshape").apply(x);
        for (int i = 1; i <= 2; i++) {
            GRU gru = new GRU(units).returnSequences(true).resetAfter(true).named("gru_" + i);
            x = new Bidirectional(gru).named("bidirectional_" + i).apply(x);
            if (i < 2) {
                x = new Dropout(dropout).named("dropout").apply(x);
            }
        }
        x = new Dense(units * 2).named("dense_1").apply(x);
        x = new ReLU().named("dense_1_relu").apply(x);
        x = new Dropout(dropout).named("dropout_1").apply(x);
        SymbolicTensor out = new Dense(VOCABULARY.length + 1, "softmax").named("dense").apply(x);
        return Model.of(List.of(input), List.of(out)).named("DeepSpeech_2");
    }

    /** The example's file for inference: its loss is a Python function, so it loads uncompiled (the default). */
    private static Model loadExample() throws IOException {
        return Models.load(resource("ctc_asr.keras")).functional();
    }

    /**
     * The example's encode_single_sample spectrogram: {@code tf.signal.stft} (periodic Hann window of 24, frames
     * every 16 samples, each zero-padded to a 32-point real DFT) → |·| → √ → each frame less its mean over the
     * bins, over their standard deviation + 1e-10. The DFT in double, rounded to float once.
     */
    static float[] spectrogram(float[] audio) {
        int frames = 1 + (audio.length - FRAME_LENGTH) / FRAME_STEP;
        float[] out = new float[frames * BINS];
        double[] mag = new double[BINS];
        for (int f = 0; f < frames; f++) {
            for (int k = 0; k < BINS; k++) {
                double re = 0;
                double im = 0;
                for (int n = 0; n < FRAME_LENGTH; n++) {
                    double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / FRAME_LENGTH);
                    double v = w * audio[f * FRAME_STEP + n];
                    re += v * Math.cos(2 * Math.PI * k * n / FFT_LENGTH);
                    im -= v * Math.sin(2 * Math.PI * k * n / FFT_LENGTH);
                }
                mag[k] = Math.sqrt(Math.hypot(re, im));
            }
            double mean = Arrays.stream(mag).average().orElseThrow();
            double var = Arrays.stream(mag).map(m -> (m - mean) * (m - mean)).average().orElseThrow();
            for (int k = 0; k < BINS; k++) {
                out[f * BINS + k] = (float) ((mag[k] - mean) / (Math.sqrt(var) + 1e-10));
            }
        }
        return out;
    }

    /** The example's decode_batch_predictions text: num_to_char of each id (-1, none, maps to ""), joined. */
    static String text(int[] ids) {
        StringBuilder s = new StringBuilder();
        for (int id : ids) {
            s.append(id >= 0 && id < VOCABULARY.length ? VOCABULARY[id] : "");
        }
        return s.toString();
    }

    @Test
    void theSpectrogramIsTheExamplesTfSignalStft() throws IOException {
        Tensor audio = npy("ctc_asr.audio.npy");
        int n = audio.shape().dim(0);
        float[] got = new float[0];
        for (int s = 0; s < n; s++) {
            float[] one = spectrogram(audio.narrow(s, 1).toArray());
            got = Arrays.copyOf(got, got.length + one.length);
            System.arraycopy(one, 0, got, got.length - one.length, one.length);
        }
        assertClose("encode_single_sample's spectrograms", got, npyValues("ctc_asr.spectrogram.npy"));
    }

    @Test
    void theExampleFileLoadsForInferenceAndPredictsKerassSoftmaxForEveryLength() throws IOException {
        // Keras's load_model refuses it too without custom_objects ("Could not locate function 'CTCLoss'")
        assertThatThrownBy(() -> Models.load(resource("ctc_asr.keras"), true)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("CTCLoss").hasMessageContaining("compile=false");
        Model model = loadExample();
        assertThat(((Dropout) model.layer("dropout")).rate()).isEqualTo(0.5f);
        assertThat(((GRU) ((Bidirectional) model.layer("bidirectional_1")).forwardLayer()).resetAfter()).isTrue();
        for (String set : List.of("spectrogram", "short", "long")) {
            Tensor x = npy("ctc_asr." + set + ".npy");
            String want = set.equals("spectrogram") ? "softmax" : set + "_softmax";
            assertClose("softmax of the " + x.shape() + " spectrograms", model.predict(x).toArray(),
                    npyValues("ctc_asr." + want + ".npy"));
        }
    }

    @Test
    void ctcBatchCostIsTheExamplesCtcLossAndKerasCtcIsNot() throws IOException {
        Variable labels = Variable.constant(npy("ctc_asr.labels.npy"));
        Variable softmax = Variable.constant(npy("ctc_asr.softmax.npy"));
        double[] want = npyValues("ctc_asr.loss.npy");
        assertClose("CTCLoss(labels, softmax) per sample", Losses.ctcBatchCost().perSample(labels, softmax).value()
                .toArray(), want);
        // keras.losses.CTC on the same tensors: blank 0 (here the OOV id), the softmax taken as logits
        float[] ctc = Losses.ctc().perSample(labels, softmax).value().toArray();
        assertThat(Math.abs(ctc[0] - want[0])).as("keras.losses.CTC differs from the example's loss").isGreaterThan(0.1);
        // evaluate: Keras's sum_over_batch_size of the (batch, 1) losses, their mean
        Model model = loadExample();
        model.compile(Optimizers.adam(1e-4), Losses.ctcBatchCost());
        double mean = Arrays.stream(want).average().orElseThrow();
        assertClose("evaluate's loss", new float[] {(float) model.evaluate(npy("ctc_asr.spectrogram.npy"),
                npy("ctc_asr.labels.npy")).loss()}, new double[] {mean});
    }

    @Test
    void greedyDecodingIsDecodeBatchPredictions() throws IOException {
        Tensor softmax = loadExample().predict(npy("ctc_asr.spectrogram.npy"));
        int samples = softmax.shape().dim(0);
        int steps = softmax.shape().dim(1);
        // keras.backend.ctc_decode(greedy=True): the last class is the blank, repeats merged, -1 after the end
        int[][] decoded = Examples.greedyDecode(softmax, -1);
        double[] want = npyValues("ctc_asr.decoded.npy");
        List<String> texts = Files.readAllLines(resource("ctc_asr.decoded.txt"));
        for (int s = 0; s < samples; s++) {
            for (int t = 0; t < steps; t++) {
                assertThat(decoded[s][t]).as("sample %d, step %d", s, t).isEqualTo((int) want[s * steps + t]);
            }
            assertThat(text(decoded[s])).as("sample %d's text", s).isEqualTo(texts.get(s));
        }
    }

    @Test
    void oneEpochWithoutDropoutEndsAtKerassWeightsAndLoss() throws IOException {
        Model keras = loadExample();
        Model model = buildModel(4, 8, 0.0);
        Examples.copyWeights(keras.weights(), model.weights());
        model.compile(Optimizers.adam(1e-4), Losses.ctcBatchCost());
        History h = model.fit(npy("ctc_asr.spectrogram.npy"), npy("ctc_asr.labels.npy"),
                Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        assertClose("the epoch's logged loss", new float[] {h.get("loss").get(0).floatValue()},
                npyValues("ctc_asr.fit_loss.npy"));
        assertWeightsAsKeras("ctc_asr", "after one epoch", model.weights());
    }

    @Test
    void savedByRnn4jItLoadsBackToTheSameNumbers() throws IOException {
        Model model = loadExample();
        Path file = tmp.resolve("ctc_asr_rnn4j.keras");
        Models.save(model, file);
        Model back = Models.load(file, false).functional();
        assertThat(back.summary()).isEqualTo(model.summary());
        Tensor x = npy("ctc_asr.long.npy");
        assertThat(back.predict(x).toArray()).as("softmax after rnn4j's save and load, bit for bit")
                .isEqualTo(model.predict(x).toArray());
    }

    @Test
    void ctcBatchCostRefusesTheBlankAsALabelAndLabelsLongerThanTheInput() {
        Loss loss = Losses.ctcBatchCost();
        float[] uniform = new float[4 * 6];
        Arrays.fill(uniform, 1f / 6);
        Variable p = Variable.constant(Tensor.of(uniform, 1, 4, 6));
        assertThatThrownBy(() -> loss.perSample(Variable.constant(Tensor.of(new float[] {1, 5}, 1, 2)), p))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ctc_batch_cost")
                .hasMessageContaining("class 5, the last, is the blank").hasMessageContaining("got 5.0");
        // 5 labels in 4 steps: TensorFlow raises "Not enough time for target transition sequence"; 1, 1, 1
        // (5 steps with its blanks) is its "No valid path found", an infinite loss (CtcBatchCostKerasTest)
        assertThatThrownBy(() -> loss.perSample(Variable.constant(Tensor.of(new float[] {1, 2, 3, 4, 1}, 1, 5)), p))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label_length 5 exceeds its "
                        + "input_length 4");
        assertThat(loss.perSample(Variable.constant(Tensor.of(new float[] {1, 1, 1}, 1, 3)), p).value().toArray())
                .containsExactly(Float.POSITIVE_INFINITY);
        assertThatThrownBy(() -> loss.perSample(Variable.constant(Tensor.of(new float[] {1, 2}, 2, 1)), p))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labels must be (batch, label_length)");
    }

    /**
     * {@code n} utterances of {@code letters} letters as make_ctc_asr.py draws them (with Java's generator): each
     * letter two tones of its own (amplitudes 1 and 0.5, random phases) for 72 samples then a pause of 24, plus
     * noise of deviation 0.05. Returns {@code [spectrograms (n, frames, 17), labels (n, letters)]}.
     */
    static Tensor[] utterances(long seed, int n, int letters) {
        SplittableRandom r = new SplittableRandom(seed);
        int samples = letters * PER_LETTER;
        int frames = 1 + (samples - FRAME_LENGTH) / FRAME_STEP;
        float[] x = new float[n * frames * BINS];
        float[] y = new float[n * letters];
        for (int s = 0; s < n; s++) {
            float[] audio = new float[samples];
            for (int k = 0; k < letters; k++) {
                int id = 1 + r.nextInt(TONES.length);
                y[s * letters + k] = id;
                double p1 = r.nextDouble() * 2 * Math.PI;
                double p2 = r.nextDouble() * 2 * Math.PI;
                for (int t = 0; t < PER_LETTER; t++) {
                    double noise = 0.05 * Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI
                            * r.nextDouble());
                    double tone = t >= PER_LETTER - GAP ? 0 : Math.sin(2 * Math.PI * TONES[id - 1][0] * t / FFT_LENGTH
                            + p1) + 0.5 * Math.sin(2 * Math.PI * TONES[id - 1][1] * t / FFT_LENGTH + p2);
                    audio[k * PER_LETTER + t] = (float) (tone + noise);
                }
            }
            System.arraycopy(spectrogram(audio), 0, x, s * frames * BINS, frames * BINS);
        }
        return new Tensor[] {Tensor.of(x, n, frames, BINS), Tensor.of(y, n, letters)};
    }

    @Test
    void theJavaBuiltModelLearnsToTranscribeTheSyntheticSpeech() {
        long seed = 2021;
        System.out.println("SpeechCtcAsrTest seed " + seed);
        Seeds.set(seed);
        // the example's architecture and dropouts at the sizes above; Adam at 1e-2 rather than 1e-4 so that 96
        // utterances and a few epochs show it
        Model model = buildModel(4, 16, 0.5);
        model.compile(Optimizers.adam(1e-2), Losses.ctcBatchCost());
        Tensor[] train = utterances(seed + 1, 96, 3);
        int epochs = 15;
        History h = model.fit(train[0], train[1], Fit.defaults().batchSize(16).epochs(epochs).seed(seed).verbose(0));
        System.out.println("SpeechCtcAsrTest loss per epoch " + h.get("loss"));
        int right = 0;
        int total = 0;
        // utterances of 2, 3 and 4 letters: the None time axis, as the example's padded batches of varying length
        for (int letters = 2; letters <= 4; letters++) {
            Tensor[] test = utterances(seed + 10 + letters, 16, letters);
            Tensor softmax = model.predict(test[0]);
            int[][] decoded = Examples.greedyDecode(softmax, -1);
            float[] want = test[1].toArray();
            for (int s = 0; s < 16; s++) {
                StringBuilder target = new StringBuilder();
                for (int k = 0; k < letters; k++) {
                    target.append(VOCABULARY[(int) want[s * letters + k]]);
                }
                right += text(decoded[s]).contentEquals(target) ? 1 : 0;
                total++;
            }
        }
        System.out.println("SpeechCtcAsrTest utterances transcribed exactly: " + right + " of " + total);
        // chance is 1 in 16 to 1 in 256 per utterance; this run reads 33 (most misses merge a repeated letter)
        assertThat(right).as("of %d test utterances (2, 3 and 4 letters) transcribed exactly after %d epochs, at "
                + "least 28 (loss %s)", total, epochs, h.get("loss")).isGreaterThanOrEqualTo(28);
    }
}
