package io.rnn4j.kernels.simd.rnn;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Devices;
import io.rnn4j.engine.RnnCell;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnState;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.engine.scalar.ScalarBackend;
import io.rnn4j.engine.testing.RnnProblem;
import io.rnn4j.engine.testing.RnnRun;
import io.rnn4j.kernels.simd.platform.SimdConstants;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The opt-in two-thread batch-1 mode against the one-thread kernel: bit-identical outputs and final
 * states when the units are a multiple of the vector length (the same sums in the same order),
 * and within the contract's tolerance of the scalar backend otherwise; masks, recurrent dropout,
 * initial states and go_backwards included. Called directly, so the opt-in property is not needed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SplitBatchOneTest {
    private static final long SEED = 0x5911_7b10L;
    private Device host;

    @BeforeAll
    void open() {
        host = Devices.wrap(new ScalarBackend());
    }

    @AfterAll
    void close() {
        host.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(RnnCell.class)
    void bitIdenticalToTheOneThreadKernelWhenUnitsFillVectors(RnnCell cell) {
        SplittableRandom rnd = new SplittableRandom(SEED + cell.ordinal());
        int lanes = SimdConstants.LANES;
        for (int trial = 0; trial < 4; trial++) {
            RnnSpec spec = RnnProblem.randomSpec(cell, 7, 4 * lanes, rnd);
            if (cell == RnnCell.GRU) {
                spec = spec.withResetAfter(true);
            }
            if (trial == 3) { // Keras's defaults: the fused gate passes, on each half's units
                spec = spec.withActivations(UnaryOp.TANH, UnaryOp.SIGMOID).withBias(true);
            }
            spec = spec.withGoBackwards(trial == 1);
            RnnProblem p = RnnProblem.random(spec, 1, 9, rnd);
            float[][] one = run(p, false);
            String what = p + " (seed " + SEED + ")";
            // On a busy machine the pool thread may still not join in time and the call runs
            // alone: retry until one run is really split (each run is checked either way).
            boolean splitOnce = false;
            for (int attempt = 0; attempt < 20 && !splitOnce; attempt++) {
                float[][] split = run(p, true);
                splitOnce = split[3][0] == 1f;
                assertThat(split[0]).as(what + ": output").isEqualTo(one[0]);
                assertThat(split[1]).as(what + ": last h").isEqualTo(one[1]);
                assertThat(split[2]).as(what + ": last c").isEqualTo(one[2]);
            }
            assertThat(splitOnce).as(what + ": at least one of 20 runs ran on two threads").isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(RnnCell.class)
    void matchesScalarWhenUnitsDoNot(RnnCell cell) {
        SplittableRandom rnd = new SplittableRandom(SEED - cell.ordinal());
        RnnSpec spec = RnnProblem.randomSpec(cell, 5, 2 * SimdConstants.LANES + 3, rnd);
        if (cell == RnnCell.GRU) {
            spec = spec.withResetAfter(true);
        }
        RnnProblem p = RnnProblem.random(spec, 1, 7, rnd);
        float[] got = run(p, true)[0];
        float[] want = RnnRun.forward(host, p, false).output();
        for (int i = 0; i < want.length; i++) {
            assertThat((double) got[i]).as(p + " output[" + i + "] vs scalar (seed " + SEED + ")")
                    .isCloseTo(want[i], org.assertj.core.data.Offset.offset(2e-5 * (1 + Math.abs(want[i]))));
        }
    }

    /** {output, last h, last c (empty but for LSTM), {1 if it ran split}} of one forward. */
    private float[][] run(RnnProblem p, boolean split) {
        RnnSpec spec = p.spec;
        int h = spec.units();
        RnnProblem.Tensors in = p.on(host);
        Tensor out = host.zeros(1, p.steps, h);
        RnnState last = new RnnState(host.zeros(1, h), spec.hasCellState() ? host.zeros(1, h) : null);
        RnnCall q = RnnCall.forward(spec, in.x(), in.mask(), in.dropout(), in.weights(), in.initial(), out, last, null);
        CellKernel kernel = CellKernel.of(q);
        boolean paired = false;
        if (split) {
            paired = SplitBatchOne.forward(q, kernel, 50_000_000L); // 50 ms: this machine may be busy
        } else {
            kernel.forward(0, 1);
        }
        return new float[][] {out.toArray(), last.h().toArray(), last.c() == null ? new float[0] : last.c().toArray(),
            {paired ? 1f : 0f}};
    }
}
