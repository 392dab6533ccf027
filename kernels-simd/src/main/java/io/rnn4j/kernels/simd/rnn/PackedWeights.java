package io.rnn4j.kernels.simd.rnn;

import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.spi.Storage;
import io.rnn4j.kernels.simd.gemm.Gemv;
import io.rnn4j.kernels.simd.gemm.PackedForms;
import io.rnn4j.kernels.simd.gemm.PackedMatrix;
import io.rnn4j.kernels.simd.ops.Heap;

/**
 * The packed forms of a layer's weights, cached on the weight tensor's storage
 * ({@code Storage.derived}): packing costs about one product, and a sequence multiplies by the same
 * U every step and by the same weights every call, so each form is rebuilt only when the weights
 * are written. Entries are told apart by the view's offset and the sub-matrix, so two views of one
 * storage (or GRU's column blocks of one U) get their own.
 *
 * <p>After a write (a training step) each form is packed again into the memory of the stale one
 * ({@code Storage.derivedFrom}): packed forms live off the heap ({@code AlignedFloats}), where
 * one new buffer per step would pile up until a collection, which heap-light training rarely
 * triggers (measured: 2 GB of resident memory after 2000 steps of L2, without this).
 *
 * <p>A lookup that finds its entry allocates nothing (a streaming service looks the weights up every
 * timestep): the storage holds one {@link PackedForms} per kind under a constant key.
 */
final class PackedWeights {
    private static final Object GEMV = new Object();
    private static final Object GEMM = new Object();
    private static final Object GEMV_T = new Object();
    private static final Object GEMM_T = new Object();
    private static final Object GEMV_UNITS = new Object();
    private static final Object GEMM_UNITS = new Object();
    private static final Object STACKED = new Object();

    private PackedWeights() {
    }

    /** The columns [col0, col0 + cols) of a rows×ld matrix, packed for batch-1 products x·M. */
    static Gemv gemv(Tensor m, int rows, int col0, int cols, int ld) {
        int at = Heap.offset(m) + col0;
        PackedForms f = m.storage().derivedFrom(GEMV, PackedForms.NEXT);
        Object found = f.find(at, rows, cols, ld, 0, 0);
        return found != null ? (Gemv) found : f.put(at, rows, cols, ld, 0, 0,
                Gemv.repack((Gemv) f.recycled(at, rows, cols, ld, 0, 0), rows, cols, Heap.array(m), at, ld));
    }

    /** The columns [col0, col0 + cols) of a rows×ld matrix, packed as the right operand of GEMMs. */
    static PackedMatrix gemm(Tensor m, int rows, int col0, int cols, int ld) {
        int at = Heap.offset(m) + col0;
        PackedForms f = m.storage().derivedFrom(GEMM, PackedForms.NEXT);
        Object found = f.find(at, rows, cols, ld, 0, 0);
        return found != null ? (PackedMatrix) found : f.put(at, rows, cols, ld, 0, 0, PackedMatrix.repack(
                (PackedMatrix) f.recycled(at, rows, cols, ld, 0, 0), false, rows, cols, Heap.array(m), at, ld));
    }

    /**
     * The transpose of the columns [col0, col0 + cols) of a rows×ld matrix (a cols×rows matrix),
     * packed for batch-1 products: backward's {@code dz · U_blockᵀ}.
     */
    static Gemv gemvTransposed(Tensor m, int rows, int col0, int cols, int ld) {
        int at = Heap.offset(m) + col0;
        PackedForms f = m.storage().derivedFrom(GEMV_T, PackedForms.NEXT);
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
        return f.put(at, rows, cols, ld, 0, 0,
                Gemv.repack((Gemv) f.recycled(at, rows, cols, ld, 0, 0), cols, rows, t, 0, rows));
    }

    /** The same transpose packed as the right operand of GEMMs. */
    static PackedMatrix gemmTransposed(Tensor m, int rows, int col0, int cols, int ld) {
        int at = Heap.offset(m) + col0;
        PackedForms f = m.storage().derivedFrom(GEMM_T, PackedForms.NEXT);
        Object found = f.find(at, rows, cols, ld, 0, 0);
        return found != null ? (PackedMatrix) found : f.put(at, rows, cols, ld, 0, 0, PackedMatrix.repack(
                (PackedMatrix) f.recycled(at, rows, cols, ld, 0, 0), true, cols, rows, Heap.array(m), at, ld));
    }

