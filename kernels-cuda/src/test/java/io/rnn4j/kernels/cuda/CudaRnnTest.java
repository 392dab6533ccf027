package io.rnn4j.kernels.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.RnnCase;
import io.rnn4j.engine.RnnCell;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnState;
import io.rnn4j.engine.RnnWeights;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused sequence kernels, on every path (the per-step kernels, the three persistent kernels):
 * forward against the float64 reference ({@link RnnReference}) to float32 accuracy, every gradient
 * against float64 central finite differences of the reference, and the fixed cases of
 * shared/rnn-cases.md against their checksums. Needs a GPU.
 */
class CudaRnnTest {

    record Config(String name, RnnSpec spec, int batch, int steps, RnnProblems.Options options) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Config> configs(int batch, int steps, int d, int h) {
        List<Config> out = new ArrayList<>();
        RnnSpec[] cells = {
            RnnSpec.of(RnnCell.SIMPLE, d, h), RnnSpec.of(RnnCell.LSTM, d, h), RnnSpec.of(RnnCell.GRU, d, h),
            RnnSpec.of(RnnCell.GRU, d, h).withResetAfter(false)};
        for (RnnSpec s : cells) {
            String c = s.cell() + (s.cell() == RnnCell.GRU ? (s.resetAfter() ? "(reset_after)" : "(reset_before)") : "");
            out.add(new Config(c + " plain", s, batch, steps, new RnnProblems.Options(false, false, false)));
            out.add(new Config(c + " mask+initial", s, batch, steps, new RnnProblems.Options(true, false, true)));
            out.add(new Config(c + " mask+goBackwards+zeroOutput", s.withGoBackwards(true).withZeroOutputForMask(true),
                    batch, steps, new RnnProblems.Options(true, false, false)));
            out.add(new Config(c + " dropout+initial+goBackwards", s.withGoBackwards(true), batch, steps,
                    new RnnProblems.Options(false, true, true)));
            out.add(new Config(c + " noBias+softsign/hard_sigmoid+mask+dropout",
                    s.withBias(false).withActivations(UnaryOp.SOFTSIGN, UnaryOp.HARD_SIGMOID), batch, steps,
                    new RnnProblems.Options(true, true, true)));
        }
        return out;
    }

    /** How a sequence runs: the per-step kernels, or one of the persistent kernels. */
    enum Path {
        PER_STEP(null), PERSISTENT_STAGED(RnnSequence.Persistent.STAGED), PERSISTENT_FUSED(RnnSequence.Persistent.FUSED),
        PERSISTENT_BLOCK(RnnSequence.Persistent.BLOCK);

        final RnnSequence.Persistent kernel;

        Path(RnnSequence.Persistent kernel) {
            this.kernel = kernel;
        }
    }

    private static Stream<Arguments> onEveryPath(Stream<?> cases) {
        return cases.flatMap(c -> Stream.of(Path.values()).map(p -> Arguments.of(c, p)));
    }

    static Stream<Arguments> smallCases() {
        // Batch 3: the warp-per-unit step kernels; one cluster row for the cluster kernels; one slice
        // per unit for the one-SM kernel.
        return onEveryPath(configs(3, 6, 5, 7).stream());
    }

    static Stream<Arguments> tiledCases() {
        // Batch and units past one tile of the step kernels, several rows per cluster, several slices
        // (the last one partial) per unit of the one-SM kernel.
        return onEveryPath(configs(37, 9, 13, 70).stream().filter(c -> c.name().endsWith("mask+initial")
                || c.name().endsWith("dropout+initial+goBackwards")));
    }

    /**
     * What the fused kernel's lean loop takes (120 units: eight lanes per unit; one row per
     * cluster; default activations; no mask or dropout), with and without an initial state and
     * going backwards; on the other paths these are ordinary problems.
     */
    static List<Config> leanConfigs(int batch, int steps, int d, int h) {
        List<Config> out = new ArrayList<>();
        for (RnnSpec s : new RnnSpec[] {RnnSpec.of(RnnCell.SIMPLE, d, h), RnnSpec.of(RnnCell.LSTM, d, h),
            RnnSpec.of(RnnCell.GRU, d, h)}) {
            out.add(new Config(s.cell() + " lean plain", s, batch, steps, new RnnProblems.Options(false, false, false)));
            out.add(new Config(s.cell() + " lean initial+goBackwards", s.withGoBackwards(true), batch, steps,
                    new RnnProblems.Options(false, false, true)));
        }
        return out;
    }

