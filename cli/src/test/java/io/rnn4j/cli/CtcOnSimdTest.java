package io.rnn4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Devices;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.losses.Ctc;
import io.rnn4j.layers.losses.Losses;
import java.util.Arrays;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keras's CTC loss ({@code Losses.ctc()}) and {@code ctc_decode} ({@link Ctc#decode}) give the same
 * numbers on the SIMD backend as on the scalar one. The loss runs as one autograd node whose
 * forward-backward recursion reads and writes {@code narrow} views (one time step's rows) of device
 * buffers, so a SIMD kernel that ignored a view's offset or a row tail would show here and nowhere
 * else. Batch 3, 12 steps, 7 classes (6 labels and the blank 0), labels of lengths 3, 6 (with a
 * repeat) and 10 (5 repeats: 15 steps needed, too long, TensorFlow's large finite loss); the
 * logits are a column slice of a wider parameter, so the node's input is itself a view. Bar:
 * {@link LayersOnSimdTest}'s, {@code |simd − scalar| <= 1e-6 + 1e-5·max|scalar|} over each tensor
 * (each sample's loss at its own scale; the recursion's log-sum-exps sum in another order on
 * SIMD); decoded labels exactly. Seed
 * {@link #SEED}.
 */
class CtcOnSimdTest {
    static final long SEED = 20_261_127L;
    static final int B = 3;
    static final int T = 12;
    static final int C = 7;
    static final float[] LABELS = {
        1, 2, 3, 0, 0, 0, 0, 0, 0, 0,
        2, 2, 4, 5, 6, 1, 0, 0, 0, 0,
        1, 1, 2, 2, 3, 3, 4, 4, 5, 5};

    private static Device scalar;
    private static Device simd;
    private static float[] logits;

    @BeforeAll
    static void devices() {
        scalar = Devices.get("scalar");
        simd = Devices.get("simd");
        assertThat(simd).as("the simd device is not the scalar one").isNotSameAs(scalar);
        Random r = new Random(SEED);
        logits = new float[B * T * (C + 2)];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = 4 * r.nextFloat() - 2;
        }
        System.out.printf("CtcOnSimdTest: seed %d, scalar vs %s%n", SEED, simd.name());
    }

    /** One device's loss per sample and gradient of {@code Σ w_b·loss_b} w.r.t. the wide parameter. */
    private record Run(Tensor perSample, Tensor mean, Tensor grad) {
    }

    private static Run run(Device device) {
        Variable wide = Variable.parameter(device.tensor(logits, B, T, C + 2));
        Variable predictions = Ops.slice(wide, 2, 1, C); // columns 1..7 of 9: a view with an offset
        Variable labels = Variable.constant(device.tensor(LABELS, B, LABELS.length / B));
        Variable perSample = Losses.ctc().perSample(labels, predictions);
        Variable mean = Losses.ctc().compute(labels, predictions);
        Variable w = Variable.constant(device.tensor(new float[] {0.5f, -1.25f, 2f}, B));
        Ops.add(Ops.sumAll(Ops.mul(perSample, w)), mean).backward();
        return new Run(perSample.value(), mean.value(), wide.grad());
    }

    @Test
    void ctcLossAndItsGradientAgree() {
        Run s = run(scalar);
        Run v = run(simd);
        float[] loss = s.perSample.toArray();
        assertThat(loss[2]).as("the too-long label's loss is TensorFlow's large finite one").isGreaterThan(700)
                .isLessThan(Float.POSITIVE_INFINITY);
        // each sample's loss at its own scale: the too-long label's ~720 would hide an error in the others
        for (int b = 0; b < B; b++) {
            close("CTC loss of sample " + b, s.perSample.narrow(b, 1), v.perSample.narrow(b, 1));
        }
        close("CTC loss, sum_over_batch_size", s.mean, v.mean);
        close("gradient w.r.t. the logits (and 0 outside the slice)", s.grad, v.grad);
    }

    @Test
    void ctcDecodeAgrees() {
        int[] lengths = {T, 9, 5}; // the whole sequence, and two cut short
        float[] scores = Arrays.copyOf(logits, B * T * C);
        Tensor a = scalar.tensor(scores, B, T, C);
        Tensor b = simd.tensor(scores, B, T, C);
        for (String strategy : new String[] {"greedy", "beam_search"}) {
            Ctc.Decoded ds = Ctc.decode(a, lengths, strategy, 4, strategy.equals("greedy") ? 1 : 3, true, 0);
            Ctc.Decoded dv = Ctc.decode(b, lengths, strategy, 4, strategy.equals("greedy") ? 1 : 3, true, 0);
            assertThat(dv.labels()).as("%s: decoded labels", strategy).isDeepEqualTo(ds.labels());
            for (int i = 0; i < B; i++) {
                float[] e = ds.logProbabilities()[i];
                float[] g = dv.logProbabilities()[i];
                assertThat(g).as("%s: scores of sample %d", strategy, i).hasSameSizeAs(e);
                for (int k = 0; k < e.length; k++) {
                    assertThat((double) g[k]).as("%s: score %d of sample %d, bar 1e-6 + 1e-5·|scalar|", strategy, k, i)
                            .isCloseTo(e[k], Offset.offset(1e-6 + 1e-5 * Math.abs(e[k])));
                }
            }
        }
    }

    private static void close(String what, Tensor expected, Tensor actual) {
        assertThat(actual.shape()).as("%s: shape", what).isEqualTo(expected.shape());
        assertThat(actual.device()).as("%s: device", what).isSameAs(simd);
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        double scale = 0;
        for (float x : e) {
            scale = Math.max(scale, Math.abs(x));
        }
        double bar = LayersOnSimdTest.ATOL + LayersOnSimdTest.RTOL * scale;
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs((double) a[i] - e[i]) <= bar)) {
                fail("%s %s element %d: simd %s vs scalar %s, |difference| %.3g over the bar %.3g (seed %d)", what,
                        expected.shape(), i, a[i], e[i], Math.abs((double) a[i] - e[i]), bar, SEED);
            }
        }
    }
}