    /**
     * The columns of units [u0, u1) of every gate block of a recurrent kernel (rows×(gates·units)),
     * gathered block after block (gate g's at [g·w, (g + 1)·w), w = u1 − u0) and packed for batch-1
     * products: one thread's share of U when a batch-1 sequence is split by units.
     */
    static Gemv gemvUnits(Tensor m, int rows, int gates, int units, int u0, int u1) {
        int at = Heap.offset(m);
        int ld = gates * units;
        PackedForms f = m.storage().derivedFrom(GEMV_UNITS, PackedForms.NEXT);
        Object found = f.find(at, rows, units, ld, u0, u1);
        if (found != null) {
            return (Gemv) found;
        }
        float[] gathered = gatherUnits(Heap.array(m), at, rows, gates, units, u0, u1);
        int w = u1 - u0;
        return f.put(at, rows, units, ld, u0, u1, Gemv.repack((Gemv) f.recycled(at, rows, units, ld, u0, u1), rows,
                gates * w, gathered, 0, gates * w));
    }

    /**
     * The same gathered columns (units [u0, u1) of every gate block of a rows×(gates·units)
     * matrix) packed as the right operand of GEMMs: one thread's share of the input projection
     * when a batch-1 sequence is split by units.
     */
    static PackedMatrix gemmUnits(Tensor m, int rows, int gates, int units, int u0, int u1) {
        int at = Heap.offset(m);
        int ld = gates * units;
        PackedForms f = m.storage().derivedFrom(GEMM_UNITS, PackedForms.NEXT);
        Object found = f.find(at, rows, units, ld, u0, u1);
        if (found != null) {
            return (PackedMatrix) found;
        }
        float[] gathered = gatherUnits(Heap.array(m), at, rows, gates, units, u0, u1);
        int w = u1 - u0;
        return f.put(at, rows, units, ld, u0, u1, PackedMatrix.repack(
                (PackedMatrix) f.recycled(at, rows, units, ld, u0, u1), false, rows, gates * w, gathered, 0, gates * w));
    }

    /** Units [u0, u1) of each gate block of every row, block after block: rows × gates·(u1 − u0). */
    private static float[] gatherUnits(float[] src, int at, int rows, int gates, int units, int u0, int u1) {
        int ld = gates * units;
        int w = u1 - u0;
        float[] gathered = new float[rows * gates * w];
        for (int i = 0; i < rows; i++) {
            for (int g = 0; g < gates; g++) {
                System.arraycopy(src, at + i * ld + g * units + u0, gathered, i * gates * w + g * w, w);
            }
        }
        return gathered;
    }

    /**
     * W (inputs×width) over U (units×width), stacked into one (inputs + units)×width matrix and
     * packed as the right operand of GEMMs: {@code [x h]·[W; U] = x·W + h·U} in one product. Cached
     * on U's storage, checked against W's version, and packed again (into the old memory) when
     * either is written.
     */
    static PackedMatrix stacked(Tensor w, Tensor u, int inputs, int units, int width) {
        int wAt = Heap.offset(w);
        int uAt = Heap.offset(u);
        Storage wStorage = w.storage();
        long wVersion = wStorage.version();
        PackedForms f = u.storage().derivedFrom(STACKED, PackedForms.NEXT);
        Object found = f.find(uAt, wAt, inputs, units, width, 0);
        if (found instanceof Stacked s && s.w() == wStorage && s.version() == wVersion) {
            return s.packed();
        }
        // Stale through W (found) or through U (what U's last version held): reuse its memory.
        Object old = found != null ? found : f.recycled(uAt, wAt, inputs, units, width, 0);
        PackedMatrix packed = PackedMatrix.repackStacked(old instanceof Stacked s ? s.packed() : null, inputs,
                Heap.array(w), wAt, width, units, Heap.array(u), uAt, width, width);
        return f.put(uAt, wAt, inputs, units, width, 0, new Stacked(wStorage, wVersion, packed)).packed();
    }

    /** A stacked packing and the version of W's storage it was made from (U's is the cache's own). */
    private record Stacked(Storage w, long version, PackedMatrix packed) {
    }
}
