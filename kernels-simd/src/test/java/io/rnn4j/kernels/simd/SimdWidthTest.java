package io.rnn4j.kernels.simd;

import static org.assertj.core.api.Assertions.fail;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Devices;
import io.rnn4j.engine.ReduceOp;
import io.rnn4j.engine.RnnCell;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.engine.scalar.ScalarBackend;
import io.rnn4j.engine.testing.RnnProblem;
import io.rnn4j.engine.testing.RnnRun;
import io.rnn4j.kernels.simd.platform.SimdConstants;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every vector loop of the backend at the width this JVM runs ({@code -Drnn4j.simd.bits}), against
 * the scalar backend, on lengths around that width: the build runs this class once per width (128,
 * 256, 512; the {@code widths} tag), since a species is a constant C2 compiles in and cannot change
 * inside one JVM. The engine's contract tests cover the same ops far more widely, at the machine's
 * own width.
 *
 * <p>Bars: pointwise results within 4·10⁻⁶ relative (gradients + 2⁻²⁰·|dy|); reductions and recurrent
 * sequences within 2·10⁻⁵·(1 + |scalar|), gradients within 1e-4·max(1, max|scalar|).
 */
@Tag("widths")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimdWidthTest {
    private static final long SEED = 0x51d0_3a7eL;
    private Device simd;
    private Device scalar;
    private int lanes;

    @BeforeAll
    void open() {
        simd = Devices.wrap(new SimdBackend());
        scalar = Devices.wrap(new ScalarBackend());
        lanes = SimdConstants.LANES;
        System.out.println("SimdWidthTest at " + SimdConstants.describe() + " (seed " + SEED + ")");
    }

    @AfterAll
    void close() {
        simd.close();
        scalar.close();
    }

    /** 1, one vector less one, one vector, one more, several vectors with a tail, large. */
    private int[] lengths() {
        return new int[] {1, lanes - 1, lanes, lanes + 1, 3 * lanes + 5, 257};
    }

    @Test
    void everyUnaryOpAndItsGradientMatchScalar() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        for (UnaryOp op : UnaryOp.values()) {
            for (int n : lengths()) {
                float[] x = values(rnd, n, op == UnaryOp.LOG || op == UnaryOp.SQRT);
                float[] dy = values(rnd, n, false);
                String what = op + " n=" + n;
                close(what, run(simd, d -> unary(d, op, x)), run(scalar, d -> unary(d, op, x)), 4e-6, 1e-30);
                // The derivative of a saturating function is a difference near 1: its error is
                // absolute, in ulps of 1, times dy (the engine's contract uses the same bar).
                float[] got = run(simd, d -> unaryBackward(d, op, x, dy));
                float[] want = run(scalar, d -> unaryBackward(d, op, x, dy));
                for (int i = 0; i < n; i++) {
                    close(what + " backward", new float[] {got[i]}, new float[] {want[i]}, 4e-6,
                            0x1p-20 * Math.abs(dy[i]) + Float.MIN_NORMAL);
                }
            }
        }
    }

    @Test
    void binaryOpsMatchScalarForEveryBroadcastPattern() {
        SplittableRandom rnd = new SplittableRandom(SEED + 1);
        int m = lanes + 3;
        int[][][] patterns = {
            {{3, m}, {3, m}}, {{3, m}, {1, m}}, {{3, m}, {3, 1}}, {{3, 1}, {1, m}}, {{1, 1}, {3, m}},
            {{2, 3, m}, {1, 3, 1}}};
        for (BinaryOp op : BinaryOp.values()) {
            for (int[][] p : patterns) {
                float[] a = values(rnd, size(p[0]), false);
                float[] b = values(rnd, size(p[1]), op == BinaryOp.DIV);
                int[] out = broadcast(p[0], p[1]);
                String what = op + " " + java.util.Arrays.toString(p[0]) + " with " + java.util.Arrays.toString(p[1]);
                close(what, run(simd, d -> binary(d, op, a, p[0], b, p[1], out)),
                        run(scalar, d -> binary(d, op, a, p[0], b, p[1], out)), 1e-7, 0);
            }
        }
    }

    @Test
    void reductionsAndSoftmaxMatchScalarAlongEveryAxis() {
        SplittableRandom rnd = new SplittableRandom(SEED + 2);
        int[] shape = {5, lanes + 3, 7};
        float[] x = values(rnd, size(shape), false);
        float[] dy = values(rnd, size(shape), false);
        for (int axis = 0; axis < 3; axis++) {
            int ax = axis;
            for (ReduceOp op : ReduceOp.values()) {
                close(op + " axis " + ax, run(simd, d -> reduce(d, op, x, shape, ax)),
                        run(scalar, d -> reduce(d, op, x, shape, ax)), 2e-5, 2e-5);
            }
            for (boolean log : new boolean[] {false, true}) {
                String what = (log ? "log_softmax" : "softmax") + " axis " + ax;
                close(what, run(simd, d -> softmax(d, x, shape, ax, log)), run(scalar, d -> softmax(d, x, shape, ax, log)),
                        2e-5, 2e-6);
                close(what + " backward", run(simd, d -> softmaxBackward(d, x, dy, shape, ax, log)),
                        run(scalar, d -> softmaxBackward(d, x, dy, shape, ax, log)), 2e-5, 2e-6);
            }
        }
    }

    @Test
    void recurrentSequencesForwardAndBackwardMatchScalar() {
        SplittableRandom rnd = new SplittableRandom(SEED + 3);
        int[] units = {lanes - 1, lanes + 1, 2 * lanes + 3};
        for (RnnCell cell : RnnCell.values()) {
            for (int u : units) {
                for (int batch : new int[] {1, 3}) {
                    RnnSpec spec = RnnProblem.randomSpec(cell, lanes + 2, u, rnd);
                    RnnProblem p = RnnProblem.random(spec, batch, 4, rnd);
                    String what = p.toString();
                    RnnRun.Forward got = RnnRun.forward(simd, p, false);
                    RnnRun.Forward want = RnnRun.forward(scalar, p, false);
                    close(what + " output", got.output(), want.output(), 2e-5, 2e-5);
                    close(what + " last h", got.lastH(), want.lastH(), 2e-5, 2e-5);
                    RnnRun.Gradients g = RnnRun.backward(simd, p);
                    RnnRun.Gradients w = RnnRun.backward(scalar, p);
                    gradient(what + " dx", g.dx(), w.dx());
                    gradient(what + " dKernel", g.dKernel(), w.dKernel());
                    gradient(what + " dRecurrentKernel", g.dRecurrentKernel(), w.dRecurrentKernel());
                    if (w.dBias() != null) {
                        gradient(what + " dBias", g.dBias(), w.dBias());
                    }
                    gradient(what + " dh0", g.dh0(), w.dh0());
                    if (w.dc0() != null) {
                        gradient(what + " dc0", g.dc0(), w.dc0());
                    }
                }
            }
        }
    }

    // ---- the ops, on either device ----

    private static float[] unary(Device d, UnaryOp op, float[] x) {
        Tensor t = d.tensor(x, x.length);
        Tensor out = d.zeros(x.length);
        d.unary(op, t, out);
        return out.toArray();
    }

    private static float[] unaryBackward(Device d, UnaryOp op, float[] x, float[] dy) {
        Tensor dx = d.zeros(x.length);
        d.unaryBackward(op, d.tensor(x, x.length), d.tensor(dy, dy.length), dx);
        return dx.toArray();
    }

    private static float[] binary(Device d, BinaryOp op, float[] a, int[] as, float[] b, int[] bs, int[] os) {
        Tensor out = d.zeros(os);
        d.binary(op, d.tensor(a, as), d.tensor(b, bs), out);
        return out.toArray();
    }

    private static float[] reduce(Device d, ReduceOp op, float[] x, int[] shape, int axis) {
        Tensor t = d.tensor(x, shape);
        Tensor out = d.zeros(t.shape().with(axis, 1));
        d.reduce(op, t, axis, out);
        return out.toArray();
    }

    private static float[] softmax(Device d, float[] x, int[] shape, int axis, boolean log) {
        Tensor out = d.zeros(shape);
        d.softmax(d.tensor(x, shape), axis, log, out);
        return out.toArray();
    }

    private static float[] softmaxBackward(Device d, float[] x, float[] dy, int[] shape, int axis, boolean log) {
        // y from the scalar backend's definition on this device, so both devices see the same y.
        Tensor y = d.zeros(shape);
        d.softmax(d.tensor(x, shape), axis, log, y);
        float[] ys = y.toArray();
        Tensor dx = d.zeros(shape);
        d.softmaxBackward(d.tensor(ys, shape), d.tensor(dy, shape), axis, log, dx);
        return dx.toArray();
    }

    // ---- helpers ----

    private static float[] run(Device d, java.util.function.Function<Device, float[]> f) {
        return f.apply(d);
    }

    /** Values in (−4, 4), or (0.01, 4) when {@code positive}, with a few special values mixed in. */
    private static float[] values(SplittableRandom rnd, int n, boolean positive) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = positive ? (float) rnd.nextDouble(0.01, 4) : (float) rnd.nextDouble(-4, 4);
        }
        if (!positive && n > 3) {
            v[rnd.nextInt(n)] = 0f;
            v[rnd.nextInt(n)] = (float) rnd.nextDouble(-30, 30);
        }
        return v;
    }

    private static int size(int[] shape) {
        int s = 1;
        for (int d : shape) {
            s *= d;
        }
        return s;
    }

    private static int[] broadcast(int[] a, int[] b) {
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Math.max(a[i], b[i]);
        }
        return out;
    }

    /** |got − want| ≤ rel·|want| + abs per element, NaN matching NaN. */
    private static void close(String what, float[] got, float[] want, double rel, double abs) {
        for (int i = 0; i < want.length; i++) {
            if (Float.isNaN(want[i]) && Float.isNaN(got[i])) {
                continue;
            }
            double err = Math.abs((double) got[i] - want[i]);
            if (!(err <= rel * Math.abs(want[i]) + abs) && got[i] != want[i]) {
                fail(what + "[" + i + "] at " + SimdConstants.describe() + ": got " + got[i] + ", scalar " + want[i]
                        + " (bar " + rel + "·|scalar| + " + abs + ", seed " + SEED + ")");
            }
        }
    }

    private static void gradient(String what, float[] got, float[] want) {
        double scale = 1;
        for (float w : want) {
            scale = Math.max(scale, Math.abs(w));
        }
        close(what, got, want, 0, 1e-4 * scale);
    }
}
