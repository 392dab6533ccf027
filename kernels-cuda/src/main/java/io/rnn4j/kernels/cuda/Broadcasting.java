package io.rnn4j.kernels.cuda;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code Broadcast} struct of {@code pointwise.cu}: the output shape and each input's strides
 * over it (0 along broadcast axes), with adjacent dimensions merged wherever both inputs are
 * contiguous across them (a bias add over (B, T, H) becomes (B·T, H)), so any rank reduces to the
 * kernel's 8 dimensions in practice. Pure arithmetic.
 */
final class Broadcasting {
    static final int MAX_RANK = 8;

    private Broadcasting() {
    }

    /** Row-major strides of {@code inDims} over {@code outDims} (same rank), 0 where broadcast. */
    static long[] strides(int[] inDims, int[] outDims) {
        long[] s = new long[outDims.length];
        long acc = 1;
        for (int d = outDims.length - 1; d >= 0; d--) {
            s[d] = inDims[d] == 1 && outDims[d] != 1 ? 0 : acc;
            acc *= inDims[d];
        }
        return s;
    }

    /**
     * The struct's 25 fields: rank, dims[8], aStrides[8], bStrides[8], after merging dimensions.
     *
     * @throws IllegalArgumentException when more than 8 dimensions remain after merging
     */
    static long[] struct(int[] outDims, long[] aStrides, long[] bStrides) {
        List<long[]> dims = new ArrayList<>();  // innermost first: {dim, aStride, bStride}
        for (int d = outDims.length - 1; d >= 0; d--) {
            if (outDims[d] == 1) {
                continue;
            }
            long[] cur = {outDims[d], aStrides[d], bStrides[d]};
            if (!dims.isEmpty()) {
                long[] inner = dims.get(dims.size() - 1);
                if (cur[1] == inner[1] * inner[0] && cur[2] == inner[2] * inner[0]) {
                    inner[0] *= cur[0];
                    continue;
                }
            }
            dims.add(cur);
        }
        if (dims.size() > MAX_RANK) {
            throw new IllegalArgumentException("broadcast: at most " + MAX_RANK
                    + " dimensions that cannot be merged are supported, got " + dims.size() + " for shape "
                    + java.util.Arrays.toString(outDims));
        }
        long[] f = new long[1 + 3 * MAX_RANK];
        int rank = dims.size();
        f[0] = rank;
        for (int i = 0; i < rank; i++) {
            long[] e = dims.get(rank - 1 - i);  // back to outermost first
            f[1 + i] = e[0];
            f[1 + MAX_RANK + i] = e[1];
            f[1 + 2 * MAX_RANK + i] = e[2];
        }
        if (rank == 0) {  // a single element
            f[0] = 1;
            f[1] = 1;
        }
        return f;
    }
}
