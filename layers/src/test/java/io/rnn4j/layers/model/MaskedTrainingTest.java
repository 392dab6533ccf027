package io.rnn4j.layers.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.optimizers.Optimizers;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A sequence labeller with padding — Embedding(mask_zero) → LSTM(return_sequences) → Dense(softmax),
 * sparse categorical crossentropy and accuracy — trained and evaluated as Keras 3 does with the
 * output's mask: the loss is the mean over real tokens only (float64 recomputation from predict,
 * bar 1e-6), accuracy counts real tokens only (exact), labels at padded steps change neither the
 * loss, the metric nor a training step (bit for bit), more padding changes nothing (bar 1e-6), and a
 * functional model of the same layers gives the same numbers. Seed 83.
 */
class MaskedTrainingTest {
    private static final long SEED = 83;
    private static final int VOCAB = 9;
    private static final int CLASSES = 4;
    private static final int[] LENGTHS = {3, 7, 1, 5, 2, 6};

    private static Sequential labeller(int steps) {
        Sequential m = Sequential.of(Input.shape(steps), new Embedding(VOCAB, 4).maskZero(true),
                new LSTM(5).returnSequences(true), new Dense(CLASSES, "softmax"));
        m.compile(Optimizers.adam(0.01), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
        return m;
    }

    /** Token ids 1..VOCAB-1 for the real steps, 0 after; labels as given by {@code padLabel} after. */
    private static Tensor[] data(int steps, long seed, int padLabel) {
        Random r = new Random(seed);
        float[] x = new float[LENGTHS.length * steps];
        float[] y = new float[LENGTHS.length * steps];
        for (int b = 0; b < LENGTHS.length; b++) {
            for (int t = 0; t < steps; t++) {
                boolean real = t < LENGTHS[b];
                x[b * steps + t] = real ? 1 + r.nextInt(VOCAB - 1) : 0;
                y[b * steps + t] = real ? r.nextInt(CLASSES) : padLabel;
            }
        }
        return new Tensor[] {Tensor.of(x, LENGTHS.length, steps), Tensor.of(y, LENGTHS.length, steps)};
    }

    @Test
    void lossAndAccuracyCountRealTokensOnly() {
        Seeds.set(SEED);
        int steps = 7;
        Sequential m = labeller(steps);
        Tensor[] d = data(steps, SEED, 0);
        float[] p = m.predict(d[0]).toArray();
        float[] ids = d[1].toArray();
        double loss = 0;
        double hits = 0;
        int real = 0;
        for (int b = 0; b < LENGTHS.length; b++) {
            for (int t = 0; t < LENGTHS[b]; t++) {
                int row = b * steps + t;
                int label = (int) ids[row];
                double prob = Math.min(Math.max(p[row * CLASSES + label], 1e-7), 1 - 1e-7);
                loss -= Math.log(prob);
                int best = 0;
                for (int c = 1; c < CLASSES; c++) {
                    best = p[row * CLASSES + c] > p[row * CLASSES + best] ? c : best;
                }
                hits += best == label ? 1 : 0;
                real++;
            }
        }
        Evaluation e = m.evaluate(d[0], d[1], LENGTHS.length);
        assertThat(e.loss()).as("masked loss").isCloseTo(loss / real, within(1e-6));
        assertThat(e.metric("accuracy")).as("masked accuracy").isEqualTo(hits / real);
    }

    @Test
    void labelsAtPaddedStepsChangeNothing() {
        int steps = 7;
        Tensor[] zeros = data(steps, SEED, 0);
        Tensor[] threes = data(steps, SEED, 3);
        Seeds.set(SEED);
        Sequential a = labeller(steps);
        Seeds.set(SEED);
        Sequential b = labeller(steps);
        Evaluation ea = a.evaluate(zeros[0], zeros[1], 4);
        Evaluation eb = b.evaluate(threes[0], threes[1], 4);
        assertThat(eb.loss()).isEqualTo(ea.loss());
        assertThat(eb.metric("accuracy")).isEqualTo(ea.metric("accuracy"));
        double la = a.trainOnBatch(zeros[0], zeros[1]);
        double lb = b.trainOnBatch(threes[0], threes[1]);
        assertThat(lb).isEqualTo(la);
        List<Tensor> wa = a.getWeights();
        List<Tensor> wb = b.getWeights();
        for (int i = 0; i < wa.size(); i++) {
            assertThat(wb.get(i).toArray()).as("weight %d after a step", i).containsExactly(wa.get(i).toArray());
        }
        History h = b.fit(threes[0], threes[1], Fit.defaults().batchSize(3).epochs(2).verbose(0).shuffle(false));
        History g = a.fit(zeros[0], zeros[1], Fit.defaults().batchSize(3).epochs(2).verbose(0).shuffle(false));
        assertThat(h.get("loss")).isEqualTo(g.get("loss"));
        assertThat(h.get("accuracy")).isEqualTo(g.get("accuracy"));
    }

    @Test
    void morePaddingGivesTheSameLossAndAccuracy() {
        Seeds.set(SEED);
        Sequential shortPad = labeller(7);
        Sequential longPad = labeller(11);
        longPad.setWeights(shortPad.getWeights());
        Tensor[] d7 = data(7, SEED, 0);
        // The same tokens and labels, 4 more padded steps.
        float[] x7 = d7[0].toArray();
        float[] y7 = d7[1].toArray();
        float[] x11 = new float[LENGTHS.length * 11];
        float[] y11 = new float[LENGTHS.length * 11];
        for (int b = 0; b < LENGTHS.length; b++) {
            System.arraycopy(x7, b * 7, x11, b * 11, 7);
            System.arraycopy(y7, b * 7, y11, b * 11, 7);
        }
        Evaluation e7 = shortPad.evaluate(d7[0], d7[1], LENGTHS.length);
        Evaluation e11 = longPad.evaluate(Tensor.of(x11, LENGTHS.length, 11), Tensor.of(y11, LENGTHS.length, 11),
                LENGTHS.length);
        assertThat(e11.loss()).isCloseTo(e7.loss(), within(1e-6));
        assertThat(e11.metric("accuracy")).isEqualTo(e7.metric("accuracy"));
    }

    @Test
    void aFunctionalModelAppliesTheOutputMaskToo() {
        Seeds.set(SEED);
        Sequential seq = labeller(7);
        Input in = Input.shape(7);
        SymbolicTensor h = new Embedding(VOCAB, 4).maskZero(true).apply(in);
        h = new LSTM(5).returnSequences(true).apply(h);
        Model fn = Model.of(in, new Dense(CLASSES, "softmax").apply(h));
        fn.setWeights(seq.getWeights());
        fn.compile(Optimizers.adam(0.01), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
        Tensor[] d = data(7, SEED, 2);
        Evaluation es = seq.evaluate(d[0], d[1], LENGTHS.length);
        Evaluation ef = fn.evaluate(List.of(d[0]), List.of(d[1]), LENGTHS.length);
        assertThat(ef.loss()).isEqualTo(es.loss());
        assertThat(ef.metric("accuracy")).isEqualTo(es.metric("accuracy"));
    }
}
