package io.rnn4j.kernels.simd.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Devices;
import io.rnn4j.engine.RnnCell;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnState;
import io.rnn4j.engine.RnnWeights;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.scalar.ScalarBackend;
import io.rnn4j.engine.testing.RnnProblem;
import io.rnn4j.engine.testing.RnnRun;
import io.rnn4j.kernels.simd.platform.SimdThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the engine's contract cannot see from outside: that splitting the batch over threads changes
 * no bit of any result, and that the packed weights cached on a weight tensor follow writes to it.
 * Tensors live on a scalar device: both backends keep heap storage, so the kernels take them as
 * they are.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimdRnnTest {
    private static final long SEED = 0x0b10_c5L;
    private Device host;

    @BeforeAll
    void open() {
        host = Devices.wrap(new ScalarBackend());
    }

    @AfterAll
    void close() {
        host.close();
    }

    static Stream<Arguments> cells() {
        List<Arguments> out = new ArrayList<>();
        for (RnnCell cell : RnnCell.values()) {
            out.add(Arguments.of(cell, false));
            if (cell == RnnCell.GRU) {
                out.add(Arguments.of(cell, true));
            }
        }
        return out.stream();
    }

    /** Forward outputs, final states and every gradient of one run, as arrays. */
    private record Run(float[] output, float[] lastH, float[] lastC, float[] dx, float[] dW, float[] dU, float[] db,
            float[] dh0, float[] dc0) {
    }

    @ParameterizedTest(name = "{0} resetBefore={1}")
    @MethodSource("cells")
    void resultsAreBitIdenticalForEverySplitOfTheBatch(RnnCell cell, boolean resetBefore) {
        SplittableRandom rnd = new SplittableRandom(SEED + cell.ordinal());
        RnnSpec spec = RnnProblem.randomSpec(cell, 11, 13, rnd);
        if (cell == RnnCell.GRU) {
            spec = spec.withResetAfter(!resetBefore);
        }
        // 5 rows: GEMV products over rows (at 512 bits; a GEMM narrower); 7: a GEMM per step.
        for (int batch : new int[] {5, 7}) {
            RnnProblem p = RnnProblem.random(spec, batch, 6, rnd);
            assertSplitsAgree(p, new int[] {2, 3, batch});
        }
    }

    private void assertSplitsAgree(RnnProblem p, int[] splits) {
        Run one = run(p, 1);
        for (int blocks : splits) {
            Run split = run(p, blocks);
            String what = p + " in " + blocks + " blocks vs 1 (seed " + SEED + ")";
            assertThat(split.output()).as(what + ": output").isEqualTo(one.output());
            assertThat(split.lastH()).as(what + ": last h").isEqualTo(one.lastH());
            assertThat(split.lastC()).as(what + ": last c").isEqualTo(one.lastC());
            assertThat(split.dx()).as(what + ": dx").isEqualTo(one.dx());
            assertThat(split.dW()).as(what + ": dW").isEqualTo(one.dW());
            assertThat(split.dU()).as(what + ": dU").isEqualTo(one.dU());
            assertThat(split.db()).as(what + ": db").isEqualTo(one.db());
            assertThat(split.dh0()).as(what + ": dh0").isEqualTo(one.dh0());
            assertThat(split.dc0()).as(what + ": dc0").isEqualTo(one.dc0());
        }
    }

    @ParameterizedTest(name = "{0} resetBefore={1}")
    @MethodSource("cells")
    void nanInAMaskedStepsInputLeavesEveryGradientAsZeroPaddingDoes(RnnCell cell, boolean resetBefore) {
        // The scalar backend skips masked steps; the weight gradient here is one GEMM over every
        // step, where a NaN input times its zero dZ would poison all of dW.
        SplittableRandom rnd = new SplittableRandom(SEED + 31 + cell.ordinal());
        RnnSpec spec = RnnProblem.randomSpec(cell, 7, 9, rnd);
        if (cell == RnnCell.GRU) {
            spec = spec.withResetAfter(!resetBefore);
        }
        for (int batch : new int[] {3, 8}) {  // the GEMV and the GEMM paths
            RnnProblem p = RnnProblem.random(spec, batch, 5, rnd);
            p.mask = new double[batch * 5];
            java.util.Arrays.fill(p.mask, 1);
            p.mask[1] = 0;  // row 0, step 1
            p.mask[5 * (batch - 1) + 4] = 0;  // the last row's last step
            for (int i = 0; i < spec.inputSize(); i++) {
                p.x[spec.inputSize() + i] = 0;
                p.x[(5 * (batch - 1) + 4) * spec.inputSize() + i] = 0;
            }
            Run zeros = run(p, 1);
            for (int i = 0; i < spec.inputSize(); i++) {
                p.x[spec.inputSize() + i] = Double.NaN;
                p.x[(5 * (batch - 1) + 4) * spec.inputSize() + i] = i % 2 == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
            }
            Run nans = run(p, 1);
            String what = p + " with NaN/∞ inputs at masked steps vs zeros there (seed " + SEED + ")";
            assertThat(nans.output()).as(what + ": output").isEqualTo(zeros.output());
            assertThat(nans.dW()).as(what + ": dW").isEqualTo(zeros.dW());
            assertThat(nans.dU()).as(what + ": dU").isEqualTo(zeros.dU());
            assertThat(nans.db()).as(what + ": db").isEqualTo(zeros.db());
            assertThat(nans.dx()).as(what + ": dx").isEqualTo(zeros.dx());
        }
    }

    @Test
    void packedWeightsAreRebuiltWhenTheWeightsAreWritten() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        for (int batch : new int[] {1, 7}) { // the GEMV and the GEMM packings
            RnnProblem p = RnnProblem.random(RnnSpec.of(RnnCell.LSTM, 5, 9), batch, 4, rnd);
            RnnProblem.Tensors in = p.on(host);
            Tensor first = forward(p, in);
            RnnProblem.fill(p.recurrentKernel, 0.5, rnd);
            RnnProblem.fill(p.kernel, 0.5, rnd);
            host.write(RnnProblem.floats(p.recurrentKernel), in.weights().recurrentKernel());
            host.write(RnnProblem.floats(p.kernel), in.weights().kernel());
            Tensor second = forward(p, in);
            float[] want = RnnRun.forward(host, p, false).output();
            float[] got = second.toArray();
            assertThat(got).as("batch " + batch + ": output after new weights differs from the first")
                    .isNotEqualTo(first.toArray());
            for (int i = 0; i < want.length; i++) {
                assertThat((double) got[i]).as("batch " + batch + " output[" + i + "] after new weights vs scalar")
                        .isCloseTo(want[i], org.assertj.core.data.Offset.offset(2e-5 * (1 + Math.abs(want[i]))));
            }
        }
    }

    @Test
    void aWrittenWeightIsRepackedIntoTheSameMemoryNotANewBuffer() {
        // Packed forms live off the heap: a new buffer per training step would pile up between
        // collections, so a write must lead to a repack into the stale form's memory.
        SplittableRandom rnd = new SplittableRandom(SEED + 5);
        RnnProblem p = RnnProblem.random(RnnSpec.of(RnnCell.GRU, 6, 10), 1, 2, rnd);
        Tensor u = p.on(host).weights().recurrentKernel();
        Object gemv = PackedWeights.gemv(u, 10, 0, 30, 30);
        Object gemm = PackedWeights.gemm(u, 10, 0, 30, 30);
        Object gemvT = PackedWeights.gemvTransposed(u, 10, 0, 30, 30);
        assertThat(PackedWeights.gemv(u, 10, 0, 30, 30)).as("unchanged weights: the cached form").isSameAs(gemv);
        host.fill(u, 0.25f);
        assertThat(PackedWeights.gemv(u, 10, 0, 30, 30)).as("GEMV form after a write").isSameAs(gemv);
        assertThat(PackedWeights.gemm(u, 10, 0, 30, 30)).as("GEMM form after a write").isSameAs(gemm);
        assertThat(PackedWeights.gemvTransposed(u, 10, 0, 30, 30)).as("Uᵀ form after a write").isSameAs(gemvT);
        float[] y = new float[30];
        float[] ones = new float[10];
        java.util.Arrays.fill(ones, 1f);
        PackedWeights.gemv(u, 10, 0, 30, 30).multiply(ones, 0, y, 0, false);
        assertThat(y).as("the repacked form holds the new contents: ten rows of 0.25 summed")
                .containsOnly(2.5f);
    }

    @ParameterizedTest(name = "{0} resetBefore={1}")
    @MethodSource("cells")
    void streamingStepsGiveTheBitsOfTheWholeSequence(RnnCell cell, boolean resetBefore) {
        // A one-row call (batch 1, one step) projects its input with a GEMV, a longer one with the
        // GEMM: both sum each element's products in the same order, so the bits must agree.
        SplittableRandom rnd = new SplittableRandom(SEED + 17 + cell.ordinal());
        RnnSpec spec = RnnProblem.randomSpec(cell, 11, 13, rnd).withGoBackwards(false);
        if (cell == RnnCell.GRU) {
            spec = spec.withResetAfter(!resetBefore);
        }
        int steps = 4;
        RnnProblem p = RnnProblem.random(spec, 1, steps, rnd);
        p.mask = null;
        RnnProblem.Tensors in = p.on(host);
        int h = spec.units();
        int d = spec.inputSize();
        Tensor whole = host.zeros(1, steps, h);
        RnnState wholeLast = new RnnState(host.zeros(1, h), spec.hasCellState() ? host.zeros(1, h) : null);
        SimdRnn.forward(spec, in.x(), null, in.dropout(), in.weights(), in.initial(), whole, wholeLast, null, 1);

        float[] xs = in.x().toArray();
        RnnState state = in.initial();
        float[] stepwise = new float[steps * h];
        for (int t = 0; t < steps; t++) {
            Tensor x = host.tensor(java.util.Arrays.copyOfRange(xs, t * d, (t + 1) * d), 1, 1, d);
            Tensor out = host.zeros(1, 1, h);
            RnnState next = new RnnState(host.zeros(1, h), spec.hasCellState() ? host.zeros(1, h) : null);
            SimdRnn.forward(spec, x, null, in.dropout(), in.weights(), state, out, next, null, 1);
            System.arraycopy(out.toArray(), 0, stepwise, t * h, h);
            state = next;
        }
        String what = p + " step by step vs in one call (seed " + SEED + ")";
        assertThat(stepwise).as(what + ": outputs").isEqualTo(whole.toArray());
        assertThat(state.h().toArray()).as(what + ": last h").isEqualTo(wholeLast.h().toArray());
        if (spec.hasCellState()) {
            assertThat(state.c().toArray()).as(what + ": last c").isEqualTo(wholeLast.c().toArray());
        }
    }

    @Test
    void aBatchOfOneRunsOnTheCallerThread() {
        assumeTrue(SimdThreads.threads() > 1, "one thread here: nothing could be split");
        // L1's shape: its input projection (3.3 MFLOP) alone is big enough for a GEMM to split.
        RnnSpec spec = RnnSpec.of(RnnCell.LSTM, 32, 128);
        RnnProblem p = RnnProblem.random(spec, 1, 100, new SplittableRandom(SEED));
        RnnProblem.Tensors in = p.on(host);
        Tensor out = host.zeros(1, p.steps, spec.units());
        long before = SimdThreads.splits();
        SimdRnn.forward(spec, in.x(), in.mask(), in.dropout(), in.weights(), in.initial(), out, RnnState.none(), null);
        assertThat(SimdThreads.splits() - before)
                .as("pool splits in a batch-1 forward (its steps would read rows another core wrote)").isZero();
    }

    private Tensor forward(RnnProblem p, RnnProblem.Tensors in) {
        Tensor out = host.zeros(p.batch, p.steps, p.spec.units());
        SimdRnn.forward(p.spec, in.x(), in.mask(), in.dropout(), in.weights(), in.initial(), out, RnnState.none(),
                null, 1);
        return out;
    }

    /** Forward with a training workspace, then backward, with the batch in {@code blocks} blocks. */
    private Run run(RnnProblem p, int blocks) {
        RnnSpec spec = p.spec;
        int h = spec.units();
        RnnProblem.Tensors in = p.on(host);
        RnnState initial = new RnnState(in.initial().h(), in.initial().c());
        Tensor out = host.zeros(p.batch, p.steps, h);
        RnnState last = new RnnState(host.zeros(p.batch, h), spec.hasCellState() ? host.zeros(p.batch, h) : null);
        Tensor ws = host.zeros((int) SimdRnn.workspaceSize(spec, p.batch, p.steps));
        SimdRnn.forward(spec, in.x(), in.mask(), in.dropout(), in.weights(), initial, out, last, ws, blocks);
        Tensor dx = host.zeros(p.batch, p.steps, spec.inputSize());
        RnnWeights dw = new RnnWeights(host.zeros(spec.kernelShape()), host.zeros(spec.recurrentKernelShape()),
                spec.useBias() ? host.zeros(spec.biasShape()) : null);
        RnnState dInitial = new RnnState(host.zeros(p.batch, h), spec.hasCellState() ? host.zeros(p.batch, h) : null);
        SimdRnn.backward(spec, in.x(), in.mask(), in.dropout(), in.weights(), initial, ws, in.dOutput(), in.dLast(),
                dx, dw, dInitial, blocks);
        return new Run(out.toArray(), last.h().toArray(), array(last.c()), dx.toArray(), dw.kernel().toArray(),
                dw.recurrentKernel().toArray(), array(dw.bias()), dInitial.h().toArray(), array(dInitial.c()));
    }

    private static float[] array(Tensor t) {
        return t == null ? new float[0] : t.toArray();
    }
}
