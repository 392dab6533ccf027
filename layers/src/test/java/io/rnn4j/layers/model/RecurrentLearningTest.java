package io.rnn4j.layers.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Activation;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.optimizers.Optimizers;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Learning really happens on the classic recurrent-memory tasks, each test stating its bar. Sized to
 * run in a few seconds on the scalar device; seeds fixed (printed), so each run is the same.
 */
class RecurrentLearningTest {

    /**
     * The adding problem (Hochreiter and Schmidhuber): 30 steps of (value ~ U[0,1], marker), exactly
     * two markers (one in each half); the target is the sum of the two marked values. Predicting the
     * mean scores the variance of that sum, 2/12 ≈ 0.167; a model that finds the markers goes far
     * below. LSTM(8) → Dense(1), Adam(0.02), MSE, 1024 sequences, batch 16, 10 epochs.
     *
     * <p>Bar: validation MSE below 0.02 (under 1/8 of the 0.167 baseline). Measured on the scalar
     * device with data seeds 1–5: 0.0014–0.0041 after epoch 10 (the drop comes at epochs 4–9).
     */
    @Test
    void lstmLearnsTheAddingProblem() {
        int steps = 30;
        long seed = 4;
        Random r = new Random(seed);
        Tensor[] train = adding(r, 1024, steps);
        Tensor[] val = adding(r, 512, steps);
        Seeds.set(seed);
        var model = Sequential.of(Input.shape(steps, 2), new LSTM(8), new Dense(1));
        model.compile(Optimizers.adam(0.02), Losses.meanSquaredError());
        History h = model.fit(train[0], train[1], Fit.defaults().batchSize(16).epochs(10).seed(3).verbose(0)
                .validationData(val[0], val[1]));
        System.out.println("adding problem (seed " + seed + "): val MSE per epoch " + h.get("val_loss"));
        assertThat(h.get("val_loss").get(0)).as("the first epoch is near the 0.167 baseline").isGreaterThan(0.1);
        assertThat(h.last("val_loss")).as("validation MSE vs the 0.167 variance baseline").isLessThan(0.02);
    }

    /**
     * Running parity: 10 random bits; the target at step t is the XOR of bits 0..t, so the network
     * must carry a flip-flop state through the sequence. GRU(16, return_sequences) → Dense(1,
     * sigmoid), Adam(0.01), binary crossentropy, 1024 sequences, batch 32, 8 epochs.
     *
     * <p>Bar: on fresh sequences, the parity of all 10 bits (the last step's output, which depends on
     * every bit) right for more than 99% of them (chance: 50%). Measured on the scalar device: 100%
     * from epoch 5 on with data seeds 1 and 2.
     */
    @Test
    void gruLearnsRunningParity() {
        int steps = 10;
        long seed = 1;
        Random r = new Random(seed);
        Tensor[] train = parity(r, 1024, steps);
        Tensor[] val = parity(r, 512, steps);
        Seeds.set(seed);
        var model = Sequential.of(Input.shape(steps, 1), new GRU(16).returnSequences(true),
                new Dense(1, Activation.SIGMOID));
        model.compile(Optimizers.adam(0.01), Losses.binaryCrossentropy(), Metrics.binaryAccuracy());
        History h = model.fit(train[0], train[1], Fit.defaults().batchSize(32).epochs(8).seed(3).verbose(0)
                .validationData(val[0], val[1]));
        float[] p = model.predict(val[0]).toArray();
        float[] y = val[1].toArray();
        int right = 0;
        for (int i = 0; i < 512; i++) {
            int last = i * steps + steps - 1;
            right += (p[last] > 0.5f ? 1 : 0) == (int) y[last] ? 1 : 0;
        }
        double accuracy = right / 512.0;
        System.out.println("running parity (seed " + seed + "): val accuracy per epoch "
                + h.get("val_binary_accuracy") + ", whole-sequence parity " + accuracy);
        assertThat(accuracy).as("parity of all 10 bits on fresh sequences (chance 0.5)").isGreaterThan(0.99);
    }

    /** x (n, t, 2): values and markers; y (n, 1): the sum of the two marked values. */
    private static Tensor[] adding(Random r, int n, int t) {
        float[] x = new float[n * t * 2];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int a = r.nextInt(t / 2);
            int b = t / 2 + r.nextInt(t / 2);
            for (int s = 0; s < t; s++) {
                float v = r.nextFloat();
                x[(i * t + s) * 2] = v;
                if (s == a || s == b) {
                    x[(i * t + s) * 2 + 1] = 1;
                    y[i] += v;
                }
            }
        }
        return new Tensor[] {Tensor.of(x, n, t, 2), Tensor.of(y, n, 1)};
    }

    /** x (n, t, 1): bits; y (n, t, 1): their running XOR. */
    private static Tensor[] parity(Random r, int n, int t) {
        float[] x = new float[n * t];
        float[] y = new float[n * t];
        for (int i = 0; i < n; i++) {
            int p = 0;
            for (int s = 0; s < t; s++) {
                int b = r.nextInt(2);
                p ^= b;
                x[i * t + s] = b;
                y[i * t + s] = p;
            }
        }
        return new Tensor[] {Tensor.of(x, n, t, 1), Tensor.of(y, n, t, 1)};
    }
}
