package io.rnn4j.kernels.cuda;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Devices;
import io.rnn4j.engine.RnnCase;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnWeights;
import io.rnn4j.engine.Tensor;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Times the fixed cases (shared/rnn-cases.md) and SGEMM shapes on the GPU, for gpu-check.sh on
 * hosts without a JDK or Maven (JMH lives in the bench module; this is the GPU host's quick look).
 * Each number is the median over 7 rounds of the mean time of one call in a round of back-to-back
 * calls ended by a synchronize, after a warm-up; GEMMs also get the device time between two CUDA
 * events. GEMMs go first (each aligned kernel family, split-K, TF32), then the cases on every path
 * (default, the fused kernel's general loop where the default is its lean loop, every other
 * persistent kernel that takes the case, per-step kernels replayed from a CUDA graph and launched
 * one by one); for a batch-1 inference case, a call of one step on the fused paths too (printed, not
 * in the tsv: the call's fixed cost). Writes {@code rnn4j-times.tsv} and, for the cuDNN anchor,
 * each case's weights and inputs as little-endian float32 ({@code <case>.bin}: W, U, bias, x) with
 * {@code cases.tsv} describing them.
 *
 * <p>Usage: {@code CudaCaseTimer <output folder>}. {@code -Drnn4j.timer.only=G1,S1} times only those
 * cases ({@code sgemm} names the GEMMs), say to profile one kernel under Nsight Compute quickly.
 */
public final class CudaCaseTimer {
    private CudaCaseTimer() {
    }

    /**
     * GEMM shapes: the two speed targets, a training case's weight gradients (long k, few tiles),
     * then L4's per-step recurrent product in backward, dz·Uᵀ (64×256 from k = 1024), which the step
     * kernel now computes itself: whether a GEMM per step would beat its share of the step.
     */
    private static final int[][] GEMMS = {
        {3200, 1024, 64, 0, 0}, {4096, 4096, 4096, 0, 0},
        {64, 1024, 3200, 1, 0}, {256, 1024, 3200, 1, 0}, {3200, 64, 1024, 0, 1},
        {64, 256, 1024, 0, 1}};

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "gpu-check-out");
        Files.createDirectories(dir);
        Device cuda = Devices.get("cuda");
        CudaBackend backend = (CudaBackend) cuda.backend();
        System.out.println("device: " + backend.deviceName() + " (sm_" + backend.computeCapability() + ", "
                + backend.multiprocessors() + " SMs, " + backend.clockKHz() / 1000 + " MHz)");
        List<String> only = only();
        List<String> rows = new ArrayList<>();
        double peak = 2.0 * 128 * backend.multiprocessors() * backend.clockKHz() * 1e3;  // FMA = 2 flops
        for (int[] g : only.isEmpty() || only.contains("sgemm") ? GEMMS : new int[0][]) {
            for (GemmPath path : GemmPath.values()) {
                String row = timeGemm(cuda, backend, g[0], g[1], g[2], g[3] == 1, g[4] == 1, path, peak);
                rows.add(row);
                System.out.println(row);
            }
        }
        try (PrintWriter cases = new PrintWriter(Files.newBufferedWriter(dir.resolve("cases.tsv")))) {
            cases.println("case\tcell\tbatch\tsteps\tinput\tunits\ttraining\tsum\tlastH");
            for (RnnCase k : RnnCase.values()) {
                if (!only.isEmpty() && !only.contains(k.name())) {
                    continue;
                }
                dump(dir, k, cases);
                for (Kernels p : paths(backend, k)) {
                    String row = timeCase(cuda, backend, k, p, k.steps);
                    rows.add(row);
                    System.out.println(row);
                    if (k.batch == 1 && !k.training && (p == Kernels.DEFAULT || p == Kernels.FUSED_GENERAL)) {
                        // Not in the tsv: one step shows the call's fixed cost (launches, prologue).
                        System.out.println("  " + timeCase(cuda, backend, k, p, 1).replaceFirst("\tsum.*", "")
                                + "\tone step");
                    }
                }
            }
        }
        Files.write(dir.resolve("rnn4j-times.tsv"), rows);  // the anchor prints them beside cuDNN's
    }

    /** The names in {@code rnn4j.timer.only}, refused unless each is a case or "sgemm"; empty: everything. */
    private static List<String> only() {
        String value = System.getProperty("rnn4j.timer.only", "").trim();
        if (value.isEmpty()) {
            return List.of();
        }
        List<String> names = Arrays.stream(value.split(",")).map(String::trim).toList();
        for (String name : names) {
            if (!name.equals("sgemm") && Arrays.stream(RnnCase.values()).noneMatch(c -> c.name().equals(name))) {
                throw new IllegalArgumentException("rnn4j.timer.only: expected case names (" + Arrays.toString(
                        RnnCase.values()) + ") or sgemm, separated by commas, got '" + name + "' in '" + value + "'");
            }
        }
        return names;
    }

    /** How a GEMM runs: the default choice, a pinned kernel family, gemm.cu's kernels, or TF32. */
    private enum GemmPath {
        DEFAULT(PipelinedGemmPlan.Variant.AUTO, true), P256_NO_SPLIT(PipelinedGemmPlan.Variant.P256, false),
        P128_NO_SPLIT(PipelinedGemmPlan.Variant.P128, false), P64(PipelinedGemmPlan.Variant.P64, true),
        REGISTER_STAGED(PipelinedGemmPlan.Variant.AUTO, true), TF32(PipelinedGemmPlan.Variant.AUTO, true);

        /** The pipelined family pinned (AUTO: the backend's choice), and whether k may be split. */
        final PipelinedGemmPlan.Variant variant;
        final boolean splitK;

        GemmPath(PipelinedGemmPlan.Variant variant, boolean splitK) {
            this.variant = variant;
            this.splitK = splitK;
        }
    }

    /**
     * The kernels a case runs on: the default choice, the fused kernel's general loop where the
     * default is its lean loop, a training case's backward with its per-step products as SGEMMs, a
     * persistent kernel forced (the ones the default is not), the per-step ones.
     */
    private enum Kernels {
        DEFAULT(null), FUSED_GENERAL(null), GEMM_BACKWARD(null), BLOCK(RnnSequence.Persistent.BLOCK),
        FUSED(RnnSequence.Persistent.FUSED), STAGED(RnnSequence.Persistent.STAGED), PER_STEP_GRAPH(null),
        PER_STEP_NO_GRAPH(null);

        final RnnSequence.Persistent forced;

        Kernels(RnnSequence.Persistent forced) {
            this.forced = forced;
        }
    }

    /** DEFAULT, the other persistent kernels that take the case, and the per-step kernels. */
    private static List<Kernels> paths(CudaBackend backend, RnnCase k) {
        RnnSequence.Persistent chosen = backend.persistentKernel(k.spec(), k.batch);
        List<Kernels> out = new ArrayList<>(List.of(Kernels.DEFAULT));
        if (!k.training && backend.takesLeanLoop(k.spec(), k.batch)) {
            out.add(Kernels.FUSED_GENERAL);
        }
        if (k.training && RnnSequence.gemmBackwardFits(k.spec(), k.batch, false)) {
            out.add(Kernels.GEMM_BACKWARD);
        }
        if (chosen != null) {
            for (Kernels p : Kernels.values()) {
                if (p.forced != null && p.forced != chosen) {
                    backend.usePersistentKernel(p.forced);
                    if (backend.isPersistent(k.spec(), k.batch)) {
                        out.add(p);
                    }
                    backend.usePersistentKernel(RnnSequence.Persistent.AUTO);
                }
            }
            out.add(Kernels.PER_STEP_GRAPH);
        }
        out.add(Kernels.PER_STEP_NO_GRAPH);
        return out;
    }

    /** Forward (inference), or forward with workspace + backward of sum(outputs) for training cases. */
    private static String timeCase(Device cuda, CudaBackend backend, RnnCase k, Kernels chosen, int steps) {
        RnnSpec s = k.spec();
        boolean perStep = chosen == Kernels.PER_STEP_GRAPH || chosen == Kernels.PER_STEP_NO_GRAPH;
        backend.usePersistent(!perStep);
        backend.useGraphs(chosen != Kernels.PER_STEP_NO_GRAPH);
        backend.useLeanLoop(chosen != Kernels.FUSED_GENERAL);
        backend.useGemmBackward(chosen == Kernels.GEMM_BACKWARD);
        if (chosen.forced != null) {
            backend.usePersistentKernel(chosen.forced);
        }
        try {
            RnnSequence.Persistent used = backend.persistentKernel(s, k.batch);
            String path = used == null ? (chosen == Kernels.PER_STEP_NO_GRAPH ? "per-step" : "per-step graph")
                    : used.name().toLowerCase(Locale.ROOT);
            path += switch (chosen) {
                case DEFAULT -> " (default)";
                case FUSED_GENERAL -> ", general";
                case GEMM_BACKWARD -> ", SGEMM backward";
                default -> "";
            };
            RnnWeights w = k.weights(cuda);
            Tensor x = steps == k.steps ? k.input(cuda)
                    : cuda.full(io.rnn4j.engine.Shape.of(k.batch, steps, k.inputSize), 0.5f);
            Tensor out = cuda.zeros(k.batch, steps, k.units);
            Tensor ws = k.training ? cuda.zeros((int) cuda.rnnWorkspaceSize(s, k.batch, steps)) : null;
            Tensor ones = cuda.full(out.shape(), 1f);
            Tensor dx = cuda.zeros(x.shape());
            RnnWeights dw = new RnnWeights(cuda.zeros(s.kernelShape()), cuda.zeros(s.recurrentKernelShape()),
                    cuda.zeros(s.biasShape()));
            Runnable call = () -> {
                cuda.rnnForward(s, x, null, null, w, null, out, null, ws);
                if (k.training) {
                    cuda.rnnBackward(s, x, null, null, w, null, ws, ones, null, dx, dw, null);
                }
            };
            double us = median(call, backend);
            double[] sums = RnnCase.checksums(out.toArray(), k.batch, steps, k.units);
            boolean ok = Math.abs(sums[0] - k.expectedSum) <= 1e-4 * Math.abs(k.expectedSum) + 1e-3;
            String check = String.format(Locale.ROOT, "sum %.6g (expected %.6g) %s", sums[0], k.expectedSum,
                    ok ? "ok" : "MISMATCH");
            if (k.training && steps == k.steps) {
                check += ", " + gradientCheck(k, dw, dx);
            }
            return String.format(Locale.ROOT, "%s\t%s\t%.1f\t%s", k, path, us, check);
        } finally {
            backend.usePersistent(true);
            backend.usePersistentKernel(RnnSequence.Persistent.AUTO);
            backend.useGraphs(true);
            backend.useLeanLoop(true);
            backend.useGemmBackward(false);
        }
    }

    /** The sums of dW, dU, db and dx against rnn-cases.md's, to CudaRnnTest's bound for them. */
    private static String gradientCheck(RnnCase k, RnnWeights dw, Tensor dx) {
        double[] expected = k.expectedGradientSums();
        double[] sums = CudaRnnTest.gradientSums(dw, dx);
        String[] names = {"dW", "dU", "db", "dx"};
        StringBuilder bad = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            if (Math.abs(sums[i] - expected[i]) > CudaRnnTest.gradientSumBound(expected[i])) {
                bad.append(String.format(Locale.ROOT, " %s %.6g (expected %.6g)", names[i], sums[i], expected[i]));
            }
        }
        return bad.isEmpty() ? "gradient sums ok" : "GRADIENT MISMATCH:" + bad;
    }

    private static String timeGemm(Device cuda, CudaBackend backend, int m, int n, int k, boolean ta, boolean tb,
            GemmPath path, double peak) {
        backend.useGemmVariant(path.variant);
        backend.useGemmSplitK(path.splitK);
        backend.useGemmPipelined(path != GemmPath.REGISTER_STAGED);
        backend.useTf32(path == GemmPath.TF32);
        try (Tensor a = cuda.full(ta ? io.rnn4j.engine.Shape.of(k, m) : io.rnn4j.engine.Shape.of(m, k), 0.5f);
                Tensor b = cuda.full(tb ? io.rnn4j.engine.Shape.of(n, k) : io.rnn4j.engine.Shape.of(k, n), 0.25f);
                Tensor c = cuda.zeros(m, n)) {
            Runnable call = () -> cuda.gemm(ta, tb, 1f, a, b, 0f, c);
            double us = median(call, backend);
            int calls = (int) Math.max(3, Math.min(2000, 50_000 / us));
            double device = backend.deviceMicros(call, calls);
            double flops = 2.0 * m * n * k;
            boolean ok = c.get(m - 1, n - 1) == 0.125f * k && c.get(0, 0) == 0.125f * k;
            String shape = String.format(Locale.ROOT, "%dx%dx%d %s%s %s", m, n, k, ta ? "T" : "N", tb ? "T" : "N",
                    path.name().toLowerCase(Locale.ROOT));
            return String.format(Locale.ROOT,
                    "sgemm\t%s\t%.1f\twall %.1f TFLOP/s = %.0f%%, device %.1f us = %.1f TFLOP/s = %.0f%% of fp32 peak %.1f %s",
                    shape, us, flops / us / 1e6, 100 * flops / (us * 1e-6) / peak, device, flops / device / 1e6,
                    100 * flops / (device * 1e-6) / peak, peak / 1e12, ok ? "ok" : "WRONG RESULT");
        } finally {
            backend.useGemmVariant(PipelinedGemmPlan.Variant.AUTO);
            backend.useGemmSplitK(true);
            backend.useGemmPipelined(true);
            backend.useTf32(false);
        }
    }

    /** Median over 7 rounds of the per-call mean (µs), each round lasting about 50 ms. */
    private static double median(Runnable call, CudaBackend backend) {
        for (int i = 0; i < 20; i++) {
            call.run();
        }
        backend.synchronize();
        long t0 = System.nanoTime();
        int probe = 0;
        while (System.nanoTime() - t0 < 30_000_000L) {
            call.run();
            probe++;
            if (probe % 10 == 0) {
                backend.synchronize();
            }
        }
        backend.synchronize();
        double perCall = (System.nanoTime() - t0) / (double) probe;
        int n = (int) Math.max(5, Math.min(20_000, 50e6 / perCall));
        double[] rounds = new double[7];
        for (int r = 0; r < rounds.length; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                call.run();
            }
            backend.synchronize();
            rounds[r] = (System.nanoTime() - start) / 1e3 / n;
        }
        Arrays.sort(rounds);
        return rounds[rounds.length / 2];
    }

    private static void dump(Path dir, RnnCase k, PrintWriter cases) throws IOException {
        cases.printf(Locale.ROOT, "%s\t%s\t%d\t%d\t%d\t%d\t%b\t%s\t%s%n", k, k.cell, k.batch, k.steps, k.inputSize,
                k.units, k.training, k.expectedSum, k.expectedLastH);
        float[][] w = k.weightValues();
        try (OutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(k + ".bin")))) {
            for (float[] part : new float[][] {w[0], w[1], w[2], k.inputValues()}) {
                ByteBuffer buf = ByteBuffer.allocate(part.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(part);
                out.write(buf.array());
            }
        }
    }
}
