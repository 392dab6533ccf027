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
 * Times the fixed cases (shared/rnn-cases.md) and two SGEMM shapes on the GPU, for gpu-check.sh on
 * hosts without a JDK or Maven (JMH lives in the bench module; this is the GPU host's quick look).
 * Each number is the median over 7 rounds of the mean time of one call in a round of back-to-back
 * calls ended by a synchronize, after a warm-up. Writes {@code rnn4j-times.tsv} and, for the
 * cuDNN anchor, each case's weights and inputs as little-endian float32 ({@code <case>.bin}: W, U,
 * bias, x) with {@code cases.tsv} describing them.
 *
 * <p>Usage: {@code CudaCaseTimer <output folder>}.
 */
public final class CudaCaseTimer {
    private CudaCaseTimer() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "gpu-check-out");
        Files.createDirectories(dir);
        Device cuda = Devices.get("cuda");
        CudaBackend backend = (CudaBackend) cuda.backend();
        System.out.println("device: " + backend.deviceName() + " (sm_" + backend.computeCapability() + ", "
                + backend.multiprocessors() + " SMs, " + backend.clockKHz() / 1000 + " MHz)");
        List<String> rows = new ArrayList<>();
        try (PrintWriter cases = new PrintWriter(Files.newBufferedWriter(dir.resolve("cases.tsv")))) {
            cases.println("case\tcell\tbatch\tsteps\tinput\tunits\ttraining\tsum\tlastH");
            for (RnnCase k : RnnCase.values()) {
                dump(dir, k, cases);
                rows.add(timeCase(cuda, backend, k, Kernels.DEFAULT));
                if (backend.isPersistent(k.spec(), k.batch)) {
                    rows.add(timeCase(cuda, backend, k, Kernels.OTHER_PERSISTENT));
                    rows.add(timeCase(cuda, backend, k, Kernels.PER_STEP));
                }
            }
        }
        double peak = 2.0 * 128 * backend.multiprocessors() * backend.clockKHz() * 1e3;  // FMA = 2 flops
        rows.add(timeGemm(cuda, backend, 3200, 1024, 64, peak));
        rows.add(timeGemm(cuda, backend, 4096, 4096, 4096, peak));
        Path tsv = dir.resolve("rnn4j-times.tsv");
        Files.write(tsv, rows);
        System.out.println();
        System.out.printf(Locale.ROOT, "%-6s %-18s %12s  %s%n", "case", "path", "rnn4j us", "check");
        for (String r : rows) {
            String[] f = r.split("\t");
            System.out.printf(Locale.ROOT, "%-6s %-18s %12s  %s%n", f[0], f[1], f[2], f[3]);
        }
    }

    /** The kernels a case runs on: the default choice, the other persistent kernel, the per-step ones. */
    private enum Kernels {
        DEFAULT, OTHER_PERSISTENT, PER_STEP
    }

    /** Forward (inference), or forward with workspace + backward of sum(outputs) for training cases. */
    private static String timeCase(Device cuda, CudaBackend backend, RnnCase k, Kernels chosen) {
        RnnSpec s = k.spec();
        backend.usePersistent(chosen != Kernels.PER_STEP);
        if (chosen == Kernels.OTHER_PERSISTENT) {
            backend.usePersistentKernel(backend.persistentKernel(s, k.batch) == RnnSequence.Persistent.FUSED
                    ? RnnSequence.Persistent.STAGED : RnnSequence.Persistent.FUSED);
        }
        try {
            RnnSequence.Persistent used = backend.persistentKernel(s, k.batch);
            String path = used == null ? "per-step" : used.name().toLowerCase(Locale.ROOT)
                    + (chosen == Kernels.DEFAULT ? " (default)" : "");
            RnnWeights w = k.weights(cuda);
            Tensor x = k.input(cuda);
            Tensor out = cuda.zeros(k.batch, k.steps, k.units);
            Tensor ws = k.training ? cuda.zeros((int) cuda.rnnWorkspaceSize(s, k.batch, k.steps)) : null;
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
            double[] sums = RnnCase.checksums(out.toArray(), k.batch, k.steps, k.units);
            boolean ok = Math.abs(sums[0] - k.expectedSum) <= 1e-4 * Math.abs(k.expectedSum) + 1e-3;
            String check = String.format(Locale.ROOT, "sum %.6g (expected %.6g) %s", sums[0], k.expectedSum,
                    ok ? "ok" : "MISMATCH");
            return String.format(Locale.ROOT, "%s\t%s\t%.1f\t%s", k, path, us, check);
        } finally {
            backend.usePersistent(true);
            backend.usePersistentKernel(RnnSequence.Persistent.AUTO);
        }
    }

    private static String timeGemm(Device cuda, CudaBackend backend, int m, int n, int k, double peak) {
        Tensor a = cuda.full(io.rnn4j.engine.Shape.of(m, k), 0.5f);
        Tensor b = cuda.full(io.rnn4j.engine.Shape.of(k, n), 0.25f);
        Tensor c = cuda.zeros(m, n);
        double us = median(() -> cuda.gemm(false, false, 1f, a, b, 0f, c), backend);
        double flops = 2.0 * m * n * k / (us * 1e-6);
        boolean ok = c.get(m - 1, n - 1) == 0.125f * k;
        return String.format(Locale.ROOT, "sgemm\t%dx%dx%d\t%.1f\t%.1f TFLOP/s = %.0f%% of fp32 peak %.1f %s", m, n, k,
                us, flops / 1e12, 100 * flops / peak, peak / 1e12, ok ? "ok" : "WRONG RESULT");
    }

    /** Median over 7 rounds of the per-call mean (µs), each round lasting about 100 ms. */
    private static double median(Runnable call, CudaBackend backend) {
        for (int i = 0; i < 20; i++) {
            call.run();
        }
        backend.synchronize();
        long t0 = System.nanoTime();
        int probe = 0;
        while (System.nanoTime() - t0 < 50_000_000L) {
            call.run();
            probe++;
            if (probe % 10 == 0) {
                backend.synchronize();
            }
        }
        backend.synchronize();
        double perCall = (System.nanoTime() - t0) / (double) probe;
        int n = (int) Math.max(5, Math.min(20_000, 100e6 / perCall));
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
