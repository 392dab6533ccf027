package io.rnn4j.kernels.simd.ops;

import io.rnn4j.engine.ReduceOp;
import io.rnn4j.engine.Tensor;
import io.rnn4j.kernels.simd.platform.SimdConstants;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Sum, mean and max along one axis. A tensor is viewed as (outer, n, inner) around the axis: with
 * inner = 1 each output is one contiguous row reduced across lanes; otherwise the n rows of inner
 * values are combined lane by lane into the output row, which stays contiguous for the vectors.
 * Sums accumulate in float (the scalar backend uses double), in several partial sums per row, so
 * they differ from it by rounding that grows with n (the contract tests' tolerance scales with n).
 */
public final class Reductions {
    private static final VectorSpecies<Float> S = SimdConstants.SPECIES;
    private static final int L = S.length();

    private Reductions() {
    }

    /** Reduces {@code x} along {@code axis} into {@code out}. */
    public static void reduce(ReduceOp op, Tensor x, int axis, Tensor out) {
        float[] xv = Heap.array(x);
        float[] ov = Heap.array(out);
        int outer = (int) x.shape().outer(axis);
        int n = x.dim(axis);
        int inner = (int) x.shape().inner(axis);
        int xo = Heap.offset(x);
        int oo = Heap.offset(out);
        for (int o = 0; o < outer; o++) {
            int row = xo + o * n * inner;
            int dst = oo + o * inner;
            if (n == 0) {
                java.util.Arrays.fill(ov, dst, dst + inner, op == ReduceOp.MEAN ? Float.NaN : 0f);
            } else if (inner == 1) {
                float r = op == ReduceOp.MAX ? max(xv, row, n) : sum(xv, row, n);
                ov[dst] = op == ReduceOp.MEAN ? (float) ((double) r / n) : r;
            } else if (op == ReduceOp.MAX) {
                maxRows(xv, row, n, inner, ov, dst);
            } else {
                sumRows(xv, row, n, inner, ov, dst);
                if (op == ReduceOp.MEAN) {
                    divide(ov, dst, inner, n);
                }
            }
        }
    }

    /** The sum of {@code n} contiguous floats. */
    public static float sum(float[] a, int from, int n) {
        int i = 0;
        float s = 0f;
        if (n >= 4 * L) {
            // Four accumulators: an add has 3-4 cycles' latency and two issue per cycle.
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
            FloatVector s2 = FloatVector.zero(S);
            FloatVector s3 = FloatVector.zero(S);
            for (int bound = n - 4 * L; i <= bound; i += 4 * L) {
                s0 = s0.add(FloatVector.fromArray(S, a, from + i));
                s1 = s1.add(FloatVector.fromArray(S, a, from + i + L));
                s2 = s2.add(FloatVector.fromArray(S, a, from + i + 2 * L));
                s3 = s3.add(FloatVector.fromArray(S, a, from + i + 3 * L));
            }
            for (int bound = S.loopBound(n); i < bound; i += L) {
                s0 = s0.add(FloatVector.fromArray(S, a, from + i));
            }
            s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) {
            s += a[from + i];
        }
        return s;
    }

    /** The largest of {@code n ≥ 1} contiguous floats (NaN if any is NaN). */
    public static float max(float[] a, int from, int n) {
        int i = 0;
        float m = Float.NEGATIVE_INFINITY;
        if (n >= 2 * L) {
            FloatVector m0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            FloatVector m1 = m0;
            for (int bound = n - 2 * L; i <= bound; i += 2 * L) {
                m0 = m0.max(FloatVector.fromArray(S, a, from + i));
                m1 = m1.max(FloatVector.fromArray(S, a, from + i + L));
            }
            m = m0.max(m1).reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) {
            m = Math.max(m, a[from + i]);
        }
        return m;
    }

    /** {@code out[j] = Σ_r x[row + r·inner + j]} for j in [0, inner). */
    private static void sumRows(float[] x, int row, int n, int inner, float[] out, int dst) {
        System.arraycopy(x, row, out, dst, inner);
        for (int r = 1; r < n; r++) {
            int src = row + r * inner;
            int j = 0;
            for (int bound = S.loopBound(inner); j < bound; j += L) {
                FloatVector.fromArray(S, out, dst + j).add(FloatVector.fromArray(S, x, src + j)).intoArray(out, dst + j);
            }
            for (; j < inner; j++) {
                out[dst + j] += x[src + j];
            }
        }
    }

    private static void maxRows(float[] x, int row, int n, int inner, float[] out, int dst) {
        System.arraycopy(x, row, out, dst, inner);
        for (int r = 1; r < n; r++) {
            int src = row + r * inner;
            int j = 0;
            for (int bound = S.loopBound(inner); j < bound; j += L) {
                FloatVector.fromArray(S, out, dst + j).max(FloatVector.fromArray(S, x, src + j)).intoArray(out, dst + j);
            }
            for (; j < inner; j++) {
                out[dst + j] = Math.max(out[dst + j], x[src + j]);
            }
        }
    }

    private static void divide(float[] out, int dst, int inner, int n) {
        float fn = n;
        int j = 0;
        for (int bound = S.loopBound(inner); j < bound; j += L) {
            FloatVector.fromArray(S, out, dst + j).div(fn).intoArray(out, dst + j);
        }
        for (; j < inner; j++) {
            out[dst + j] /= fn;
        }
    }
}
