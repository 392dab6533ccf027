package io.rnn4j.layers.examples;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.assertWeightsAsKeras;
import static io.rnn4j.layers.keras.Keras3151.npy;
import static io.rnn4j.layers.keras.Keras3151.npyValues;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.RepeatVector;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.keras.Keras3151;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * keras-io's examples/nlp/addition_rnn.py ("Sequence to sequence learning for performing number
 * addition", last modified 2020/04/17) at a small size: DIGITS = 2, reversed queries, the example's
 * {@link CharacterTable} one-hot encoding, LSTM encoder → RepeatVector(DIGITS + 1) → LSTM decoder
 * (return_sequences) → Dense(12, softmax), categorical_crossentropy and Adam.
 *
 * <p>Keras's side is keras3151/make_addition_rnn.py (TensorFlow backend, LSTM(16), 64 questions): the
 * file loads and predicts Keras's softmax, and one epoch of Adam (batch 32, no shuffling) ends at
 * Keras's weights, loss and accuracy. A Java-built copy (LSTM(32), Adam(0.01), 20 epochs) learns 2-digit
 * addition from 2,000 of the example's questions: on 500 questions it never saw, at least 75 % of the
 * answer characters and 40 % of the whole answers right. Bar for Keras's numbers:
 * {@code Keras3151.assertClose}, 1e-5 + 1e-5·|y|.
 */
class AdditionRnnTest {
    private static final int DIGITS = 2;
    private static final int MAXLEN = DIGITS + 1 + DIGITS;
    private static final String CHARS = "0123456789+ ";
    private static final long SEED = 1508;
    /*
     * The Java-built copy, sized to train in about 25 s here: the example's 99 % (two digits) takes LSTM(128), 5,000
     * questions and 55 epochs. Measured with these settings: validation character accuracy 0.786, whole answers 0.470
     * after 20 epochs (loss 2.03 -> 0.52); the bars leave room for another machine's float rounding.
     */
    private static final int TRAIN = 2000;
    private static final int HIDDEN = 32;
    private static final int EPOCHS = 20;
    private static final double LR = 0.01;
    private static final double CHAR_BAR = 0.75;
    private static final double ANSWER_BAR = 0.4;

    /** The example's CharacterTable: one-hot rows over the sorted characters, and back. */
    static final class CharacterTable {
        private final List<Character> chars;
        private final Map<Character, Integer> indices = new HashMap<>();

        CharacterTable(String characters) {
            TreeSet<Character> sorted = new TreeSet<>();
            characters.chars().forEach(c -> sorted.add((char) c));
            chars = List.copyOf(sorted);
            for (int i = 0; i < chars.size(); i++) {
                indices.put(chars.get(i), i);
            }
        }

        int size() {
            return chars.size();
        }

        /** {@code text} one-hot in {@code numRows} rows (rows past the text all zero), written at {@code row}. */
        void encode(String text, int numRows, float[] into, int row) {
            if (text.length() > numRows) {
                throw new IllegalArgumentException("'" + text + "' is longer than " + numRows + " rows");
            }
            for (int i = 0; i < text.length(); i++) {
                Integer k = indices.get(text.charAt(i));
                if (k == null) {
                    throw new IllegalArgumentException("'" + text.charAt(i) + "' is not one of " + chars);
                }
                into[((row * numRows) + i) * size() + k] = 1f;
            }
        }

