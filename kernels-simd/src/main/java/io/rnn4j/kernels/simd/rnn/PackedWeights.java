package io.rnn4j.kernels.simd.rnn;

import io.rnn4j.engine.Tensor;
import io.rnn4j.kernels.simd.gemm.Gemv;
import io.rnn4j.kernels.simd.gemm.PackedMatrix;
import io.rnn4j.kernels.simd.ops.Heap;

/**
 * The packed forms of a layer's weights, cached on the weight tensor's storage
 * ({@code Storage.derived}): packing costs about one product, and a sequence multiplies by the same
 * U every step and by the same weights every call, so each form is rebuilt only when the weights
 * are written. Keys include the view's offset and the sub-matrix, so two views of one storage (or
 * GRU's column blocks of one U) get their own entries.
 */
final class PackedWeights {
    private PackedWeights() {
    }

    /** What a cache entry holds: a sub-matrix (offset, rows × cols, stride) packed one way. */
    private record Key(String form, long offset, int rows, int cols, int ld) {
    }

    /** The columns [col0, col0 + cols) of a rows×ld matrix, packed for batch-1 products x·M. */
    static Gemv gemv(Tensor m, int rows, int col0, int cols, int ld) {
        int at = Heap.offset(m) + col0;
        return m.storage().derived(new Key("gemv", at, rows, cols, ld),
                () -> Gemv.pack(rows, cols, Heap.array(m), at, ld));
    }

    /** The columns [col0, col0 + cols) of a rows×ld matrix, packed as the right operand of GEMMs. */
    static PackedMatrix gemm(Tensor m, int rows, int col0, int cols, int ld) {
        int at = Heap.offset(m) + col0;
        return m.storage().derived(new Key("gemm", at, rows, cols, ld),
                () -> PackedMatrix.pack(false, rows, cols, Heap.array(m), at, ld));
    }

    /**
     * The transpose of the columns [col0, col0 + cols) of a rows×ld matrix (a cols×rows matrix),
     * packed for batch-1 products: backward's {@code dz · U_blockᵀ}.
     */
    static Gemv gemvTransposed(Tensor m, int rows, int col0, int cols, int ld) {
        int at = Heap.offset(m) + col0;
        return m.storage().derived(new Key("gemvT", at, rows, cols, ld), () -> {
            float[] src = Heap.array(m);
            float[] t = new float[cols * rows];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    t[j * rows + i] = src[at + i * ld + j];
                }
            }
            return Gemv.pack(cols, rows, t, 0, rows);
        });
    }

    /**
     * The columns of units [u0, u1) of every gate block of a recurrent kernel (rows×(gates·units)),
     * gathered block after block (gate g's at [g·w, (g + 1)·w), w = u1 − u0) and packed for batch-1
     * products: one thread's share of U when a batch-1 sequence is split by units.
     */
    static Gemv gemvUnits(Tensor m, int rows, int gates, int units, int u0, int u1) {
        int at = Heap.offset(m);
        int w = u1 - u0;
        int ld = gates * units;
        return m.storage().derived(new Key("gemvUnits" + gates + ":" + u0, at, rows, u1, ld), () -> {
            float[] src = Heap.array(m);
            float[] gathered = new float[rows * gates * w];
            for (int i = 0; i < rows; i++) {
                for (int g = 0; g < gates; g++) {
                    System.arraycopy(src, at + i * ld + g * units + u0, gathered, i * gates * w + g * w, w);
                }
            }
            return Gemv.pack(rows, gates * w, gathered, 0, gates * w);
        });
    }

    /** The same transpose packed as the right operand of GEMMs. */
    static PackedMatrix gemmTransposed(Tensor m, int rows, int col0, int cols, int ld) {
        int at = Heap.offset(m) + col0;
        return m.storage().derived(new Key("gemmT", at, rows, cols, ld),
                () -> PackedMatrix.pack(true, cols, rows, Heap.array(m), at, ld));
    }
}
