package io.rnn4j.kernels.simd.rnn;

import io.rnn4j.engine.Tensor;
import io.rnn4j.kernels.simd.gemm.Gemv;
import io.rnn4j.kernels.simd.gemm.PackedMatrix;
import io.rnn4j.kernels.simd.ops.Heap;
import java.util.function.Supplier;

/**
 * The packed forms of a layer's weights, cached on the weight tensor's storage
 * ({@code Storage.derived}): packing costs about one product, and a sequence multiplies by the same
 * U every step and by the same weights every call, so each form is rebuilt only when the weights
 * are written. Entries are told apart by the view's offset and the sub-matrix, so two views of one
 * storage (or GRU's column blocks of one U) get their own.
 *
 * <p>A lookup that finds its entry allocates nothing (a streaming service looks the weights up every
 * timestep): the storage holds one {@link Forms} per kind under a constant key, made by a
 * non-capturing supplier, and the sub-matrix is matched by comparing ints.
 */
final class PackedWeights {
    private static final Object GEMV = new Object();
    private static final Object GEMM = new Object();
    private static final Object GEMV_T = new Object();
    private static final Object GEMM_T = new Object();
    private static final Object GEMV_UNITS = new Object();
    private static final Supplier<Forms> NEW_FORMS = Forms::new;

    private PackedWeights() {
    }

    /** The columns [col0, col0 + cols) of a rows×ld matrix, packed for batch-1 products x·M. */
    static Gemv gemv(Tensor m, int rows, int col0, int cols, int ld) {
        int at = Heap.offset(m) + col0;
        Forms f = m.storage().derived(GEMV, NEW_FORMS);
        Object found = f.find(at, rows, cols, ld, 0, 0);
        return found != null ? (Gemv) found : f.add(at, rows, cols, ld, 0, 0,
                Gemv.pack(rows, cols, Heap.array(m), at, ld));
    }

    /** The columns [col0, col0 + cols) of a rows×ld matrix, packed as the right operand of GEMMs. */
    static PackedMatrix gemm(Tensor m, int rows, int col0, int cols, int ld) {
        int at = Heap.offset(m) + col0;
        Forms f = m.storage().derived(GEMM, NEW_FORMS);
        Object found = f.find(at, rows, cols, ld, 0, 0);
        return found != null ? (PackedMatrix) found : f.add(at, rows, cols, ld, 0, 0,
                PackedMatrix.pack(false, rows, cols, Heap.array(m), at, ld));
    }

    /**
     * The transpose of the columns [col0, col0 + cols) of a rows×ld matrix (a cols×rows matrix),
     * packed for batch-1 products: backward's {@code dz · U_blockᵀ}.
     */
    static Gemv gemvTransposed(Tensor m, int rows, int col0, int cols, int ld) {
        int at = Heap.offset(m) + col0;
        Forms f = m.storage().derived(GEMV_T, NEW_FORMS);
        Object found = f.find(at, rows, cols, ld, 0, 0);
        if (found != null) {
            return (Gemv) found;
        }
        float[] src = Heap.array(m);
        float[] t = new float[cols * rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = src[at + i * ld + j];
            }
        }
        return f.add(at, rows, cols, ld, 0, 0, Gemv.pack(cols, rows, t, 0, rows));
    }

    /** The same transpose packed as the right operand of GEMMs. */
    static PackedMatrix gemmTransposed(Tensor m, int rows, int col0, int cols, int ld) {
        int at = Heap.offset(m) + col0;
        Forms f = m.storage().derived(GEMM_T, NEW_FORMS);
        Object found = f.find(at, rows, cols, ld, 0, 0);
        return found != null ? (PackedMatrix) found : f.add(at, rows, cols, ld, 0, 0,
                PackedMatrix.pack(true, cols, rows, Heap.array(m), at, ld));
    }

    /**
     * The columns of units [u0, u1) of every gate block of a recurrent kernel (rows×(gates·units)),
     * gathered block after block (gate g's at [g·w, (g + 1)·w), w = u1 − u0) and packed for batch-1
     * products: one thread's share of U when a batch-1 sequence is split by units.
     */
    static Gemv gemvUnits(Tensor m, int rows, int gates, int units, int u0, int u1) {
        int at = Heap.offset(m);
        int ld = gates * units;
        Forms f = m.storage().derived(GEMV_UNITS, NEW_FORMS);
        Object found = f.find(at, rows, units, ld, u0, u1);
        if (found != null) {
            return (Gemv) found;
        }
        float[] src = Heap.array(m);
        int w = u1 - u0;
        float[] gathered = new float[rows * gates * w];
        for (int i = 0; i < rows; i++) {
            for (int g = 0; g < gates; g++) {
                System.arraycopy(src, at + i * ld + g * units + u0, gathered, i * gates * w + g * w, w);
            }
        }
        return f.add(at, rows, units, ld, u0, u1, Gemv.pack(rows, gates * w, gathered, 0, gates * w));
    }

    /**
     * One kind of packed form of one version of a storage, for every sub-matrix asked for: a short
     * array of entries, read without locking (it is replaced, never changed, when an entry is added).
     */
    private static final class Forms {
        private volatile Entry[] entries = new Entry[0];

        /** The value packed for these six ints, or null. */
        Object find(int a, int b, int c, int d, int e, int f) {
            for (Entry x : entries) {
                if (x.a == a && x.b == b && x.c == c && x.d == d && x.e == e && x.f == f) {
                    return x.value;
                }
            }
            return null;
        }

        /** Adds {@code value} for these ints (or keeps the one another thread added first) and returns it. */
        @SuppressWarnings("unchecked")
        synchronized <T> T add(int a, int b, int c, int d, int e, int f, T value) {
            Object found = find(a, b, c, d, e, f);
            if (found != null) {
                return (T) found;
            }
            Entry[] old = entries;
            Entry[] grown = java.util.Arrays.copyOf(old, old.length + 1);
            grown[old.length] = new Entry(a, b, c, d, e, f, value);
            entries = grown;
            return value;
        }
    }

    private record Entry(int a, int b, int c, int d, int e, int f, Object value) {
    }
}
