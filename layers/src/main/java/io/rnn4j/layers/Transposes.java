package io.rnn4j.layers;

import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;

/**
 * Axis permutation of a whole tensor (batch axis included) for layers that need a transpose: the
 * engine has none, so it is a row gather over the tensor viewed as a table, trailing axes the
 * permutation keeps in place moving together as one row (as {@link Permute} does per sample).
 * Its gradient is the gather's scatter-add.
 */
final class Transposes {
    private Transposes() {
    }

    /**
     * {@code x} with axis i of the result being axis {@code perm[i]} of x (NumPy's transpose).
     *
     * @throws IllegalArgumentException if the rows to move exceed float32's exact indices
     */
    static Variable permute(Variable x, int[] perm) {
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
        long[] stride = new long[fixed]; // input strides in rows over the permuted axes
        long s = 1;
        for (int a = fixed - 1; a >= 0; a--) {
            stride[a] = s;
            s *= x.dim(a);
        }
        float[] src = new float[(int) rows];
        int[] j = new int[fixed]; // the output position, counted like an odometer
        for (int r = 0; r < rows; r++) {
            long at = 0;
            for (int i = 0; i < fixed; i++) {
                at += j[i] * stride[perm[i]];
            }
            src[r] = at;
            for (int a = fixed - 1; a >= 0 && ++j[a] == outDims[a]; a--) {
                j[a] = 0;
            }
        }
        Variable table = Ops.reshape(x, (int) rows, width);
        return Ops.reshape(Ops.gather(table, x.device().tensor(src, (int) rows)), outDims);
    }
}