        /** The characters of the largest entry of each row (decode with calc_argmax=True) of sample {@code s}. */
        String decode(float[] probabilities, int s, int rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < rows; i++) {
                int best = 0;
                int at = (s * rows + i) * size();
                for (int k = 1; k < size(); k++) {
                    if (probabilities[at + k] > probabilities[at + best]) {
                        best = k;
                    }
                }
                b.append(chars.get(best));
            }
            return b.toString();
        }
    }

    static final CharacterTable CTABLE = new CharacterTable(CHARS);

    /** Questions (reversed, padded to MAXLEN) and answers (padded to DIGITS + 1) as the example draws them. */
    static List<String[]> questions(SplittableRandom r, int n, Set<List<Integer>> seen) {
        List<String[]> out = new ArrayList<>();
        while (out.size() < n) {
            int a = number(r);
            int b = number(r);
            // skip questions already seen, and x+Y when Y+x was (the example's sorted key)
            if (!seen.add(List.of(Math.min(a, b), Math.max(a, b)))) {
                continue;
            }
            String query = String.format("%-" + MAXLEN + "s", a + "+" + b);
            String answer = String.format("%-" + (DIGITS + 1) + "s", a + b);
            out.add(new String[] {new StringBuilder(query).reverse().toString(), answer});
        }
        return out;
    }

    /** 1 to DIGITS random digits, read as a number (so "07" is 7). */
    private static int number(SplittableRandom r) {
        int digits = 1 + r.nextInt(DIGITS);
        int v = 0;
        for (int i = 0; i < digits; i++) {
            v = 10 * v + r.nextInt(10);
        }
        return v;
    }

    static Tensor[] vectorize(List<String[]> qa) {
        float[] x = new float[qa.size() * MAXLEN * CTABLE.size()];
        float[] y = new float[qa.size() * (DIGITS + 1) * CTABLE.size()];
        for (int i = 0; i < qa.size(); i++) {
            CTABLE.encode(qa.get(i)[0], MAXLEN, x, i);
            CTABLE.encode(qa.get(i)[1], DIGITS + 1, y, i);
        }
        return new Tensor[] {Tensor.of(x, qa.size(), MAXLEN, CTABLE.size()),
                Tensor.of(y, qa.size(), DIGITS + 1, CTABLE.size())};
    }

    /** The example's model with {@code hidden} units in each LSTM. */
    static Sequential build(int hidden) {
        return Sequential.of(Input.shape(MAXLEN, CTABLE.size()), new LSTM(hidden), new RepeatVector(DIGITS + 1),
                new LSTM(hidden).returnSequences(true), new Dense(CTABLE.size(), "softmax"));
    }

    private static List<String[]> kerasQuestions() throws IOException {
        return Files.readAllLines(resource("addition.questions.txt")).stream().map(l -> l.split("\\|", -1)).toList();
    }

    @Test
    void characterTableEncodesTheQuestionsAsTheExamplesDoes() throws IOException {
        List<String[]> qa = kerasQuestions();
        assertThat(qa).hasSize(64).allSatisfy(q -> {
            assertThat(q[0]).hasSize(MAXLEN);
            assertThat(q[1]).hasSize(DIGITS + 1);
        });
        Tensor[] xy = vectorize(qa);
        assertThat(xy[0].toArray()).as("x, ctable.encode(query, MAXLEN)")
                .isEqualTo(npy("addition.x.npy").toArray());
        assertThat(xy[1].toArray()).as("y, ctable.encode(answer, DIGITS + 1)")
                .isEqualTo(npy("addition.y.npy").toArray());
        for (int i = 0; i < qa.size(); i++) {
            assertThat(CTABLE.decode(xy[0].toArray(), i, MAXLEN)).isEqualTo(qa.get(i)[0]);
        }
        assertThatThrownBy(() -> CTABLE.encode("1-2", 5, new float[60], 0)).hasMessageContaining("'-' is not one of");
    }

    @Test
    void kerasFileLoadsAndPredictsKerassSoftmax() throws IOException {
        KerasModel keras = Models.load(resource("addition.keras"));
        assertThat(keras.kerasVersion()).contains("3.15.1");
        // LSTM 4·16·(12 + 16 + 1), RepeatVector 0, LSTM 4·16·(16 + 16 + 1), Dense 16·12 + 12
        assertThat(keras.countParams()).isEqualTo(1_856 + 2_112 + 204);
        Tensor x = npy("addition.x.npy");
        assertClose("the example's softmax over the characters", keras.predict(x).toArray(),
                npyValues("addition.pred.npy"));
        Sequential model = build(16);
        Examples.copyWeights(Keras3151.allWeights(keras), model.weights());
        assertClose("built in Java with the file's weights", model.predict(x).toArray(),
                npyValues("addition.pred.npy"));
    }

    @Test
    void oneEpochOfAdamEndsAtKerassWeightsLossAndAccuracy() throws IOException {
        KerasModel keras = Models.load(resource("addition.keras"), true);
        Tensor x = npy("addition.x.npy");
        Tensor y = npy("addition.y.npy");
        History h = keras.fit(x, y, Fit.defaults().batchSize(32).epochs(1).shuffle(false).verbose(0));
        assertClose("the epoch's loss", new float[] {h.get("loss").get(0).floatValue()},
                npyValues("addition.fit_loss.npy"));
        assertClose("the epoch's accuracy", new float[] {h.get("accuracy").get(0).floatValue()},
                npyValues("addition.fit_accuracy.npy"));
        assertWeightsAsKeras("addition", "after one epoch", Keras3151.allWeights(keras));
    }

    @Test
    void aJavaBuiltCopyLearnsTwoDigitAddition() {
        System.out.println("AdditionRnnTest seed " + SEED);
        SplittableRandom r = new SplittableRandom(SEED);
        Set<List<Integer>> seen = new HashSet<>();
        Tensor[] train = vectorize(questions(r, TRAIN, seen));
        List<String[]> valQa = questions(r, 500, seen);  // never trained on: `seen` keeps them apart
        Tensor[] val = vectorize(valQa);
        Seeds.set(SEED);
        Sequential model = build(HIDDEN);
        model.compile(Optimizers.adam(LR), Losses.categoricalCrossentropy());
        long t0 = System.nanoTime();
        History h = model.fit(train[0], train[1], Fit.defaults().batchSize(32).epochs(EPOCHS).seed(SEED).verbose(0));
        float[] p = model.predict(val[0]).toArray();
        int chars = 0;
        int answers = 0;
        for (int i = 0; i < valQa.size(); i++) {
            String guess = CTABLE.decode(p, i, DIGITS + 1);
            String correct = valQa.get(i)[1];
            answers += guess.equals(correct) ? 1 : 0;
            for (int k = 0; k < guess.length(); k++) {
                chars += guess.charAt(k) == correct.charAt(k) ? 1 : 0;
            }
        }
        double charAccuracy = chars / (double) (valQa.size() * (DIGITS + 1));
        double answerAccuracy = answers / (double) valQa.size();
        System.out.printf("AdditionRnnTest: %d epochs in %.1f s, loss %s, validation character accuracy %.3f,"
                + " answers %.3f%n", EPOCHS, (System.nanoTime() - t0) / 1e9, h.get("loss"), charAccuracy,
                answerAccuracy);
        assertThat(charAccuracy).as("validation character accuracy").isGreaterThanOrEqualTo(CHAR_BAR);
        assertThat(answerAccuracy).as("validation answers all right").isGreaterThanOrEqualTo(ANSWER_BAR);
    }

}
