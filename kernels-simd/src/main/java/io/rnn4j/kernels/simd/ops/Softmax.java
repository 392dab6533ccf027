package io.rnn4j.kernels.simd.ops;

import io.rnn4j.engine.Tensor;
import io.rnn4j.kernels.simd.math.Activations;
import io.rnn4j.kernels.simd.math.VectorMath;
import io.rnn4j.kernels.simd.platform.SimdConstants;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax and log-softmax along one axis, max-subtracted, and their gradients. As in
 * {@link Reductions}, the axis is either contiguous (inner = 1: one row at a time, reduced across
 * lanes) or strided (vectors run across the inner positions, with per-position max and sum kept in
 * scratch rows). Every exponential is a {@link VectorMath#exp} pass over a row or a scratch chunk;
 * the rest are plain vector passes. Sums are float, the log of a sum double.
 */
public final class Softmax {
    private static final VectorSpecies<Float> S = SimdConstants.SPECIES;
    private static final int L = S.length();
    private static final boolean FMA = SimdConstants.FAST_FMA;

    private Softmax() {
    }

    /** Softmax (or log-softmax) of {@code x} along {@code axis}; out may be x. */
    public static void forward(Tensor x, int axis, boolean log, Tensor out) {
        float[] xv = Heap.array(x);
        float[] ov = Heap.array(out);
        int outer = (int) x.shape().outer(axis);
        int n = x.dim(axis);
        int inner = (int) x.shape().inner(axis);
        if (n == 0) {
            return;
        }
        // A lent scratch row, and per-position rows only for a strided axis: a softmax over the last
        // axis (a classifier's step) allocates nothing.
        float[] scratch = Activations.borrowScratch();
        try {
            float[] max = inner == 1 ? null : new float[inner];
            float[] sum = inner == 1 ? null : new float[inner];
            for (int o = 0; o < outer; o++) {
                int xo = Heap.offset(x) + o * n * inner;
                int oo = Heap.offset(out) + o * n * inner;
                if (inner == 1) {
                    row(xv, xo, ov, oo, n, log, scratch);
                } else {
                    strided(xv, xo, ov, oo, n, inner, log, max, sum, scratch);
                }
            }
        } finally {
            Activations.giveBackScratch(scratch);
        }
    }

    /** The gradient from the output y: softmax {@code y·(dy − Σ dy·y)}; log-softmax {@code dy − e^y·Σ dy}. */
    public static void backward(Tensor y, Tensor dy, int axis, boolean log, Tensor dx) {
        float[] yv = Heap.array(y);
        float[] dyv = Heap.array(dy);
        float[] dxv = Heap.array(dx);
        int outer = (int) y.shape().outer(axis);
        int n = y.dim(axis);
        int inner = (int) y.shape().inner(axis);
        float[] dot = new float[inner];
        float[] scratch = Activations.scratch();
        for (int o = 0; o < outer; o++) {
            int base = o * n * inner;
            int yo = Heap.offset(y) + base;
            int dyo = Heap.offset(dy) + base;
            int dxo = Heap.offset(dx) + base;
            if (inner == 1) {
                // One row of n: a single dot, broadcast as a row of one.
                dot[0] = log ? Reductions.sum(dyv, dyo, n) : dot(dyv, dyo, yv, yo, n);
                if (log) {
                    logGradRow(yv, yo, dyv, dyo, dxv, dxo, dot, 0, n, scratch);
                } else {
                    gradRow(yv, yo, dyv, dyo, dxv, dxo, dot, 0, n);
                }
                continue;
            }
            Arrays.fill(dot, 0f);
            for (int r = 0; r < n; r++) {
                int at = r * inner;
                if (log) {
                    addRow(dyv, dyo + at, dot, inner);
                } else {
                    addProductRow(dyv, dyo + at, yv, yo + at, dot, inner);
                }
            }
            for (int r = 0; r < n; r++) {
                int at = r * inner;
                if (log) {
                    logGradRow(yv, yo + at, dyv, dyo + at, dxv, dxo + at, dot, -1, inner, scratch);
                } else {
                    gradRow(yv, yo + at, dyv, dyo + at, dxv, dxo + at, dot, -1, inner);
                }
            }
        }
    }

    /**
     * A contiguous row: out = x − max; softmax then exponentiates in place, sums and divides;
     * log-softmax sums the exponentials in scratch chunks and subtracts the log of the sum.
     */
    private static void row(float[] x, int xo, float[] out, int oo, int n, boolean log, float[] scratch) {
        float max = Reductions.max(x, xo, n);
        subtract(x, xo, max, out, oo, n);
        if (log) {
            double sum = 0;
            for (int c = 0; c < n; c += scratch.length) {
                int m = Math.min(scratch.length, n - c);
                VectorMath.exp(out, oo + c, scratch, 0, m);
                sum += Reductions.sum(scratch, 0, m);
            }
            subtract(out, oo, (float) Math.log(sum), out, oo, n);
            return;
        }
        VectorMath.exp(out, oo, out, oo, n);
        float sum = Reductions.sum(out, oo, n);
        divide(out, oo, sum, n);
    }

    /** The axis strided by {@code inner}: per-position max and sum in the scratch rows. */
    private static void strided(float[] x, int xo, float[] out, int oo, int n, int inner, boolean log, float[] max,
            float[] sum, float[] scratch) {
        System.arraycopy(x, xo, max, 0, inner);
        for (int r = 1; r < n; r++) {
            maxRow(x, xo + r * inner, max, inner);
        }
        Arrays.fill(sum, 0f);
        for (int r = 0; r < n; r++) {
            int at = r * inner;
            subtractRow(x, xo + at, max, out, oo + at, inner);
            if (log) {
                for (int c = 0; c < inner; c += scratch.length) {
                    int m = Math.min(scratch.length, inner - c);
                    VectorMath.exp(out, oo + at + c, scratch, 0, m);
                    addRowAt(scratch, sum, c, m);
                }
            } else {
                VectorMath.exp(out, oo + at, out, oo + at, inner);
                addRow(out, oo + at, sum, inner);
            }
        }
        if (log) {
            for (int j = 0; j < inner; j++) {
                sum[j] = (float) Math.log(sum[j]);
            }
        }
        for (int r = 0; r < n; r++) {
            int at = oo + r * inner;
            if (log) {
                subtractRow(out, at, sum, out, at, inner);
            } else {
                divideRow(out, at, sum, inner);
            }
        }
    }

    // ---- passes ----

    /** out = a − s. */
    private static void subtract(float[] a, int ao, float s, float[] out, int oo, int n) {
        FloatVector vs = FloatVector.broadcast(S, s);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, ao + i).sub(vs).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] - s;
        }
    }

    /** out = a − b (b a row from index 0). */
    private static void subtractRow(float[] a, int ao, float[] b, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, ao + i).sub(FloatVector.fromArray(S, b, i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] - b[i];
        }
    }

    private static void divide(float[] a, int ao, float d, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, ao + i).div(d).intoArray(a, ao + i);
        }
        for (; i < n; i++) {
            a[ao + i] /= d;
        }
    }

    private static void divideRow(float[] a, int ao, float[] d, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, ao + i).div(FloatVector.fromArray(S, d, i)).intoArray(a, ao + i);
        }
        for (; i < n; i++) {
            a[ao + i] /= d[i];
        }
    }

    /** acc = max(acc, a). */
    private static void maxRow(float[] a, int ao, float[] acc, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, acc, i).max(FloatVector.fromArray(S, a, ao + i)).intoArray(acc, i);
        }
        for (; i < n; i++) {
            acc[i] = Math.max(acc[i], a[ao + i]);
        }
    }

    /** acc += a. */
    private static void addRow(float[] a, int ao, float[] acc, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, acc, i).add(FloatVector.fromArray(S, a, ao + i)).intoArray(acc, i);
        }
        for (; i < n; i++) {
            acc[i] += a[ao + i];
        }
    }

    /** acc[at + i] += a[i]. */
    private static void addRowAt(float[] a, float[] acc, int at, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, acc, at + i).add(FloatVector.fromArray(S, a, i)).intoArray(acc, at + i);
        }
        for (; i < n; i++) {
            acc[at + i] += a[i];
        }
    }

    /** acc += a·b. */
    private static void addProductRow(float[] a, int ao, float[] b, int bo, float[] acc, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector av = FloatVector.fromArray(S, a, ao + i);
            FloatVector bv = FloatVector.fromArray(S, b, bo + i);
            FloatVector cv = FloatVector.fromArray(S, acc, i);
            (FMA ? av.fma(bv, cv) : av.mul(bv).add(cv)).intoArray(acc, i);
        }
        for (; i < n; i++) {
            acc[i] += a[ao + i] * b[bo + i];
        }
    }

    /** Σ a·b over n contiguous floats. */
    private static float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        int i = 0;
        // Two accumulators hide the FMA latency; softmax rows are rarely long enough for more.
        for (int bound = n - 2 * L; i <= bound; i += 2 * L) {
            FloatVector a0 = FloatVector.fromArray(S, a, ao + i);
            FloatVector b0 = FloatVector.fromArray(S, b, bo + i);
            FloatVector a1 = FloatVector.fromArray(S, a, ao + i + L);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + i + L);
            acc0 = FMA ? a0.fma(b0, acc0) : a0.mul(b0).add(acc0);
            acc1 = FMA ? a1.fma(b1, acc1) : a1.mul(b1).add(acc1);
        }
        float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    /**
     * dx = y·(dy − dot), with dot the row {@code dots} (from index 0), or the single value
     * {@code dots[at]} for every element when {@code at ≥ 0}.
     */
    private static void gradRow(float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo, float[] dots, int at,
            int n) {
        if (at >= 0) {
            FloatVector vd = FloatVector.broadcast(S, dots[at]);
            int i = 0;
            for (int bound = S.loopBound(n); i < bound; i += L) {
                FloatVector d = FloatVector.fromArray(S, dy, dyo + i).sub(vd);
                FloatVector.fromArray(S, y, yo + i).mul(d).intoArray(dx, dxo + i);
            }
            for (; i < n; i++) {
                dx[dxo + i] = y[yo + i] * (dy[dyo + i] - dots[at]);
            }
            return;
        }
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector d = FloatVector.fromArray(S, dy, dyo + i).sub(FloatVector.fromArray(S, dots, i));
            FloatVector.fromArray(S, y, yo + i).mul(d).intoArray(dx, dxo + i);
        }
        for (; i < n; i++) {
            dx[dxo + i] = y[yo + i] * (dy[dyo + i] - dots[i]);
        }
    }

    /**
     * dx = dy − e<sup>y</sup>·sum, e<sup>y</sup> a {@link VectorMath#exp} pass into scratch chunks;
     * sums as in {@link #gradRow}.
     */
    private static void logGradRow(float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo, float[] sums, int at,
            int n, float[] scratch) {
        for (int c = 0; c < n; c += scratch.length) {
            int m = Math.min(scratch.length, n - c);
            VectorMath.exp(y, yo + c, scratch, 0, m);
            int i = 0;
            if (at >= 0) {
                FloatVector vs = FloatVector.broadcast(S, sums[at]);
                for (int bound = S.loopBound(m); i < bound; i += L) {
                    FloatVector e = FloatVector.fromArray(S, scratch, i);
                    FloatVector.fromArray(S, dy, dyo + c + i).sub(e.mul(vs)).intoArray(dx, dxo + c + i);
                }
            } else {
                for (int bound = S.loopBound(m); i < bound; i += L) {
                    FloatVector e = FloatVector.fromArray(S, scratch, i);
                    FloatVector s = FloatVector.fromArray(S, sums, c + i);
                    FloatVector.fromArray(S, dy, dyo + c + i).sub(e.mul(s)).intoArray(dx, dxo + c + i);
                }
            }
            for (; i < m; i++) {
                float s = at >= 0 ? sums[at] : sums[c + i];
                dx[dxo + c + i] = dy[dyo + c + i] - scratch[i] * s;
            }
        }
    }
}
