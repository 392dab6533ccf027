package io.rnn4j.engine.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Devices;
import io.rnn4j.engine.RnnCase;
import io.rnn4j.engine.RnnCell;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnState;
import io.rnn4j.engine.RnnWeights;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.engine.scalar.ScalarBackend;
import io.rnn4j.engine.testing.Float64Rnn;
import io.rnn4j.engine.testing.RnnGradientCheck;
import io.rnn4j.engine.testing.RnnProblem;
import io.rnn4j.engine.testing.RnnRun;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract of the fused recurrent kernels ({@link Backend#rnnForward}, {@link Backend#rnnBackward}),
 * for any backend: a backend's test extends this with one line, {@link #newBackend()}.
 *
 * <p>What it holds a backend to: the fixed cases of {@code shared/rnn-cases.md} (forward checksums and,
 * for the training cases, gradient sums, to 1e-4 relative); on random problems over awkward sizes
 * (1, 7, 8, 9, 15, 16, 17, 33 units and inputs; every cell, activation pair, bias, reset_after,
 * direction, zero-output masking, masks with all-masked rows and leading masked steps, initial
 * states, recurrent dropout, batch 1 and odd), forward equal to the float64 reference
 * {@link Float64Rnn} and to the scalar backend within float32 tolerance, and every gradient equal to
 * float64 central finite differences and to the scalar backend. It inherits the semantics tests of
 * {@link AbstractRnnSemanticsTest} and the bad-input tests of {@link AbstractRnnBadInputTest}.
 *
 * <p>Random problems are drawn from a seed printed once per class; rerun one with
 * {@code -Drnn4j.tests.seed=<seed>}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractRnnBackendTest extends AbstractRnnSemanticsTest {
    /** The sizes every kernel must handle: 1, either side of vector widths 8 and 16, and one past 32. */
    static final int[] SIZES = {1, 7, 8, 9, 15, 16, 17, 33};
    /** Forward: |got − float64| ≤ tol · (1 + |float64|), per element. */
    static final double FORWARD_TOL = 2e-5;
    /** Gradients: |got − reference| ≤ tol · max(1, max |reference|), per tensor. */
    static final double GRADIENT_TOL = 1e-4;
    /** The fixed cases: 1e-4 relative, as rnn-cases.md states. */
    static final double CASE_TOL = 1e-4;

    private Device scalar;

    /** The backend under test, created fresh for this test class. */
    protected abstract Backend newBackend();

    @BeforeAll
    void openScalarReference() {
        scalar = deviceOf(new ScalarBackend());
    }

    @AfterAll
    void closeScalarReference() {
        scalar.close();
    }

    @Override
    Device createDevice() {
        return deviceOf(newBackend());
    }

    /** A {@link Device} over a backend instance built by the test. */
    static Device deviceOf(Backend backend) {
        return Devices.wrap(backend);
    }

    // ---- the fixed cases ----

    @ParameterizedTest(name = "{0}")
    @EnumSource(RnnCase.class)
    void fixedCaseChecksumsWithin1eMinus4(RnnCase c) {
        Device d = device();
        RnnSpec spec = c.spec();
        Tensor x = c.input(d);
        RnnWeights w = c.weights(d);
        Tensor output = d.zeros(c.batch, c.steps, c.units);
        RnnState last = new RnnState(d.zeros(c.batch, c.units), spec.hasCellState() ? d.zeros(c.batch, c.units) : null);
        Tensor workspace = c.training ? d.zeros((int) d.rnnWorkspaceSize(spec, c.batch, c.steps)) : null;
        d.rnnForward(spec, x, null, null, w, null, output, last, workspace);
        double[] sums = RnnCase.checksums(output.toArray(), c.batch, c.steps, c.units);
        assertRelative(c + " sum of outputs", sums[0], c.expectedSum, CASE_TOL);
        assertRelative(c + " sum of the last step's h", sums[1], c.expectedLastH, CASE_TOL);
        assertRelative(c + " sum of last.h", sum(last.h().toArray()), c.expectedLastH, CASE_TOL);
        if (!c.training) {
            return;
        }
        Tensor dOutput = d.full(output.shape(), 1f);
        Tensor dx = d.zeros(x.shape());
        RnnWeights dw = new RnnWeights(d.zeros(spec.kernelShape()), d.zeros(spec.recurrentKernelShape()),
                d.zeros(spec.biasShape()));
        d.rnnBackward(spec, x, null, null, w, null, workspace, dOutput, null, dx, dw, null);
        double[] expected = c.expectedGradientSums();
        assertRelative(c + " Σ dL/dW", sum(dw.kernel().toArray()), expected[0], CASE_TOL);
        assertRelative(c + " Σ dL/dU", sum(dw.recurrentKernel().toArray()), expected[1], CASE_TOL);
        assertRelative(c + " Σ dL/db", sum(dw.bias().toArray()), expected[2], CASE_TOL);
        assertRelative(c + " Σ dL/dx", sum(dx.toArray()), expected[3], CASE_TOL);
    }

    // ---- random problems over awkward sizes ----

    /** Every cell with units and inputs drawn from {@link #SIZES}, each size used for both. */
    static Stream<Arguments> shapes() {
        List<Arguments> out = new ArrayList<>();
        for (RnnCell cell : RnnCell.values()) {
            for (int i = 0; i < SIZES.length; i++) {
                out.add(Arguments.of(cell, SIZES[i], SIZES[(i + 3) % SIZES.length]));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} units={1} inputs={2}")
    @MethodSource("shapes")
    void forwardMatchesFloat64AndScalarOnRandomProblems(RnnCell cell, int units, int inputs) {
        long seed = seedFor("forward", cell, units, inputs);
        checkForward(randomProblem(cell, units, inputs, 6, seed), seed);
    }

    /** Forward against float64 and the scalar backend, and with a training workspace against without. */
    private void checkForward(RnnProblem p, long seed) {
        String context = p + " seed=" + seed;
        Float64Rnn.Result want = Float64Rnn.forward(p);
        RnnRun.Forward got = RnnRun.forward(device(), p, false);
        RnnRun.Forward training = RnnRun.forward(device(), p, true);
        RnnRun.Forward reference = RnnRun.forward(scalar, p, false);
        assertClose("output vs float64", got.output(), want.output(), context);
        assertClose("last h vs float64", got.lastH(), want.lastH(), context);
        if (p.spec.hasCellState()) {
            assertClose("last c vs float64", got.lastC(), want.lastC(), context);
        }
        assertClose("output vs scalar", got.output(), doubles(reference.output()), context);
        assertClose("output with a training workspace", training.output(), doubles(got.output()), context);
        assertClose("last h with a training workspace", training.lastH(), doubles(got.lastH()), context);
    }

    @ParameterizedTest(name = "{0} units={1} inputs={2}")
    @MethodSource("shapes")
    void gradientsMatchFiniteDifferencesAndScalarOnRandomProblems(RnnCell cell, int units, int inputs) {
        long seed = seedFor("backward", cell, units, inputs);
        checkGradients(randomProblem(cell, units, inputs, 5, seed), seed);
    }

    /**
     * Keras's default activations (tanh, sigmoid gates), which fast backends may compute in a fused
     * pass of their own: at batch 1 (the latency case), 4 and 8, 37 units (vectors and a tail at
     * any width), forward and every gradient as above.
     */
    @ParameterizedTest(name = "{0} batch={1}")
    @MethodSource("defaultActivationShapes")
    void defaultActivationsMatchFloat64AndFiniteDifferences(RnnCell cell, int batch) {
        int trial = 0;
        for (String pass : new String[] {"forward", "backward", "forward", "backward", "forward", "backward"}) {
            // Three of each, on their own seeds: masks, dropout and initial states are drawn per problem.
            long seed = seedFor("defaults", pass, cell, batch, ++trial);
            SplittableRandom rnd = new SplittableRandom(seed);
            RnnSpec spec = RnnProblem.randomSpec(cell, 5, 37, rnd).withActivations(UnaryOp.TANH, UnaryOp.SIGMOID)
                    .withBias(true).withResetAfter(cell == RnnCell.GRU);
            RnnProblem p = RnnProblem.random(spec, batch, 2 + rnd.nextInt(4), rnd);
            if (pass.equals("forward")) {
                checkForward(p, seed);
            } else {
                checkGradients(p, seed);
            }
        }
    }

    static Stream<Arguments> defaultActivationShapes() {
        return Stream.of(RnnCell.values())
                .flatMap(c -> Stream.of(Arguments.of(c, 1), Arguments.of(c, 4), Arguments.of(c, 8)));
    }

    /** Activations whose slopes left and right of 0 differ from their gradient at 0 (TensorFlow's). */
    private static final Set<UnaryOp> KINK_AT_ZERO = EnumSet.of(UnaryOp.RELU, UnaryOp.SELU,
            UnaryOp.CELU, UnaryOp.LEAKY_RELU, UnaryOp.RELU6);

    /** Every gradient against float64 finite differences and against the scalar backend. */
    private void checkGradients(RnnProblem p, long seed) {
        if (p.c0 != null && !p.giveC0 && KINK_AT_ZERO.contains(p.spec.activation())) {
            // With c0 = 0 and act(z_c) = 0 (or a gate exactly 0: hard and sparse sigmoids), c stays
            // exactly at act's kink at 0, where a central difference in c0 sees the mean of the two
            // slopes, not TensorFlow's gradient there: differentiate at a random c0 instead.
            p.giveC0 = true;
            RnnProblem.fill(p.c0, 0.8, new SplittableRandom(seed));
        }
        String context = p + " seed=" + seed;
        RnnRun.Gradients got = RnnRun.backward(device(), p);
        RnnRun.Gradients reference = RnnRun.backward(scalar, p);
        SplittableRandom pick = new SplittableRandom(seed);
        checkGradient("dx", got.dx(), reference.dx(), p, p.x, pick, context);
        checkGradient("dKernel", got.dKernel(), reference.dKernel(), p, p.kernel, pick, context);
        checkGradient("dRecurrentKernel", got.dRecurrentKernel(), reference.dRecurrentKernel(), p,
                p.recurrentKernel, pick, context);
        if (p.bias != null) {
            checkGradient("dBias", got.dBias(), reference.dBias(), p, p.bias, pick, context);
        }
        // Initial states not given are zeros: their gradient is still defined, so differentiate at zeros.
        p.giveH0 = true;
        checkGradient("dh0", got.dh0(), reference.dh0(), p, p.h0, pick, context);
        if (p.c0 != null) {
            p.giveC0 = true;
            checkGradient("dc0", got.dc0(), reference.dc0(), p, p.c0, pick, context);
        }
    }

    /**
     * One gradient against float64 finite differences (at up to 60 sampled entries, all of a small
     * tensor) and against the scalar backend (every entry).
     */
    private static void checkGradient(String name, float[] got, float[] scalarGot, RnnProblem p, double[] param,
            SplittableRandom pick, String context) {
        int[] at = RnnGradientCheck.sample(param.length, 60, pick);
        double[] numeric = RnnGradientCheck.numeric(p, param, at);
        String mismatch = RnnGradientCheck.compare(name, got, numeric, at, GRADIENT_TOL);
        if (mismatch != null) {
            fail(mismatch + " — " + context);
        }
        int[] all = RnnGradientCheck.sample(param.length, param.length, pick);
        mismatch = RnnGradientCheck.compare(name + " vs scalar", got, doubles(scalarGot), all, GRADIENT_TOL);
        if (mismatch != null) {
            fail(mismatch + " — " + context);
        }
    }

    /**
     * A random problem: batch 1, 2, 3, 5 or 8 (a backend may take a few rows one way and more
     * another); 1..maxSteps steps; random spec and options.
     */
    static RnnProblem randomProblem(RnnCell cell, int units, int inputs, int maxSteps, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        RnnSpec spec = RnnProblem.randomSpec(cell, inputs, units, rnd);
        int batch = new int[] {1, 2, 3, 5, 8}[rnd.nextInt(5)];
        int steps = 1 + rnd.nextInt(maxSteps);
        return RnnProblem.random(spec, batch, steps, rnd);
    }

    // ---- comparisons ----

    /** Element-wise: |got − want| ≤ {@link #FORWARD_TOL} · (1 + |want|). */
    static void assertClose(String what, float[] got, double[] want, String context) {
        assertThat(got).as(what).hasSize(want.length);
        for (int i = 0; i < want.length; i++) {
            double diff = Math.abs(got[i] - want[i]);
            if (!(diff <= FORWARD_TOL * (1 + Math.abs(want[i])))) {
                fail(what + "[" + i + "]: got " + got[i] + ", expected " + want[i] + " within " + FORWARD_TOL
                        + "·(1+|expected|) — " + context);
            }
        }
    }

    static void assertRelative(String what, double got, double want, double tol) {
        assertThat(Math.abs(got - want)).as(what + ": got " + got + ", expected " + want + " within " + tol
                + " relative").isLessThanOrEqualTo(tol * Math.abs(want));
    }

    static double sum(float[] a) {
        double s = 0;
        for (float v : a) {
            s += v;
        }
        return s;
    }

    static double[] doubles(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
