package io.rnn4j.kernels.simd;

import static org.assertj.core.api.Assertions.fail;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Devices;
import io.rnn4j.engine.RnnCell;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.engine.scalar.ScalarBackend;
import io.rnn4j.engine.testing.Float64Rnn;
import io.rnn4j.engine.testing.RnnGradientCheck;
import io.rnn4j.engine.testing.RnnProblem;
import io.rnn4j.engine.testing.RnnRun;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused recurrent kernels with the activations Keras 3 added, which the engine's RNN contract
 * does not draw (its list, {@code Float64Rnn.KERAS_ACTIVATIONS}, predates them): the kernels hand
 * any activation but tanh and sigmoid to the generic vector loops, forward and (from the saved
 * pre-activations) backward. Each as the cell activation of every cell type, and the bounded or
 * gate-like ones also as LSTM's and GRU's recurrent activation; batch 1 (the split batch-one path)
 * and 3, 17 units (a vector and a tail at any width). Forward against float64 and the scalar
 * backend (2e-5·(1 + |want|)); every gradient against float64 finite differences at up to 60
 * entries and the scalar backend at all (1e-4·max(1, max |reference|)), as the contract does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimdRnnKerasActivationsTest {
    private static final long SEED = 0x6e1_a5L;
    private static final double FORWARD_TOL = 2e-5;
    private static final double GRADIENT_TOL = 1e-4;
    private static final List<UnaryOp> KERAS3 = List.of(UnaryOp.RELU6, UnaryOp.LEAKY_RELU, UnaryOp.GELU,
            UnaryOp.MISH, UnaryOp.HARD_SILU, UnaryOp.CELU, UnaryOp.HARD_TANH, UnaryOp.LOG_SIGMOID,
            UnaryOp.TANH_SHRINK, UnaryOp.SOFT_SHRINK, UnaryOp.HARD_SHRINK, UnaryOp.SQUAREPLUS, UnaryOp.SPARSE_PLUS,
            UnaryOp.SPARSE_SIGMOID);
    /** As recurrent (gate) activations: those that map into a bounded range, plus gelu and mish. */
    private static final List<UnaryOp> GATES = List.of(UnaryOp.SPARSE_SIGMOID, UnaryOp.HARD_TANH, UnaryOp.GELU,
            UnaryOp.MISH, UnaryOp.LOG_SIGMOID);

    private Device simd;
    private Device scalar;

    @BeforeAll
    void open() {
        System.out.println("SimdRnnKerasActivationsTest seed " + SEED);
        simd = Devices.wrap(new SimdBackend());
        scalar = Devices.wrap(new ScalarBackend());
    }

    @AfterAll
    void close() {
        simd.close();
        scalar.close();
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (UnaryOp act : KERAS3) {
            for (RnnCell cell : RnnCell.values()) {
                out.add(Arguments.of(cell, act, UnaryOp.SIGMOID));
            }
        }
        for (UnaryOp rec : GATES) {
            out.add(Arguments.of(RnnCell.LSTM, UnaryOp.TANH, rec));
            out.add(Arguments.of(RnnCell.GRU, UnaryOp.TANH, rec));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} activation={1} recurrent={2}")
    @MethodSource("cases")
    void forwardAndGradientsMatchFloat64AndScalar(RnnCell cell, UnaryOp act, UnaryOp rec) {
        for (int batch : new int[] {1, 3}) {
            long seed = SEED ^ ((long) cell.ordinal() << 40) ^ ((long) act.ordinal() << 32) ^ (rec.ordinal() << 16)
                    ^ batch;
            SplittableRandom rnd = new SplittableRandom(seed);
            RnnSpec spec = RnnProblem.randomSpec(cell, 5, 17, rnd).withActivations(act, rec);
            RnnProblem p = RnnProblem.random(spec, batch, 4, rnd);
            if (p.c0 != null && !p.giveC0 && act == UnaryOp.RELU6) {
                // With c0 = 0 and relu6(z_c) = 0, c stays exactly at relu6's kink at 0, where a central
                // difference in c0 sees half a slope (as the contract does for relu).
                p.giveC0 = true;
                RnnProblem.fill(p.c0, 0.8, new SplittableRandom(seed));
            }
            String context = p + " seed=" + seed;
            checkForward(p, context);
            checkGradients(p, new SplittableRandom(seed), context);
        }
    }

    private void checkForward(RnnProblem p, String context) {
        Float64Rnn.Result want = Float64Rnn.forward(p);
        RnnRun.Forward got = RnnRun.forward(simd, p, false);
        RnnRun.Forward training = RnnRun.forward(simd, p, true);
        RnnRun.Forward reference = RnnRun.forward(scalar, p, false);
        assertClose("output vs float64", got.output(), want.output(), context);
        assertClose("last h vs float64", got.lastH(), want.lastH(), context);
        if (p.spec.hasCellState()) {
            assertClose("last c vs float64", got.lastC(), want.lastC(), context);
        }
        assertClose("output vs scalar", got.output(), doubles(reference.output()), context);
        assertClose("output with a training workspace", training.output(), doubles(got.output()), context);
    }

    private void checkGradients(RnnProblem p, SplittableRandom pick, String context) {
        RnnRun.Gradients got = RnnRun.backward(simd, p);
        RnnRun.Gradients reference = RnnRun.backward(scalar, p);
        checkGradient("dx", got.dx(), reference.dx(), p, p.x, pick, context);
        checkGradient("dKernel", got.dKernel(), reference.dKernel(), p, p.kernel, pick, context);
        checkGradient("dRecurrentKernel", got.dRecurrentKernel(), reference.dRecurrentKernel(), p, p.recurrentKernel,
                pick, context);
        if (p.bias != null) {
            checkGradient("dBias", got.dBias(), reference.dBias(), p, p.bias, pick, context);
        }
        p.giveH0 = true; // zeros when not given: the gradient is still defined there
        checkGradient("dh0", got.dh0(), reference.dh0(), p, p.h0, pick, context);
        if (p.c0 != null) {
            p.giveC0 = true;
            checkGradient("dc0", got.dc0(), reference.dc0(), p, p.c0, pick, context);
        }
    }

    private static void checkGradient(String name, float[] got, float[] scalarGot, RnnProblem p, double[] param,
            SplittableRandom pick, String context) {
        int[] at = RnnGradientCheck.sample(param.length, 60, pick);
        String mismatch = RnnGradientCheck.compare(name, got, RnnGradientCheck.numeric(p, param, at), at,
                GRADIENT_TOL);
        if (mismatch != null) {
            fail(mismatch + " — " + context);
        }
        int[] all = RnnGradientCheck.sample(param.length, param.length, pick);
        mismatch = RnnGradientCheck.compare(name + " vs scalar", got, doubles(scalarGot), all, GRADIENT_TOL);
        if (mismatch != null) {
            fail(mismatch + " — " + context);
        }
    }

    /** Element-wise: |got − want| ≤ 2e-5·(1 + |want|). */
    private static void assertClose(String what, float[] got, double[] want, String context) {
        if (got.length != want.length) {
            fail(what + ": " + got.length + " values, expected " + want.length + " — " + context);
        }
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(got[i] - want[i]) <= FORWARD_TOL * (1 + Math.abs(want[i])))) {
                fail(what + "[" + i + "]: got " + got[i] + ", expected " + want[i] + " within " + FORWARD_TOL
                        + "·(1+|expected|) — " + context);
            }
        }
    }

    private static double[] doubles(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