    static Stream<Arguments> leanCases() {
        return onEveryPath(leanConfigs(2, 7, 9, 120).stream());
    }

    /** Runs {@code body} on a path; skips when that path does not take the spec on this GPU. */
    private static <T> T onPath(Device cuda, RnnSpec spec, int batch, Path path, Supplier<T> body) {
        CudaBackend backend = CudaTestSupport.backend(cuda);
        backend.usePersistent(path != Path.PER_STEP);
        backend.usePersistentKernel(path == Path.PER_STEP ? RnnSequence.Persistent.AUTO : path.kernel);
        try {
            if (path != Path.PER_STEP) {
                assumeTrue(backend.isPersistent(spec, batch), "skipped: the persistent kernel does not take "
                        + spec.cell() + (spec.resetAfter() ? "" : " (reset_before)") + " on " + backend.deviceName());
            }
            return body.get();
        } finally {
            backend.usePersistent(true);
            backend.usePersistentKernel(RnnSequence.Persistent.AUTO);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource({"smallCases", "tiledCases", "leanCases"})
    void forwardMatchesTheFloat64Reference(Config c, Path path) {
        Device cuda = CudaTestSupport.cuda();
        SplittableRandom rnd = new SplittableRandom(Compare.seed("rnn forward " + c));
        RnnReference.Problem p = RnnProblems.random(c.spec(), c.batch(), c.steps(), c.options(), rnd);
        RnnReference.Result ref = RnnReference.forward(p);
        onPath(cuda, c.spec(), c.batch(), path, () -> {
            RnnProblems.OnDevice g = RnnProblems.on(cuda, p);
            int h = c.spec().units();
            for (boolean training : new boolean[] {false, true}) {
                Tensor out = cuda.zeros(c.batch(), c.steps(), h);
                RnnState last = new RnnState(cuda.zeros(c.batch(), h),
                        c.spec().hasCellState() ? cuda.zeros(c.batch(), h) : null);
                Tensor ws = training ? cuda.zeros((int) cuda.rnnWorkspaceSize(c.spec(), c.batch(), c.steps())) : null;
                cuda.rnnForward(c.spec(), g.x(), g.mask(), g.drop(), g.weights(), g.initial(), out, last, ws);
                String what = c + " " + path + (training ? " training" : " inference");
                Compare.close(what + " output", ref.output(), out.toArray(), 2e-5, 2e-4);
                Compare.close(what + " last h", ref.lastH(), last.h().toArray(), 2e-5, 2e-4);
                if (last.c() != null) {
                    Compare.close(what + " last c", ref.lastC(), last.c().toArray(), 2e-5, 2e-4);
                }
            }
            return null;
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("smallCases")
    void everyGradientMatchesFloat64FiniteDifferences(Config c, Path path) {
        Device cuda = CudaTestSupport.cuda();
        SplittableRandom rnd = new SplittableRandom(Compare.seed("rnn backward " + c));
        RnnReference.Problem p = RnnProblems.random(c.spec(), 2, 5, c.options(), rnd);
        RnnSpec s = c.spec();
        int b = p.batch;
        int steps = p.steps;
        int h = s.units();
        // L = sum(out * gOut) + sum(lastH * gH) + sum(lastC * gC); the "plain" cases pass no dOutput.
        boolean withOutputs = !c.name().endsWith("plain");
        double[] gOut = withOutputs ? RnnProblems.values(rnd, b * steps * h, 1) : null;
        double[] gH = RnnProblems.values(rnd, b * h, 1);
        double[] gC = s.hasCellState() ? RnnProblems.values(rnd, b * h, 1) : null;
        onPath(cuda, s, b, path, () -> {
            RnnProblems.OnDevice g = RnnProblems.on(cuda, p);
            Tensor out = cuda.zeros(b, steps, h);
            Tensor ws = cuda.zeros((int) cuda.rnnWorkspaceSize(s, b, steps));
            cuda.rnnForward(s, g.x(), g.mask(), g.drop(), g.weights(), g.initial(), out, null, ws);
            Tensor dx = cuda.zeros(b, steps, s.inputSize());
            RnnWeights dw = new RnnWeights(cuda.zeros(s.kernelShape()), cuda.zeros(s.recurrentKernelShape()),
                    s.useBias() ? cuda.zeros(s.biasShape()) : null);
            RnnState dInit = new RnnState(p.h0 == null ? null : cuda.zeros(b, h),
                    p.c0 == null ? null : cuda.zeros(b, h));
            cuda.rnnBackward(s, g.x(), g.mask(), g.drop(), g.weights(), g.initial(), ws,
                    RnnProblems.tensor(cuda, gOut, b, steps, h),
                    new RnnState(RnnProblems.tensor(cuda, gH, b, h), RnnProblems.tensor(cuda, gC, b, h)), dx, dw,
                    dInit);
            String what = c + " " + path;
            Supplier<Double> loss = () -> loss(RnnReference.forward(p), gOut, gH, gC);
            Compare.close(what + " dx", numeric(p.x, loss), dx.toArray(), 1e-4, 1e-3);
            Compare.close(what + " dW", numeric(p.w, loss), dw.kernel().toArray(), 1e-4, 1e-3);
            Compare.close(what + " dU", numeric(p.u, loss), dw.recurrentKernel().toArray(), 1e-4, 1e-3);
            if (p.bias != null) {
                Compare.close(what + " db", numeric(p.bias, loss), dw.bias().toArray(), 1e-4, 1e-3);
            }
            if (p.h0 != null) {
                Compare.close(what + " dh0", numeric(p.h0, loss), dInit.h().toArray(), 1e-4, 1e-3);
            }
            if (p.c0 != null) {
                Compare.close(what + " dc0", numeric(p.c0, loss), dInit.c().toArray(), 1e-4, 1e-3);
            }
            return null;
        });
    }

    static Stream<Config> wideCases() {
        // 70 units: four lanes per unit in the one-SM kernel, the last slice partial (the LSTM's
        // one-gate-per-lane path); 128: the fixed cases' width.
        return Stream.of(70, 128).flatMap(h -> configs(2, 6, 9, h).stream()
                .filter(c -> c.name().endsWith("mask+initial") || c.name().endsWith("dropout+initial+goBackwards")));
    }

    /**
     * The persistent kernels' training workspace drives the same backward as the per-step kernels'
     * (whose gradients the finite-difference test above holds): every gradient agrees to float32
     * accuracy at widths where finite differences over every weight would be slow.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("wideCases")
    void persistentTrainingGivesThePerStepKernelsGradients(Config c) {
        Device cuda = CudaTestSupport.cuda();
        SplittableRandom rnd = new SplittableRandom(Compare.seed("rnn wide backward " + c));
        RnnReference.Problem p = RnnProblems.random(c.spec(), c.batch(), c.steps(), c.options(), rnd);
        RnnSpec s = c.spec();
        int b = c.batch();
        int h = s.units();
        double[] gOut = RnnProblems.values(rnd, b * c.steps() * h, 1);
        double[] gH = RnnProblems.values(rnd, b * h, 1);
        double[] gC = s.hasCellState() ? RnnProblems.values(rnd, b * h, 1) : null;
        Supplier<Map<String, float[]>> gradients = () -> gradients(cuda, p, gOut, gH, gC);
        Map<String, float[]> perStep = onPath(cuda, s, b, Path.PER_STEP, gradients);
        for (Path path : new Path[] {Path.PERSISTENT_BLOCK, Path.PERSISTENT_FUSED, Path.PERSISTENT_STAGED}) {
            CudaBackend backend = CudaTestSupport.backend(cuda);
            backend.usePersistentKernel(path.kernel);
            boolean takes = backend.isPersistent(s, b);
            backend.usePersistentKernel(RnnSequence.Persistent.AUTO);
            if (!takes) {
                continue;  // the per-step kernels would run: nothing to compare
            }
            Map<String, float[]> persistent = onPath(cuda, s, b, path, gradients);
            perStep.forEach((name, expected) -> Compare.close(c + " " + path + " " + name
                    + " against the per-step kernels' (float32 accuracy)", expected, persistent.get(name), 2e-5, 2e-4));
        }
    }

    static Stream<Config> gemmBackwardCases() {
        // Batch 12: the tiled step kernels. 70 units: gate widths of 70, 210 and 280 (the last
        // 16-byte aligned, the others not, so both SGEMM families run); 128: the fixed cases' width.
        return Stream.of(70, 128).flatMap(h -> configs(12, 7, 13, h).stream()
                .filter(c -> !c.options().drop() && !c.name().contains("reset_before")));
    }

    /**
     * The opt-in backward whose per-step recurrent product is an SGEMM gives the step kernels'
     * gradients (which the finite-difference test holds) to float32 accuracy: the same sums over
     * the gate columns, taken in another order.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("gemmBackwardCases")
    void theSgemmBackwardGivesTheStepKernelsGradients(Config c) {
        Device cuda = CudaTestSupport.cuda();
        CudaBackend backend = CudaTestSupport.backend(cuda);
        SplittableRandom rnd = new SplittableRandom(Compare.seed("rnn gemm backward " + c));
        RnnReference.Problem p = RnnProblems.random(c.spec(), c.batch(), c.steps(), c.options(), rnd);
        int b = c.batch();
        int h = c.spec().units();
        double[] gOut = RnnProblems.values(rnd, b * c.steps() * h, 1);
        double[] gH = RnnProblems.values(rnd, b * h, 1);
        double[] gC = c.spec().hasCellState() ? RnnProblems.values(rnd, b * h, 1) : null;
        Supplier<Map<String, float[]>> run = () -> gradients(cuda, p, gOut, gH, gC);
        Map<String, float[]> stepKernels = onPath(cuda, c.spec(), b, Path.PER_STEP, run);
        backend.useGemmBackward(true);
        try {
            assertThat(backend.takesGemmBackward(c.spec(), b)).as("%s takes the SGEMM backward", c).isTrue();
            Map<String, float[]> viaGemm = onPath(cuda, c.spec(), b, Path.PER_STEP, run);
            stepKernels.forEach((name, expected) -> Compare.close(c + " SGEMM backward " + name
                    + " against the step kernels' (float32 accuracy)", expected, viaGemm.get(name), 2e-5, 2e-4));
        } finally {
            backend.useGemmBackward(false);
        }
    }

    /**
     * Forward with a training workspace, then backward of L = sum(out·gOut) + sum(lastH·gH) +
     * sum(lastC·gC): every gradient, by name (dx, dW, dU, dh0, and db, dc0 where they exist).
     */
    private static Map<String, float[]> gradients(Device cuda, RnnReference.Problem p, double[] gOut, double[] gH,
            double[] gC) {
        RnnSpec s = p.spec;
        int b = p.batch;
        int steps = p.steps;
        int h = s.units();
        RnnProblems.OnDevice g = RnnProblems.on(cuda, p);
        Tensor ws = cuda.zeros((int) cuda.rnnWorkspaceSize(s, b, steps));
        cuda.rnnForward(s, g.x(), g.mask(), g.drop(), g.weights(), g.initial(), cuda.zeros(b, steps, h), null, ws);
        Tensor dx = cuda.zeros(b, steps, s.inputSize());
        RnnWeights dw = new RnnWeights(cuda.zeros(s.kernelShape()), cuda.zeros(s.recurrentKernelShape()),
                s.useBias() ? cuda.zeros(s.biasShape()) : null);
        RnnState dInit = new RnnState(cuda.zeros(b, h), s.hasCellState() ? cuda.zeros(b, h) : null);
        cuda.rnnBackward(s, g.x(), g.mask(), g.drop(), g.weights(), g.initial(), ws,
                RnnProblems.tensor(cuda, gOut, b, steps, h),
                new RnnState(RnnProblems.tensor(cuda, gH, b, h), RnnProblems.tensor(cuda, gC, b, h)), dx, dw, dInit);
        Map<String, float[]> out = new LinkedHashMap<>();
        out.put("dx", dx.toArray());
        out.put("dW", dw.kernel().toArray());
        out.put("dU", dw.recurrentKernel().toArray());
        out.put("dh0", dInit.h().toArray());
        if (dw.bias() != null) {
            out.put("db", dw.bias().toArray());
        }
        if (dInit.c() != null) {
            out.put("dc0", dInit.c().toArray());
        }
        return out;
    }

    private static double loss(RnnReference.Result r, double[] gOut, double[] gH, double[] gC) {
        double l = dot(r.lastH(), gH);
        if (gOut != null) {
            l += dot(r.output(), gOut);
        }
        if (gC != null) {
            l += dot(r.lastC(), gC);
        }
        return l;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Central differences of the float64 loss w.r.t. every element of {@code param}, perturbed in place. */
    private static double[] numeric(double[] param, Supplier<Double> loss) {
        double eps = 1e-5;
        double[] g = new double[param.length];
        for (int i = 0; i < param.length; i++) {
            double keep = param[i];
            param[i] = keep + eps;
            double up = loss.get();
            param[i] = keep - eps;
            double down = loss.get();
            param[i] = keep;
            g[i] = (up - down) / (2 * eps);
        }
        return g;
    }

    static Stream<Arguments> fixedCases() {
        return onEveryPath(Stream.of(RnnCase.values()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("fixedCases")
    void theFixedCasesReproduceTheirChecksums(RnnCase k, Path path) {
        reproducesItsChecksums(CudaTestSupport.cuda(), k, path);
    }

    /** L4 and G4 with the opt-in SGEMM backward: their gradient sums as rnn-cases.md gives them. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = RnnCase.class, names = {"L4", "G4"})
    void theTrainingCasesKeepTheirGradientSumsWithTheSgemmBackward(RnnCase k) {
        Device cuda = CudaTestSupport.cuda();
        CudaBackend backend = CudaTestSupport.backend(cuda);
        backend.useGemmBackward(true);
        try {
            assertThat(backend.takesGemmBackward(k.spec(), k.batch)).as("%s takes the SGEMM backward", k).isTrue();
            reproducesItsChecksums(cuda, k, Path.PER_STEP);
        } finally {
            backend.useGemmBackward(false);
        }
    }

    /** A fixed case's output sums, and for a training case its gradient sums, against rnn-cases.md. */
    private static void reproducesItsChecksums(Device cuda, RnnCase k, Path path) {
        RnnSpec s = k.spec();
        onPath(cuda, s, k.batch, path, () -> {
            RnnWeights w = k.weights(cuda);
            Tensor x = k.input(cuda);
            Tensor out = cuda.zeros(k.batch, k.steps, k.units);
            Tensor ws = k.training ? cuda.zeros((int) cuda.rnnWorkspaceSize(s, k.batch, k.steps)) : null;
            cuda.rnnForward(s, x, null, null, w, null, out, null, ws);
            double[] sums = RnnCase.checksums(out.toArray(), k.batch, k.steps, k.units);
            String what = k + " " + path;
            assertThat(sums[0]).as(what + " sum of outputs").isCloseTo(k.expectedSum,
                    org.assertj.core.data.Offset.offset(1e-4 * Math.abs(k.expectedSum) + 1e-3));
            assertThat(sums[1]).as(what + " sum of last h").isCloseTo(k.expectedLastH,
                    org.assertj.core.data.Offset.offset(1e-4 * Math.abs(k.expectedLastH) + 1e-3));
            if (k.training) {
                Tensor ones = cuda.full(out.shape(), 1f);
                Tensor dx = cuda.zeros(x.shape());
                RnnWeights dw = new RnnWeights(cuda.zeros(s.kernelShape()), cuda.zeros(s.recurrentKernelShape()),
                        cuda.zeros(s.biasShape()));
                cuda.rnnBackward(s, x, null, null, w, null, ws, ones, null, dx, dw, null);
                double[] expected = k.expectedGradientSums();
                double[] gradSums = gradientSums(dw, dx);
                String[] names = {"dL/dW", "dL/dU", "dL/db", "dL/dx"};
                for (int i = 0; i < 4; i++) {
                    assertThat(gradSums[i]).as(what + " sum of " + names[i])
                            .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(gradientSumBound(expected[i])));
                }
            }
            return null;
        });
    }

    /** The sums of dW, dU, db and dx, in the order of {@link RnnCase#expectedGradientSums()}. */
    static double[] gradientSums(RnnWeights dw, Tensor dx) {
        Tensor[] grads = {dw.kernel(), dw.recurrentKernel(), dw.bias(), dx};
        double[] sums = new double[grads.length];
        for (int i = 0; i < grads.length; i++) {
            for (float v : grads[i].toArray()) {
                sums[i] += v;
            }
        }
        return sums;
    }

    /** How far a fixed case's gradient sum may be from rnn-cases.md's on the GPU. */
    static double gradientSumBound(double expected) {
        return 2e-4 * Math.abs(expected) + 1e-2;
    }

    /**
     * The lean loop computes what the general fused loop does, operation for operation: the same
     * bits, at eight lanes per unit (120 units) and sixteen (256), forwards and backwards in time.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("leanBitCases")
    void theLeanLoopGivesTheGeneralFusedLoopsBits(Config c) {
        Device cuda = CudaTestSupport.cuda();
        CudaBackend backend = CudaTestSupport.backend(cuda);
        SplittableRandom rnd = new SplittableRandom(Compare.seed("rnn lean " + c));
        RnnReference.Problem p = RnnProblems.random(c.spec(), c.batch(), c.steps(), c.options(), rnd);
        assumeTrue(backend.computeCapability() >= 90, "skipped: clusters need compute capability 9.0");
        backend.usePersistentKernel(RnnSequence.Persistent.FUSED);
        try {
            assertThat(backend.takesLeanLoop(c.spec(), c.batch())).as(c + " takes the lean loop").isTrue();
            RnnProblems.OnDevice g = RnnProblems.on(cuda, p);
            float[][] lean = forwardArrays(cuda, c, g);
            backend.useLeanLoop(false);
            float[][] general = forwardArrays(cuda, c, g);
            String[] names = {"output", "last h", "last c"};
            for (int i = 0; i < lean.length; i++) {
                assertThat(lean[i]).as(c + " " + names[i] + ", lean against general loop (bit for bit)")
                        .isEqualTo(general[i]);
            }
        } finally {
            backend.useLeanLoop(true);
            backend.usePersistentKernel(RnnSequence.Persistent.AUTO);
        }
    }

    static Stream<Config> leanBitCases() {
        return Stream.concat(leanConfigs(1, 9, 9, 120).stream(), leanConfigs(2, 5, 64, 256).stream());
    }

    private static float[][] forwardArrays(Device cuda, Config c, RnnProblems.OnDevice g) {
        int h = c.spec().units();
        Tensor out = cuda.zeros(c.batch(), c.steps(), h);
        RnnState last = new RnnState(cuda.zeros(c.batch(), h), c.spec().hasCellState() ? cuda.zeros(c.batch(), h)
                : null);
        cuda.rnnForward(c.spec(), g.x(), g.mask(), g.drop(), g.weights(), g.initial(), out, last, null);
        return last.c() == null ? new float[][] {out.toArray(), last.h().toArray()}
                : new float[][] {out.toArray(), last.h().toArray(), last.c().toArray()};
    }

    @ParameterizedTest
    @EnumSource(value = RnnCase.class, names = {"L1", "L2", "G1", "G2", "S1", "L3", "G3", "S3"})
    void theFixedCasesRunInThePersistentKernelTheyAreFastestInOnHopper(RnnCase k) {
        Device cuda = CudaTestSupport.cuda();
        CudaBackend backend = CudaTestSupport.backend(cuda);
        assumeTrue(backend.computeCapability() >= 90, "skipped: clusters need compute capability 9.0, "
                + backend.deviceName() + " has " + backend.computeCapability());
        assertThat(backend.persistentKernel(k.spec(), k.batch)).as(k + " persistent kernel")
                .isEqualTo(k.batch == 1 ? RnnSequence.Persistent.FUSED : RnnSequence.Persistent.STAGED);
        assertThat(backend.takesLeanLoop(k.spec(), k.batch)).as(k + " in the fused kernel's lean loop")
                .isEqualTo(k.batch == 1);
    }
}
