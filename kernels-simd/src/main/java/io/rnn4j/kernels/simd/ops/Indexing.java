package io.rnn4j.kernels.simd.ops;

import io.rnn4j.engine.Tensor;
import io.rnn4j.kernels.simd.platform.SimdConstants;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Gather/scatter of rows and the axis-wise copies (concat, split, reverse). These move whole
 * contiguous runs, so {@code System.arraycopy} (itself vectorized by the JIT) does the copying;
 * only scatterAdd computes, with a vector add per row.
 */
public final class Indexing {
    private static final VectorSpecies<Float> S = SimdConstants.SPECIES;
    private static final int L = S.length();

    private Indexing() {
    }

    /** {@code out[i, :] = table[indices[i], :]}. */
    public static void gather(Tensor table, Tensor indices, Tensor out) {
        float[] tv = Heap.array(table);
        float[] iv = Heap.array(indices);
        float[] ov = Heap.array(out);
        int cols = table.dim(1);
        int n = Heap.size(indices);
        for (int i = 0; i < n; i++) {
            int row = (int) iv[Heap.offset(indices) + i];
            System.arraycopy(tv, Heap.offset(table) + row * cols, ov, Heap.offset(out) + i * cols, cols);
        }
    }

    /** {@code table[indices[i], :] += src[i, :]}, in index order (repeated rows add up in that order). */
    public static void scatterAdd(Tensor src, Tensor indices, Tensor table) {
        float[] sv = Heap.array(src);
        float[] iv = Heap.array(indices);
        float[] tv = Heap.array(table);
        int cols = table.dim(1);
        int n = Heap.size(indices);
        for (int i = 0; i < n; i++) {
            int row = (int) iv[Heap.offset(indices) + i];
            int to = Heap.offset(table) + row * cols;
            int from = Heap.offset(src) + i * cols;
            int j = 0;
            for (int bound = S.loopBound(cols); j < bound; j += L) {
                FloatVector.fromArray(S, tv, to + j).add(FloatVector.fromArray(S, sv, from + j)).intoArray(tv, to + j);
            }
            for (; j < cols; j++) {
                tv[to + j] += sv[from + j];
            }
        }
    }

    /** Joins {@code parts} along {@code axis} into out. */
    public static void concat(Tensor[] parts, int axis, Tensor out) {
        long outer = out.shape().outer(axis);
        long inner = out.shape().inner(axis);
        int outRow = (int) (out.dim(axis) * inner);
        int at = 0;
        for (Tensor p : parts) {
            int row = (int) (p.dim(axis) * inner);
            for (long o = 0; o < outer; o++) {
                System.arraycopy(Heap.array(p), Heap.offset(p) + (int) (o * row), Heap.array(out),
                        Heap.offset(out) + (int) (o * outRow) + at, row);
            }
            at += row;
        }
    }

    /** Consecutive slices of x along {@code axis} into {@code parts}. */
    public static void split(Tensor x, int axis, Tensor[] parts) {
        long outer = x.shape().outer(axis);
        long inner = x.shape().inner(axis);
        int xRow = (int) (x.dim(axis) * inner);
        int at = 0;
        for (Tensor p : parts) {
            int row = (int) (p.dim(axis) * inner);
            for (long o = 0; o < outer; o++) {
                System.arraycopy(Heap.array(x), Heap.offset(x) + (int) (o * xRow) + at, Heap.array(p),
                        Heap.offset(p) + (int) (o * row), row);
            }
            at += row;
        }
    }

    /** out = x with {@code axis} reversed. */
    public static void reverse(Tensor x, int axis, Tensor out) {
        long outer = x.shape().outer(axis);
        int n = x.dim(axis);
        int inner = (int) x.shape().inner(axis);
        for (long o = 0; o < outer; o++) {
            for (int j = 0; j < n; j++) {
                int from = Heap.offset(x) + (int) ((o * n + j) * inner);
                int to = Heap.offset(out) + (int) ((o * n + (n - 1 - j)) * inner);
                System.arraycopy(Heap.array(x), from, Heap.array(out), to, inner);
            }
        }
    }
}
