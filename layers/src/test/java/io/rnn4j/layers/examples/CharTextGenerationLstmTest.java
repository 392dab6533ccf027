package io.rnn4j.layers.examples;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.keras.Npy;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * keras-io's examples/generative/lstm_character_level_text_generation.py ("Character-level text generation
 * with LSTM", last modified 2020/04/30) at a tiny size: the sorted characters and their index tables, the
 * semi-redundant sentences of {@code maxlen} characters every {@code step}, the one-hot x/y, LSTM → Dense(chars,
 * softmax) with RMSprop(0.01) and categorical_crossentropy, and {@link #sample} (log, divide by the
 * temperature, exp, normalise, one multinomial draw).
 *
 * <p>Keras's side is keras3151/make_char_textgen.py (TensorFlow backend; a 159-character corpus instead of
 * Nietzsche, maxlen 8, step 3, LSTM(16), batch 32, one epoch without shuffling): rnn4j's x/y are the
 * example's, the file predicts Keras's next-character probabilities, one epoch ends at Keras's weights and
 * loss (bar {@code Keras3151.assertClose}, 1e-5 + 1e-5·|y|), and sample's re-weighted distribution is
 * numpy's to 1e-12 (the draw itself comes from numpy's global RNG, which Java does not reproduce: the test
 * checks that Java's draws follow that distribution). A Java-built copy learns a tiny repetitive corpus:
 * after 15 epochs it predicts at least 95 % of the next characters and, generating 120 characters at
 * diversity 0.2 from a seed, writes at least 95 % of them as the corpus goes on.
 */
class CharTextGenerationLstmTest {
    private static final int MAXLEN = 8;
    private static final int STEP = 3;
    private static final double[] DIVERSITIES = {0.2, 0.5, 1.0, 1.2};

    /** The example's tables: the sorted distinct characters, char_indices and indices_char. */
    record Chars(List<Character> chars, Map<Character, Integer> indices) {
        static Chars of(String text) {
            TreeSet<Character> sorted = new TreeSet<>();
            text.chars().forEach(c -> sorted.add((char) c));
            List<Character> chars = List.copyOf(sorted);
            Map<Character, Integer> indices = new HashMap<>();
            for (int i = 0; i < chars.size(); i++) {
                indices.put(chars.get(i), i);
            }
            return new Chars(chars, indices);
        }

        int size() {
            return chars.size();
        }

        int index(char c) {
            Integer i = indices.get(c);
            if (i == null) {
                throw new IllegalArgumentException("'" + c + "' is not one of the corpus's characters " + chars);
            }
            return i;
        }
    }

