package io.rnn4j.kernels.simd.ops;

import static io.rnn4j.kernels.simd.platform.SimdConstants.fma;

import io.rnn4j.engine.Tensor;
import io.rnn4j.kernels.simd.math.VectorMath;
import io.rnn4j.kernels.simd.platform.SimdConstants;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax and log-softmax along one axis, max-subtracted, and their gradients. As in
 * {@link Reductions}, the axis is either contiguous (inner = 1: one row at a time, reduced across
 * lanes) or strided (vectors run across the inner positions, with per-position max and sum kept in
 * scratch rows). The exponentials are {@link VectorMath#exp}; sums are float.
 */
public final class Softmax {
    private static final VectorSpecies<Float> S = SimdConstants.SPECIES;
    private static final int L = S.length();

    private Softmax() {
    }

    /** Softmax (or log-softmax) of {@code x} along {@code axis}; out may be x. */
    public static void forward(Tensor x, int axis, boolean log, Tensor out) {
        float[] xv = Heap.array(x);
        float[] ov = Heap.array(out);
        int outer = (int) x.shape().outer(axis);
        int n = x.dim(axis);
        int inner = (int) x.shape().inner(axis);
        float[] max = inner > 1 ? new float[inner] : null;
        float[] sum = inner > 1 ? new float[inner] : null;
        for (int o = 0; o < outer; o++) {
            int xo = Heap.offset(x) + o * n * inner;
            int oo = Heap.offset(out) + o * n * inner;
            if (n == 0) {
                continue;
            }
            if (inner == 1) {
                row(xv, xo, ov, oo, n, log);
            } else {
                strided(xv, xo, ov, oo, n, inner, log, max, sum);
            }
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
        for (int o = 0; o < outer; o++) {
            int base = o * n * inner;
            int yo = Heap.offset(y) + base;
            int dyo = Heap.offset(dy) + base;
            int dxo = Heap.offset(dx) + base;
            if (inner == 1) {
                dot[0] = log ? Reductions.sum(dyv, dyo, n) : dot(dyv, dyo, yv, yo, n);
                gradRows(yv, yo, dyv, dyo, dxv, dxo, dot, n, 1, log);
            } else {
                java.util.Arrays.fill(dot, 0f);
                for (int r = 0; r < n; r++) {
                    if (log) {
                        addRow(dyv, dyo + r * inner, dot, inner);
                    } else {
                        addProductRow(dyv, dyo + r * inner, yv, yo + r * inner, dot, inner);
                    }
                }
                gradRows(yv, yo, dyv, dyo, dxv, dxo, dot, n, inner, log);
            }
        }
    }

    private static void gradRows(float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo, float[] dot, int n,
            int inner, boolean log) {
        if (inner == 1) {
            // One row of n with a single dot: broadcast it as a row of n.
            float d = dot[0];
            if (log) {
                logGradRow(y, yo, dy, dyo, dx, dxo, d, n);
            } else {
                gradRow(y, yo, dy, dyo, dx, dxo, d, n);
            }
            return;
        }
        for (int r = 0; r < n; r++) {
            int at = r * inner;
            if (log) {
                logGradRow(y, yo + at, dy, dyo + at, dx, dxo + at, dot, inner);
            } else {
                gradRow(y, yo + at, dy, dyo + at, dx, dxo + at, dot, inner);
            }
        }
    }

    /** Σ a·b over n contiguous floats. */
    private static float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        int i = 0;
        // Two accumulators hide the FMA latency; softmax rows are rarely long enough for more.
        for (int bound = n - 2 * L; i <= bound; i += 2 * L) {
            acc0 = fma(FloatVector.fromArray(S, a, ao + i), FloatVector.fromArray(S, b, bo + i), acc0);
            acc1 = fma(FloatVector.fromArray(S, a, ao + i + L), FloatVector.fromArray(S, b, bo + i + L), acc1);
        }
        float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    private static void addRow(float[] a, int ao, float[] acc, int n) {
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += L) {
            FloatVector.fromArray(S, acc, j).add(FloatVector.fromArray(S, a, ao + j)).intoArray(acc, j);
        }
        for (; j < n; j++) {
            acc[j] += a[ao + j];
        }
    }

    private static void addProductRow(float[] a, int ao, float[] b, int bo, float[] acc, int n) {
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += L) {
            fma(FloatVector.fromArray(S, a, ao + j), FloatVector.fromArray(S, b, bo + j), FloatVector.fromArray(S, acc, j))
                    .intoArray(acc, j);
        }
        for (; j < n; j++) {
            acc[j] += a[ao + j] * b[bo + j];
        }
    }

    /** A contiguous row: max, then e = exp(x − max) with its sum, then scale (or subtract the log). */
    private static void row(float[] x, int xo, float[] out, int oo, int n, boolean log) {
        float max = Reductions.max(x, xo, n);
        FloatVector vmax = FloatVector.broadcast(S, max);
        if (log) {
            FloatVector acc = FloatVector.zero(S);
            int i = 0;
            for (int bound = S.loopBound(n); i < bound; i += L) {
                acc = acc.add(VectorMath.exp(FloatVector.fromArray(S, x, xo + i).sub(vmax)));
            }
            double sum = acc.reduceLanes(VectorOperators.ADD);
            for (; i < n; i++) {
                sum += Math.exp(x[xo + i] - max);
            }
            // (x − max) first: exact for the large logits that matter, then the log of the sum.
            float logSum = (float) Math.log(sum);
            int j = 0;
            for (int bound = S.loopBound(n); j < bound; j += L) {
                FloatVector.fromArray(S, x, xo + j).sub(vmax).sub(logSum).intoArray(out, oo + j);
            }
            for (; j < n; j++) {
                out[oo + j] = (x[xo + j] - max) - logSum;
            }
            return;
        }
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(S, x, xo + i).sub(vmax));
            e.intoArray(out, oo + i);
            acc = acc.add(e);
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float e = (float) Math.exp(x[xo + i] - max);
            out[oo + i] = e;
            sum += e;
        }
        float s = (float) sum;
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += L) {
            FloatVector.fromArray(S, out, oo + j).div(s).intoArray(out, oo + j);
        }
        for (; j < n; j++) {
            out[oo + j] /= s;
        }
    }

    /** The axis strided by {@code inner}: per-position max and sum in the scratch rows. */
    private static void strided(float[] x, int xo, float[] out, int oo, int n, int inner, boolean log, float[] max,
            float[] sum) {
        System.arraycopy(x, xo, max, 0, inner);
        for (int r = 1; r < n; r++) {
            int j = 0;
            for (int bound = S.loopBound(inner); j < bound; j += L) {
                FloatVector.fromArray(S, max, j).max(FloatVector.fromArray(S, x, xo + r * inner + j)).intoArray(max, j);
            }
            for (; j < inner; j++) {
                max[j] = Math.max(max[j], x[xo + r * inner + j]);
            }
        }
        java.util.Arrays.fill(sum, 0f);
        for (int r = 0; r < n; r++) {
            int at = r * inner;
            int j = 0;
            for (int bound = S.loopBound(inner); j < bound; j += L) {
                FloatVector e = VectorMath.exp(FloatVector.fromArray(S, x, xo + at + j).sub(FloatVector.fromArray(S, max, j)));
                FloatVector.fromArray(S, sum, j).add(e).intoArray(sum, j);
                if (!log) {
                    e.intoArray(out, oo + at + j);
                }
            }
            for (; j < inner; j++) {
                float e = (float) Math.exp(x[xo + at + j] - max[j]);
                sum[j] += e;
                if (!log) {
                    out[oo + at + j] = e;
                }
            }
        }
        if (log) {
            for (int j = 0; j < inner; j++) {
                sum[j] = (float) Math.log(sum[j]);
            }
        }
        for (int r = 0; r < n; r++) {
            int at = r * inner;
            int j = 0;
            for (int bound = S.loopBound(inner); j < bound; j += L) {
                if (log) {
                    FloatVector.fromArray(S, x, xo + at + j).sub(FloatVector.fromArray(S, max, j))
                            .sub(FloatVector.fromArray(S, sum, j)).intoArray(out, oo + at + j);
                } else {
                    FloatVector.fromArray(S, out, oo + at + j).div(FloatVector.fromArray(S, sum, j)).intoArray(out, oo + at + j);
                }
            }
            for (; j < inner; j++) {
                out[oo + at + j] = log ? (x[xo + at + j] - max[j]) - sum[j] : out[oo + at + j] / sum[j];
            }
        }
    }

    private static void gradRow(float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo, float[] dot, int inner) {
        int j = 0;
        for (int bound = S.loopBound(inner); j < bound; j += L) {
            FloatVector d = FloatVector.fromArray(S, dy, dyo + j).sub(FloatVector.fromArray(S, dot, j));
            FloatVector.fromArray(S, y, yo + j).mul(d).intoArray(dx, dxo + j);
        }
        for (; j < inner; j++) {
            dx[dxo + j] = y[yo + j] * (dy[dyo + j] - dot[j]);
        }
    }

    /** y·(dy − dot) over a row of n with one dot. */
    private static void gradRow(float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo, float dot, int n) {
        FloatVector vd = FloatVector.broadcast(S, dot);
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += L) {
            FloatVector d = FloatVector.fromArray(S, dy, dyo + j).sub(vd);
            FloatVector.fromArray(S, y, yo + j).mul(d).intoArray(dx, dxo + j);
        }
        for (; j < n; j++) {
            dx[dxo + j] = y[yo + j] * (dy[dyo + j] - dot);
        }
    }

    /** dy − e^y·sum over a row of n with one sum. */
    private static void logGradRow(float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo, float sum, int n) {
        FloatVector vs = FloatVector.broadcast(S, sum);
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += L) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(S, y, yo + j));
            FloatVector.fromArray(S, dy, dyo + j).sub(e.mul(vs)).intoArray(dx, dxo + j);
        }
        for (; j < n; j++) {
            dx[dxo + j] = (float) (dy[dyo + j] - Math.exp(y[yo + j]) * sum);
        }
    }

    private static void logGradRow(float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo, float[] sum,
            int inner) {
        int j = 0;
        for (int bound = S.loopBound(inner); j < bound; j += L) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(S, y, yo + j));
            FloatVector.fromArray(S, dy, dyo + j).sub(e.mul(FloatVector.fromArray(S, sum, j))).intoArray(dx, dxo + j);
        }
        for (; j < inner; j++) {
            dx[dxo + j] = (float) (dy[dyo + j] - Math.exp(y[yo + j]) * sum[j]);
        }
    }
}
