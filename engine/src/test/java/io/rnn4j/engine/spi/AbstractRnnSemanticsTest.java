package io.rnn4j.engine.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.RnnCell;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnState;
import io.rnn4j.engine.RnnWeights;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.engine.testing.RnnProblem;
import io.rnn4j.engine.testing.RnnRun;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The recurrent semantics every backend must keep, each stated as a property that does not need a
 * reference implementation (masked steps are skipped steps, go_backwards is forwards on the
 * reversed sequence, batch rows are independent, gradients are overwritten, …), plus one case
 * whose numbers Keras itself wrote. Extended by {@link AbstractRnnBackendTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractRnnSemanticsTest extends AbstractRnnBadInputTest {
    /** Within one backend, two ways to compute the same thing may differ only by float32 rounding. */
    static final double SAME_TOL = 1e-5;

    @ParameterizedTest
    @EnumSource(RnnCell.class)
    void aMaskedStepIsASkippedStepThatRepeatsTheLastOutput(RnnCell cell) {
        RnnProblem p = RnnProblem.random(RnnSpec.of(cell, 3, 4), 1, 5, new SplittableRandom(seedFor(cell)));
        p.mask = new double[] {0, 1, 0, 1, 0};
        p.dropout = null;
        RnnRun.Forward got = RnnRun.forward(device(), p, false);
        // The same sequence with steps 1 and 3 only.
        RnnProblem skipped = new RnnProblem(p.spec, 1, 2);
        int d = p.spec.inputSize();
        System.arraycopy(p.x, d, skipped.x, 0, d);
        System.arraycopy(p.x, 3 * d, skipped.x, d, d);
        copyWeightsAndStates(p, skipped);
        RnnRun.Forward two = RnnRun.forward(device(), skipped, false);
        int h = p.spec.units();
        assertThat(step(got.output(), 0, h)).as("before the first real step: zeros").containsOnly(0f);
        assertThat(step(got.output(), 1, h)).containsExactly(step(two.output(), 0, h), within(1e-6f));
        assertThat(step(got.output(), 2, h)).as("masked: the previous output").containsExactly(step(got.output(), 1, h));
        assertThat(step(got.output(), 3, h)).containsExactly(step(two.output(), 1, h), within(1e-6f));
        assertThat(step(got.output(), 4, h)).containsExactly(step(got.output(), 3, h));
        assertThat(got.lastH()).as("last h: kept through the masked last step").containsExactly(two.lastH());

        RnnRun.Forward z = RnnRun.forward(device(), p.copy(p.spec.withZeroOutputForMask(true), false), false);
        for (int s : new int[] {0, 2, 4}) {
            assertThat(step(z.output(), s, h)).as("zeroOutputForMask: zeros at masked step " + s).containsOnly(0f);
        }
        assertThat(step(z.output(), 3, h)).containsExactly(step(got.output(), 3, h));
    }

    @ParameterizedTest
    @EnumSource(RnnCell.class)
    void anAllMaskedRowOutputsZerosAndPassesItsStatesAndGradientsThrough(RnnCell cell) {
        RnnProblem p = RnnProblem.random(RnnSpec.of(cell, 2, 3), 2, 4, new SplittableRandom(seedFor(cell, 2)));
        p.mask = new double[8];
        p.giveH0 = true;
        RnnProblem.fill(p.h0, 1.0, new SplittableRandom(1));
        if (p.c0 != null) {
            p.giveC0 = true;
            RnnProblem.fill(p.c0, 1.0, new SplittableRandom(2));
        }
        RnnRun.Forward f = RnnRun.forward(device(), p, true);
        assertThat(f.output()).containsOnly(0f);
        assertThat(f.lastH()).containsExactly(RnnProblem.floats(p.h0));
        RnnRun.Gradients g = RnnRun.backward(device(), p);
        assertThat(g.dh0()).containsExactly(RnnProblem.floats(p.dLastH));
        assertThat(g.dx()).containsOnly(0f);
        assertThat(g.dKernel()).containsOnly(0f);
        assertThat(g.dRecurrentKernel()).containsOnly(0f);
        if (p.c0 != null) {
            assertThat(f.lastC()).containsExactly(RnnProblem.floats(p.c0));
            assertThat(g.dc0()).containsExactly(RnnProblem.floats(p.dLastC));
        }
    }

    @ParameterizedTest(name = "{0} resetAfter={1}")
    @CsvSource({"SIMPLE, true", "LSTM, true", "GRU, true", "GRU, false"})
    void nanOrInfinityInAMaskedStepsInputChangesNothingAZeroThereWouldNot(RnnCell cell, boolean resetAfter) {
        // A masked step is skipped, so what its input holds cannot matter; but a backend that runs
        // every step through one weight-gradient GEMM meets NaN·0 = NaN there.
        long seed = seedFor("nan-padding", cell, resetAfter);
        SplittableRandom rnd = new SplittableRandom(seed);
        RnnSpec spec = RnnProblem.randomSpec(cell, 6, 5, rnd);
        if (cell == RnnCell.GRU) {
            spec = spec.withResetAfter(resetAfter);
        }
        int d = spec.inputSize();
        int steps = 5;
        for (int batch : new int[] {1, 3, 33}) {
            RnnProblem p = RnnProblem.random(spec, batch, steps, rnd);
            p.mask = new double[batch * steps];
            Arrays.fill(p.mask, 1);
            p.dropout = null;
            int[] skipped = {1, steps * batch - 1};  // row 0's step 1; the last row's last step
            for (int row : skipped) {
                p.mask[row] = 0;
                Arrays.fill(p.x, row * d, (row + 1) * d, 0);
            }
            RnnRun.Forward zerosOut = RnnRun.forward(device(), p, true);
            RnnRun.Gradients zeros = RnnRun.backward(device(), p);
            for (int row : skipped) {
                for (int i = 0; i < d; i++) {
                    p.x[row * d + i] = i % 3 == 0 ? Double.POSITIVE_INFINITY : i % 3 == 1 ? Double.NaN
                            : Double.NEGATIVE_INFINITY;
                }
            }
            RnnRun.Forward nansOut = RnnRun.forward(device(), p, true);
            RnnRun.Gradients nans = RnnRun.backward(device(), p);
            String what = spec + " batch " + batch + ", seed " + seed + ", NaN/±∞ against zeros at masked steps: ";
            float tol = (float) SAME_TOL;
            assertThat(nansOut.output()).as(what + "output").containsExactly(zerosOut.output(), within(tol));
            assertThat(nansOut.lastH()).as(what + "last h").containsExactly(zerosOut.lastH(), within(tol));
            assertThat(nans.dx()).as(what + "dx").containsExactly(zeros.dx(), within(tol));
            assertThat(nans.dKernel()).as(what + "dW").containsExactly(zeros.dKernel(), within(tol));
            assertThat(nans.dRecurrentKernel()).as(what + "dU").containsExactly(zeros.dRecurrentKernel(), within(tol));
            if (zeros.dBias() != null) {
                assertThat(nans.dBias()).as(what + "db").containsExactly(zeros.dBias(), within(tol));
            }
            assertThat(nans.dh0()).as(what + "dh0").containsExactly(zeros.dh0(), within(tol));
        }
    }

    @ParameterizedTest
    @EnumSource(RnnCell.class)
    void goBackwardsIsForwardsOnTheReversedSequence(RnnCell cell) {
        long seed = seedFor("backwards", cell);
        SplittableRandom rnd = new SplittableRandom(seed);
        RnnSpec spec = RnnProblem.randomSpec(cell, 5, 6, rnd).withGoBackwards(false);
        RnnProblem forwards = RnnProblem.random(spec, 3, 6, rnd);
        RnnProblem backwards = forwards.copy(spec.withGoBackwards(true), true);
        RnnRun.Forward f = RnnRun.forward(device(), forwards, false);
        RnnRun.Forward b = RnnRun.forward(device(), backwards, false);
        assertThat(b.output()).as("outputs in processing order, seed " + seed).containsExactly(f.output(),
                within((float) SAME_TOL));
        assertThat(b.lastH()).containsExactly(f.lastH(), within((float) SAME_TOL));
        RnnRun.Gradients gf = RnnRun.backward(device(), forwards);
        RnnRun.Gradients gb = RnnRun.backward(device(), backwards);
        assertThat(gb.dx()).as("dx, in input order, seed " + seed).containsExactly(
                reverseSteps(gf.dx(), 3, 6, 5), within((float) SAME_TOL));
        assertThat(gb.dRecurrentKernel()).containsExactly(gf.dRecurrentKernel(), within((float) SAME_TOL));
    }

    @ParameterizedTest
    @EnumSource(RnnCell.class)
    void batchRowsAreIndependent(RnnCell cell) {
        long seed = seedFor("rows", cell);
        SplittableRandom rnd = new SplittableRandom(seed);
        RnnProblem p = RnnProblem.random(RnnProblem.randomSpec(cell, 9, 7, rnd), 5, 4, rnd);
        RnnRun.Forward all = RnnRun.forward(device(), p, false);
        RnnRun.Gradients gAll = RnnRun.backward(device(), p);
        int h = p.spec.units();
        int d = p.spec.inputSize();
        for (int b = 0; b < p.batch; b++) {
            RnnProblem one = p.row(b);
            RnnRun.Forward f = RnnRun.forward(device(), one, false);
            RnnRun.Gradients g = RnnRun.backward(device(), one);
            assertThat(Arrays.copyOfRange(all.output(), b * p.steps * h, (b + 1) * p.steps * h))
                    .as("row %d of the batch, seed %d", b, seed).containsExactly(f.output(), within((float) SAME_TOL));
            assertThat(Arrays.copyOfRange(gAll.dx(), b * p.steps * d, (b + 1) * p.steps * d))
                    .as("dx row %d, seed %d", b, seed).containsExactly(g.dx(), within((float) SAME_TOL));
        }
    }

    @ParameterizedTest
    @EnumSource(RnnCell.class)
    void aRecurrentDropoutMaskOfOnesIsNoDropout(RnnCell cell) {
        RnnProblem p = RnnProblem.random(RnnSpec.of(cell, 4, 5), 2, 3, new SplittableRandom(seedFor("ones", cell)));
        p.dropout = null;
        p.mask = null;
        p.giveH0 = true;
        RnnProblem.fill(p.h0, 1.0, new SplittableRandom(3));
        RnnRun.Forward none = RnnRun.forward(device(), p, false);
        p.dropout = new double[p.batch * p.spec.units()];
        Arrays.fill(p.dropout, 1.0);
        assertThat(RnnRun.forward(device(), p, false).output()).containsExactly(none.output());
        Arrays.fill(p.dropout, 0.0);
        assertThat(RnnRun.forward(device(), p, false).output()).as("dropping all of h changes the output")
                .isNotEqualTo(none.output());
    }

    @Test
    void backwardOverwritesGradientsAndSkipsThoseNotWanted() {
        Device d = device();
        RnnProblem p = RnnProblem.random(RnnSpec.of(RnnCell.LSTM, 3, 4), 2, 3, new SplittableRandom(seedFor("ow")));
        RnnRun.Gradients fresh = RnnRun.backward(d, p);
        RnnProblem.Tensors in = p.on(d);
        RnnSpec spec = p.spec;
        Tensor ws = d.zeros((int) d.rnnWorkspaceSize(spec, p.batch, p.steps));
        d.rnnForward(spec, in.x(), in.mask(), in.dropout(), in.weights(), in.initial(), d.zeros(p.batch, p.steps, 4),
                null, ws);
        Tensor dU = d.full(spec.recurrentKernelShape(), Float.NaN);
        for (int round = 0; round < 2; round++) {
            d.rnnBackward(spec, in.x(), in.mask(), in.dropout(), in.weights(), in.initial(), ws, in.dOutput(),
                    in.dLast(), null, new RnnWeights(null, dU, null), null);
            assertThat(dU.toArray()).as("dU after backward #%d into a NaN-filled tensor", round + 1)
                    .containsExactly(fresh.dRecurrentKernel(), within((float) SAME_TOL));
        }
    }

    @Test
    void nullArgumentsMeanZerosOnInputAndNotWantedOnOutput() {
        Device d = device();
        RnnProblem p = RnnProblem.random(RnnSpec.of(RnnCell.LSTM, 3, 4), 2, 3, new SplittableRandom(seedFor("null")));
        Arrays.fill(p.dOutput, 0.0);
        Arrays.fill(p.dLastC, 0.0);
        RnnRun.Forward full = RnnRun.forward(d, p, false);
        RnnRun.Gradients fullGrads = RnnRun.backward(d, p);
        RnnProblem.Tensors in = p.on(d);
        RnnSpec spec = p.spec;
        Tensor c = d.zeros(p.batch, 4);
        Tensor ws = d.zeros((int) d.rnnWorkspaceSize(spec, p.batch, p.steps));
        d.rnnForward(spec, in.x(), in.mask(), in.dropout(), in.weights(), in.initial(), d.zeros(p.batch, p.steps, 4),
                new RnnState(null, c), ws);
        assertThat(c.toArray()).as("last.c alone").containsExactly(full.lastC());
        Tensor dKernel = d.zeros(spec.kernelShape());
        Tensor dc0 = d.zeros(p.batch, 4);
        d.rnnBackward(spec, in.x(), in.mask(), in.dropout(), in.weights(), in.initial(), ws, null,
                new RnnState(in.dLast().h(), null), null, new RnnWeights(dKernel, null, null), new RnnState(null, dc0));
        assertThat(dKernel.toArray()).as("dKernel with dOutput null, dLast.c null")
                .containsExactly(fullGrads.dKernel(), within((float) SAME_TOL));
        assertThat(dc0.toArray()).as("dInitial.c alone").containsExactly(fullGrads.dc0(), within((float) SAME_TOL));
    }

    /**
     * frugally-deep's GRU toy (shared/keras-fixtures/frugally-deep-gru-toy): GRU(1, activation=None,
     * use_bias=False, reset_after=True), kernel [[1, −2, 3]], recurrent kernel [[−0.5, 2, −1.1]],
     * x = [1, 0, 0], initial state 10; Keras's predict gave −7.676248, −7.5144324, −7.3429837.
     */
    @Test
    void reproducesKerasOnTheFrugallyDeepGruToy() {
        Device d = device();
        RnnSpec spec = RnnSpec.of(RnnCell.GRU, 1, 1).withActivations(UnaryOp.LINEAR, UnaryOp.SIGMOID).withBias(false);
        RnnWeights w = new RnnWeights(d.tensor(new float[] {1, -2, 3}, 1, 3),
                d.tensor(new float[] {-0.5f, 2, -1.1f}, 1, 3), null);
        Tensor out = d.zeros(1, 3, 1);
        d.rnnForward(spec, d.tensor(new float[] {1, 0, 0}, 1, 3, 1), null, null, w,
                new RnnState(d.tensor(new float[] {10}, 1, 1), null), out, null, null);
        assertThat(out.toArray()).containsExactly(new float[] {-7.676248f, -7.5144324f, -7.3429837f}, within(1e-5f));
    }

    // ---- helpers ----

    private static void copyWeightsAndStates(RnnProblem from, RnnProblem to) {
        System.arraycopy(from.kernel, 0, to.kernel, 0, from.kernel.length);
        System.arraycopy(from.recurrentKernel, 0, to.recurrentKernel, 0, from.recurrentKernel.length);
        if (from.bias != null) {
            System.arraycopy(from.bias, 0, to.bias, 0, from.bias.length);
        }
        System.arraycopy(from.h0, 0, to.h0, 0, from.h0.length);
        if (from.c0 != null) {
            System.arraycopy(from.c0, 0, to.c0, 0, from.c0.length);
        }
        to.giveH0 = from.giveH0;
        to.giveC0 = from.giveC0;
    }

    /** Step s of a batch-1 output (T, H). */
    private static float[] step(float[] output, int s, int h) {
        return Arrays.copyOfRange(output, s * h, (s + 1) * h);
    }

    private static float[] reverseSteps(float[] a, int batch, int steps, int width) {
        float[] r = new float[a.length];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                System.arraycopy(a, (b * steps + t) * width, r, (b * steps + steps - 1 - t) * width, width);
            }
        }
        return r;
    }
}
