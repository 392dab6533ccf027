package io.rnn4j.layers;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;

/**
 * Axis permutation of a whole tensor (batch axis included) for layers that need a transpose: the
 * engine has none, so it is a row gather over the tensor viewed as a table, trailing axes the
 * permutation keeps in place moving together as one row (as {@link Permute} does per sample).
 * Its gradient is the gather's scatter-add.
 *
 * <p>One instance serves one call site: it keeps the row indices of its last (shape, permutation,
 * device), so that a layer called again on the same shapes uploads none (at batch 1 the index
 * build and upload cost as much as the gather itself).
 */
final class Transposes {
    /** The source rows of the last call. */
    private record Rows(Device device, int[] dims, int[] perm, Tensor indices) {
    }

    private volatile Rows last;

    /**
     * {@code x} with axis i of the result being axis {@code perm[i]} of x (NumPy's transpose).
     *
     * @throws IllegalArgumentException if the rows to move exceed float32's exact indices
     */
    Variable permute(Variable x, int[] perm) {
        int rank = perm.length;
        int fixed = rank;
        while (fixed > 0 && perm[fixed - 1] == fixed - 1) {
            fixed--;
        }
        int[] outDims = new int[rank];
        for (int i = 0; i < rank; i++) {
            outDims[i] = x.dim(perm[i]);
        }
        if (fixed == 0) {
            return x;
        }
        long rows = 1;
        int width = 1;
        for (int a = 0; a < rank; a++) {
            if (a < fixed) {
                rows *= x.dim(a);
            } else {
                width *= x.dim(a);
            }
        }
        if (rows == 0 || width == 0) {
            return Ops.reshape(x, outDims);
        }
        if (rows > Ops.MAX_GATHER_ROWS) {
            throw new IllegalArgumentException("transposing " + x.shape() + " moves " + rows + " rows, more than "
                    + Ops.MAX_GATHER_ROWS + " (row indices are float32); use a smaller batch");
        }
        Variable table = Ops.reshape(x, (int) rows, width);
        return Ops.reshape(Ops.gather(table, indices(x, perm, fixed, outDims, (int) rows)), outDims);
    }

    /** The cached source rows when x's shape, the permutation and the device are the last call's. */
    private Tensor indices(Variable x, int[] perm, int fixed, int[] outDims, int rows) {
        Rows r = last;
        int[] dims = x.shape().dims();
        if (r != null && r.device() == x.device() && Arrays.equals(r.dims(), dims) && Arrays.equals(r.perm(), perm)) {
            return r.indices();
        }
        long[] stride = new long[fixed]; // input strides in rows over the permuted axes
        long s = 1;
        for (int a = fixed - 1; a >= 0; a--) {
            stride[a] = s;
            s *= dims[a];
        }
        float[] src = new float[rows];
        int[] j = new int[fixed]; // the output position, counted like an odometer
        for (int at = 0; at < rows; at++) {
            long from = 0;
            for (int i = 0; i < fixed; i++) {
                from += j[i] * stride[perm[i]];
            }
            src[at] = from;
            for (int a = fixed - 1; a >= 0 && ++j[a] == outDims[a]; a--) {
                j[a] = 0;
            }
        }
        Tensor t = x.device().tensor(src, rows);
        last = new Rows(x.device(), dims, perm.clone(), t);
        return t;
    }
}
