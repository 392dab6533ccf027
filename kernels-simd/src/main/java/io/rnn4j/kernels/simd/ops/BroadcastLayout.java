package io.rnn4j.kernels.simd.ops;

import java.util.Arrays;

/**
 * A broadcast over a row-major output reduced to as few dimensions as possible, for two inputs.
 *
 * <p>Dimensions of size 1 are dropped, and neighbours are merged wherever both inputs step through
 * them as one (contiguously, or both repeated): {@code (B,T,H) + (1,1,H)} becomes rows of H over
 * B·T, {@code (B,T,H) · (B,T,H)} a single row. The last dimension is the inner run the vector loops
 * take; each input's stride along it is 1 (contiguous) or 0 (one value repeated).
 */
final class BroadcastLayout {
    private final int[] dims;
    private final int[][] strides;

    private BroadcastLayout(int[] dims, int[][] strides) {
        this.dims = dims;
        this.strides = strides;
    }

    /** The layout of inputs {@code a} and {@code b} (each of out's rank) broadcast to {@code out}. */
    static BroadcastLayout of(int[] out, int[] a, int[] b) {
        int r = out.length;
        int[] sa = contiguousStrides(a, out);
        int[] sb = contiguousStrides(b, out);
        int[] d = new int[r];
        int[][] s = new int[2][r];
        int m = 0;
        for (int i = 0; i < r; i++) {
            if (out[i] == 1) {
                continue;
            }
            if (m > 0 && sa[i] * out[i] == s[0][m - 1] && sb[i] * out[i] == s[1][m - 1]) {
                // The previous kept dimension steps over exactly this one: merge them.
                d[m - 1] *= out[i];
                s[0][m - 1] = sa[i];
                s[1][m - 1] = sb[i];
                continue;
            }
            d[m] = out[i];
            s[0][m] = sa[i];
            s[1][m] = sb[i];
            m++;
        }
        if (m == 0) { // a single element
            return new BroadcastLayout(new int[] {1}, new int[][] {{1}, {1}});
        }
        return new BroadcastLayout(Arrays.copyOf(d, m), new int[][] {Arrays.copyOf(s[0], m), Arrays.copyOf(s[1], m)});
    }

    /** Row-major strides of {@code in} over {@code out}'s shape, 0 along broadcast dimensions. */
    private static int[] contiguousStrides(int[] in, int[] out) {
        int[] strides = new int[out.length];
        int s = 1;
        for (int i = out.length - 1; i >= 0; i--) {
            strides[i] = in[i] == 1 && out[i] != 1 ? 0 : s;
            s *= in[i];
        }
        return strides;
    }

    /** The length of the inner run. */
    int inner() {
        return dims[dims.length - 1];
    }

    /** Input {@code which}'s stride along the inner run: 1 or 0. */
    int innerStride(int which) {
        return strides[which][dims.length - 1];
    }

    /** How many inner runs the output holds. */
    long rows() {
        long n = 1;
        for (int i = 0; i < dims.length - 1; i++) {
            n *= dims[i];
        }
        return n;
    }

    /** An odometer over the rows, starting at the inputs' offsets. */
    Cursor cursor(int aOffset, int bOffset) {
        return new Cursor(aOffset, bOffset);
    }

    /** Where each input's current row starts; {@link #next} moves to the following row. */
    final class Cursor {
        private final int[] index = new int[dims.length];
        private final int[] offsets = new int[2];

        private Cursor(int a, int b) {
            offsets[0] = a;
            offsets[1] = b;
        }

        int offset(int which) {
            return offsets[which];
        }

        void next() {
            for (int d = dims.length - 2; d >= 0; d--) {
                offsets[0] += strides[0][d];
                offsets[1] += strides[1][d];
                if (++index[d] < dims[d]) {
                    return;
                }
                offsets[0] -= strides[0][d] * dims[d];
                offsets[1] -= strides[1][d] * dims[d];
                index[d] = 0;
            }
        }
    }
}