    /** The sentences text[i : i + maxlen] for i in range(0, len(text) − maxlen, step), and their next characters. */
    static List<String> sentences(String text, int maxlen, int step) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < text.length() - maxlen; i += step) {
            out.add(text.substring(i, i + maxlen + 1)); // the sentence and its next character
        }
        return out;
    }

    /** The example's one-hot x (sentences, maxlen, chars) and y (sentences, chars). */
    static Tensor[] vectorize(List<String> sentences, Chars chars, int maxlen) {
        int n = sentences.size();
        float[] x = new float[n * maxlen * chars.size()];
        float[] y = new float[n * chars.size()];
        for (int i = 0; i < n; i++) {
            String s = sentences.get(i);
            for (int t = 0; t < maxlen; t++) {
                x[(i * maxlen + t) * chars.size() + chars.index(s.charAt(t))] = 1f;
            }
            y[i * chars.size() + chars.index(s.charAt(maxlen))] = 1f;
        }
        return new Tensor[] {Tensor.of(x, n, maxlen, chars.size()), Tensor.of(y, n, chars.size())};
    }

    /** sample's distribution before the draw: exp(log(preds) / temperature), normalised, in float64. */
    static double[] reweight(float[] preds, double temperature) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        double[] p = new double[preds.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(Math.log(preds[i]) / temperature);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** The example's sample: one multinomial draw from {@link #reweight}'s distribution, with {@code random}. */
    static int sample(float[] preds, double temperature, SplittableRandom random) {
        double[] p = reweight(preds, temperature);
        double u = random.nextDouble();
        double cumulative = 0;
        for (int i = 0; i < p.length; i++) {
            cumulative += p[i];
            if (u < cumulative) {
                return i;
            }
        }
        return p.length - 1; // u above a sum rounded below 1
    }

    private static String corpus() throws IOException {
        return Files.readString(resource("textgen.corpus.txt"), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
    }

    private static List<Weight> weights(KerasModel m) {
        List<Weight> out = new ArrayList<>();
        for (Layer l : m.layers()) {
            out.addAll(l.weights());
        }
        return out;
    }

    @Test
    void tablesSentencesAndOneHotAreTheExamples() throws IOException {
        String text = corpus();
        Chars chars = Chars.of(text);
        assertThat(chars.size()).isEqualTo(24);
        assertThat(chars.chars().get(0)).as("sorted: the newline first").isEqualTo('\n');
        List<String> sentences = sentences(text, MAXLEN, STEP);
        assertThat(sentences).hasSize((text.length() - MAXLEN + STEP - 1) / STEP);
        Tensor[] xy = vectorize(sentences, chars, MAXLEN);
        Tensor x = Npy.read(resource("textgen.x.npy")).tensor();
        Tensor y = Npy.read(resource("textgen.y.npy")).tensor();
        assertThat(xy[0].shape()).isEqualTo(x.shape());
        assertThat(xy[0].toArray()).as("x").isEqualTo(x.toArray());
        assertThat(xy[1].shape()).isEqualTo(y.shape());
        assertThat(xy[1].toArray()).as("y").isEqualTo(y.toArray());
        assertThatThrownBy(() -> vectorize(List.of("unknown!!"), chars, MAXLEN))
                .hasMessageContaining("'u' is not one of the corpus's characters");
    }

    @Test
    void kerasFileLoadsPredictsAndTrainsOneEpochAsKeras() throws IOException {
        Tensor x = Npy.read(resource("textgen.x.npy")).tensor();
        Tensor y = Npy.read(resource("textgen.y.npy")).tensor();
        KerasModel keras = Models.load(resource("textgen.keras"), true);
        assertThat(keras.kerasVersion()).contains("3.15.1");
        assertThat(keras.countParams()).isEqualTo(4 * 16 * (24 + 16 + 1) + 16 * 24 + 24);
        assertClose("the next-character probabilities", keras.predict(x).toArray(),
                Npy.read(resource("textgen.pred.npy")).values());
        History h = keras.fit(x, y, Fit.defaults().batchSize(32).epochs(1).shuffle(false).verbose(0));
        assertClose("the epoch's loss", new float[] {h.get("loss").get(0).floatValue()},
                Npy.read(resource("textgen.fit_loss.npy")).values());
        List<Weight> weights = weights(keras);
        assertThat(weights).hasSize(5);
        for (int i = 0; i < weights.size(); i++) {
            assertClose("weight " + i + " (" + weights.get(i).path() + ") after one epoch of RMSprop",
                    weights.get(i).value().toArray(), Npy.read(resource("textgen.after" + i + ".npy")).values());
        }
    }

    @Test
    void sampleReweightsAsNumpyAndDrawsFromThatDistribution() throws IOException {
        float[] preds = Npy.read(resource("textgen.pred.npy")).tensor().toArray();
        double[] want = Npy.read(resource("textgen.sample.npy")).values();
        int classes = 24;
        for (int d = 0; d < DIVERSITIES.length; d++) {
            for (int r = 0; r < 3; r++) {
                float[] row = Arrays.copyOfRange(preds, r * classes, (r + 1) * classes);
                double[] p = reweight(row, DIVERSITIES[d]);
                for (int k = 0; k < classes; k++) {
                    double expected = want[(d * 3 + r) * classes + k];
                    assertThat(Math.abs(p[k] - expected)).as("diversity %s, row %d, class %d: %s against numpy's %s",
                            DIVERSITIES[d], r, k, p[k], expected).isLessThanOrEqualTo(1e-12 + 1e-12 * expected);
                }
            }
        }
        // the draws: each class's frequency within 5 standard deviations of its probability
        long seed = 1507;
        System.out.println("CharTextGenerationLstmTest sample seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        float[] row = Arrays.copyOf(preds, classes);
        int draws = 20_000;
        for (double diversity : DIVERSITIES) {
            double[] p = reweight(row, diversity);
            int[] counts = new int[classes];
            for (int i = 0; i < draws; i++) {
                counts[sample(row, diversity, random)]++;
            }
            for (int k = 0; k < classes; k++) {
                double sd = Math.sqrt(draws * p[k] * (1 - p[k]));
                assertThat(Math.abs(counts[k] - draws * p[k])).as("diversity %s, class %d: %d draws, expected %.1f",
                        diversity, k, counts[k], draws * p[k]).isLessThanOrEqualTo(5 * sd + 1);
            }
        }
        assertThatThrownBy(() -> reweight(row, 0)).hasMessageContaining("temperature must be > 0, got 0");
    }

    @Test
    void aJavaBuiltCopyLearnsARepetitiveCorpus() {
        long seed = 1506;
        System.out.println("CharTextGenerationLstmTest seed " + seed);
        String text = "the cat sat on the mat. ".repeat(12);
        Chars chars = Chars.of(text);
        List<String> sentences = sentences(text, MAXLEN, 1);
        Tensor[] xy = vectorize(sentences, chars, MAXLEN);
        Seeds.set(seed);
        Sequential model = Sequential.of(Input.shape(MAXLEN, chars.size()), new LSTM(32),
                new Dense(chars.size(), "softmax"));
        model.compile(Optimizers.rmsprop(0.01), Losses.categoricalCrossentropy());
        History h = model.fit(xy[0], xy[1], Fit.defaults().batchSize(32).epochs(15).seed(seed).verbose(0));
        float[] p = model.predict(xy[0]).toArray();
        int right = 0;
        for (int i = 0; i < sentences.size(); i++) {
            int best = 0;
            for (int k = 1; k < chars.size(); k++) {
                best = p[i * chars.size() + k] > p[i * chars.size() + best] ? k : best;
            }
            right += chars.chars().get(best) == sentences.get(i).charAt(MAXLEN) ? 1 : 0;
        }
        double accuracy = right / (double) sentences.size();
        // generate as the example's loop does: predict, sample at diversity 0.2, slide the sentence on
        SplittableRandom random = new SplittableRandom(seed);
        String sentence = text.substring(0, MAXLEN);
        StringBuilder generated = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            // x_pred: the sentence one-hot (vectorize wants a next character too; its y is dropped)
            float[] preds = model.predict(vectorize(List.of(sentence + " "), chars, MAXLEN)[0]).toArray();
            char next = chars.chars().get(sample(preds, 0.2, random));
            generated.append(next);
            sentence = sentence.substring(1) + next;
        }
        int agree = 0;
        for (int i = 0; i < generated.length(); i++) {
            agree += generated.charAt(i) == text.charAt(MAXLEN + i) ? 1 : 0;
        }
        double agreement = agree / (double) generated.length();
        System.out.printf("CharTextGenerationLstmTest: loss %s, next-character accuracy %.3f, generated \"%s\" "
                + "(%.3f as the corpus)%n", h.get("loss"), accuracy, generated, agreement);
        assertThat(accuracy).as("next-character accuracy on the corpus").isGreaterThanOrEqualTo(0.95);
        assertThat(agreement).as("generated characters as the corpus goes on").isGreaterThanOrEqualTo(0.95);
    }
}
