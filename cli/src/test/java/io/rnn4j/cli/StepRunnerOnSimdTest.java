package io.rnn4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Devices;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.model.StepRunner;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The step runner of an Embedding → LSTM → GRU → Dense(softmax) model on the SIMD backend: every
 * step's output bit for bit what predict gives on the same device, for the whole sequence
 * (return_sequences) and for each prefix (a last-output model), with mask_zero's id 0 masked; and a
 * step, masked or not, allocates nothing on the heap once compiled (ThreadMXBean's count for this
 * thread). Sizes are off the vector widths (tails). In cli because its tests see the SIMD backend
 * (see {@link LayersOnSimdTest}); the layers module's EmbeddingStepsTest does the same on scalar.
 * Seed {@value #SEED}.
 */
class StepRunnerOnSimdTest {
    static final long SEED = 20_251_128L;
    static final int VOCABULARY = 53;

    private static Device simd;

    @BeforeAll
    static void device() {
        try {
            simd = Devices.get("simd");
        } catch (IllegalStateException | IllegalArgumentException e) {
            fail("the SIMD backend must be available in cli's tests (surefire adds --add-modules "
                    + "jdk.incubator.vector, see cli/pom.xml), but: " + e.getMessage(), e);
        }
        System.out.printf("StepRunnerOnSimdTest: seed %d on %s%n", SEED, simd.name());
    }

    /** The model on simd, of (None,) ids; the recurrent layers' return_sequences as given for the last one. */
    private static Sequential model(boolean lastReturnsSequences, long seed) {
        Layer[] layers = {new Embedding(VOCABULARY, 19).maskZero(true), new LSTM(37).returnSequences(true),
            new GRU(21).returnSequences(lastReturnsSequences), new Dense(VOCABULARY, "softmax")};
        Sequential m = Sequential.of(layers);
        m.build(Shape.withUnknown(Input.NONE), simd, Seeds.of(seed));
        assertThat(m.device()).isSameAs(simd);
        return m;
    }

    private static int[] ids(Random r, int n) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = r.nextInt(4) == 0 ? 0 : r.nextInt(VOCABULARY);  // a quarter masked
        }
        ids[0] = 0;  // masked before the first real id
        return ids;
    }

    private static Tensor batchOf(int[] ids, int length) {
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            v[i] = ids[i];
        }
        return simd.tensor(v, 1, length);
    }

    @Test
    void everyStepIsBitForBitPredictOnTheSameDevice() {
        Random r = new Random(SEED);
        int[] ids = ids(r, 29);
        Sequential seqs = model(true, SEED);
        Sequential last = model(false, SEED + 1);
        last.setWeights(seqs.getWeights());
        float[] whole = seqs.predict(batchOf(ids, ids.length)).toArray();
        StepRunner s = seqs.stepRunner();
        StepRunner l = last.stepRunner();
        float[] out = new float[VOCABULARY];
        float[] lastOut = new float[VOCABULARY];
        for (int t = 0; t < ids.length; t++) {
            s.step(ids[t], out);
            l.step(ids[t], lastOut);
            assertThat(out).as("step %d (id %d) against return_sequences predict", t, ids[t])
                    .isEqualTo(Arrays.copyOfRange(whole, t * VOCABULARY, (t + 1) * VOCABULARY));
            assertThat(lastOut).as("step %d (id %d) against return_sequences=False predict of the first %d ids", t,
                    ids[t], t + 1).isEqualTo(last.predict(batchOf(ids, t + 1)).toArray());
        }
    }

    @Test
    void aStepAllocatesNothingOnceCompiled() {
        StepRunner s = model(true, SEED + 2).stepRunner();
        int[] ids = ids(new Random(SEED + 2), 64);
        float[] out = new float[VOCABULARY];
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // C2 compiles the step in the background: measure rounds until one is clean, up to a bound, so
        // that a slow compiler on a loaded machine does not fail the test but a step that allocates does.
        int steps = 20_000;
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 40 && best >= 1; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < steps; i++) {
                s.step(ids[i & 63], out);
            }
            best = Math.min(best, (threads.getCurrentThreadAllocatedBytes() - before) / (double) steps);
        }
        System.out.printf("StepRunnerOnSimdTest: %.3f heap bytes per step at best%n", best);
        assertThat(best).as("heap bytes per step (an object a step would be at least 16)").isLessThan(1.0);
    }
}
