package io.rnn4j.layers.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.ActivationLayer;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Dropout;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.ReLU;
import io.rnn4j.layers.Rescaling;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SimpleRNN;
import io.rnn4j.layers.TimeDistributed;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * StepRunner's mask semantics as Keras 3.15.1's (scalar backend): each step against
 * predict on the whole sequence (or the prefix, for a last-output model), bit for bit. Seed 91.
 */
class StepRunnerMaskStepsTest {
    private static final long SEED = 91;

    private static Tensor batchOf(int[] ids) {
        float[] v = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            v[i] = ids[i];
        }
        return Tensor.of(v, 1, ids.length);
    }

    private static float[][] stepAll(StepRunner s, int[] ids) {
        s.reset();
        float[][] out = new float[ids.length][s.outputSize()];
        for (int t = 0; t < ids.length; t++) {
            s.step(ids[t], out[t]);
        }
        return out;
    }

    private static void assertEachStepIs(float[][] stepped, float[] whole, String what) {
        int n = stepped[0].length;
        for (int t = 0; t < stepped.length; t++) {
            assertThat(stepped[t]).as("%s: step %d bit for bit against predict", what, t)
                    .isEqualTo(Arrays.copyOfRange(whole, t * n, (t + 1) * n));
        }
    }

    /**
     * Keras 3.15.1 backend/tensorflow/rnn.py (rnn(), the masked while_loop _step, lines ~360-370):
     * with zero_output_for_mask=True a masked step outputs zeros, not the previous output, and
     * last_output is then zeros too when the last step is masked (lines 199-208). StepRunner
     * forces zero_output_for_mask off (StepRunner.recurrent: spec.withZeroOutputForMask(false))
     * and always repeats the previous output, so it differs from predict at every masked step.
     */
    @Test
    void zeroOutputForMaskGivesZerosAtAMaskedStepAsPredictDoes() {
        Seeds.set(SEED);
        Sequential m = Sequential.of(Input.shape(Input.NONE), new Embedding(10, 4).maskZero(true),
                new LSTM(5).returnSequences(true).zeroOutputForMask(true), new Dense(3));
        int[] ids = {0, 4, 0, 0, 7, 3, 0};
        assertEachStepIs(stepAll(m.stepRunner(), ids), m.predict(batchOf(ids)).toArray(),
                "LSTM(return_sequences, zero_output_for_mask)");

        Sequential last = Sequential.of(Input.shape(Input.NONE), new Embedding(10, 4).maskZero(true),
                new GRU(5).zeroOutputForMask(true), new Dense(3));
        float[][] stepped = stepAll(last.stepRunner(), ids);
        for (int t = 0; t < ids.length; t++) {
            assertThat(stepped[t]).as("GRU(zero_output_for_mask) step %d against predict on the first %d ids", t,
                    t + 1).isEqualTo(last.predict(batchOf(Arrays.copyOf(ids, t + 1))).toArray());
        }
    }

    /**
     * Keras 3.15.1: Dense (core/dense.py:122), Activation, ReLU, Dropout, Rescaling and
     * TimeDistributed all set supports_masking=True, so layer.py:1034 passes the Embedding's mask
     * on through them and the next recurrent layer still skips id 0's steps.
     */
    @Test
    void theMaskCrossesDenseActivationsDropoutAndRescalingToTheNextRecurrentLayer() {
        Seeds.set(SEED + 1);
        Sequential m = Sequential.of(Input.shape(Input.NONE), new Embedding(10, 4).maskZero(true),
                new Dense(4, "tanh"), new LSTM(5).returnSequences(true), new TimeDistributed(new Dense(4)),
                new ActivationLayer("sigmoid"), new ReLU(), new Dropout(0.4f), new Rescaling(0.5, 0.25),
                new SimpleRNN(3).returnSequences(true), new GRU(2).returnSequences(true), new Dense(2, "softmax"));
        int[] ids = {0, 0, 5, 0, 9, 1, 0, 0, 2, 0};
        assertEachStepIs(stepAll(m.stepRunner(), ids), m.predict(batchOf(ids)).toArray(), "mask through a chain");
    }

    /**
     * ids as the device holds them are floats: above 2^24 an int id has no float of its own.
     * Keras's Embedding (core/embedding.py call: ops.cast(inputs, "int32") then ops.take) looks up
     * exactly the row of the id it was given; step(int) checks the int against input_dim and then
     * writes (float) id, which for 2^24 + 1 is 2^24: it silently returns the neighbouring row.
     */
    @Test
    void anIntIdAbove2To24IsLookedUpExactlyOrRefused() {
        int rows = (1 << 24) + 2;
        Sequential m = Sequential.of(Input.shape(1), new Embedding(rows, 1));
        float[] table = new float[rows];
        table[(1 << 24) + 1] = 1f;  // only the asked row is 1; its float neighbour 2^24 is 0
        m.setWeights(List.of(Tensor.of(table, rows, 1)));
        StepRunner s = m.stepRunner();
        float[] out;
        try {
            out = s.step((1 << 24) + 1);
        } catch (IllegalArgumentException refused) {
            assertThat(refused).hasMessageContaining("16777217");
            return;
        }
        assertThat(out).as("row 2^24 + 1 as Keras's int32 take gives it").containsExactly(1f);
    }
}
