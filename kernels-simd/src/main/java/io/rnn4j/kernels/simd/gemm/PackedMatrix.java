package io.rnn4j.kernels.simd.gemm;

import static io.rnn4j.kernels.simd.gemm.MicroKernel.NR;

import io.rnn4j.kernels.simd.platform.AlignedFloats;
import java.lang.foreign.MemorySegment;

/**
 * The right-hand operand of a GEMM (k×n, the weights), packed once into the column panels the
 * micro-kernel streams: panel {@code q} holds columns {@code [q·NR, q·NR + NR)} of all k rows, row
 * after row, NR floats each (NR = two vectors), zero-padded past column n. Immutable; pack again
 * when the source changes (the backend caches it with the weight tensor, because packing costs
 * about one pass over B and a sequence multiplies by the same weights every step).
 */
public final class PackedMatrix {
    private final int k;
    private final int n;
    private final MemorySegment data;

    private PackedMatrix(int k, int n, MemorySegment data) {
        this.k = k;
        this.n = n;
        this.data = data;
    }

    /**
     * Packs op(B), k×n, for {@link Sgemm#gemm(boolean, int, float, float[], int, int, PackedMatrix, float,
     * float[], int, int)}: B is stored k×n with row stride {@code ldb} or, with {@code transB}, n×k.
     *
     * @throws IllegalArgumentException if a size is negative, {@code ldb} too small or the array too
     *     short for the stored matrix
     */
    public static PackedMatrix pack(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        return repack(null, transB, k, n, b, bOff, ldb);
    }

    /**
     * Packs op(B) as {@link #pack} does, into {@code old}'s memory when {@code old} has the same k
     * and n (weights re-packed after every write reuse one buffer), else into new memory. Returns
     * {@code old} itself or a new packed matrix.
     *
     * @throws IllegalArgumentException as {@link #pack}
     */
    public static PackedMatrix repack(PackedMatrix old, boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        GemmChecks.matrix("B", transB, k, n, b, bOff, ldb);
        int panels = Math.ceilDiv(n, NR);
        PackedMatrix p = old != null && old.k == k && old.n == n ? old
                : new PackedMatrix(k, n, AlignedFloats.allocate(Math.multiplyExact(Math.multiplyExact((long) panels, k), NR)));
        Packing.packB(transB, n, b, bOff, ldb, 0, k, 0, panels, p.data, 0);
        return p;
    }

    /**
     * Packs the k1×n {@code b1} stacked over the k2×n {@code b2} (both stored row-major) as one
     * (k1 + k2)×n operand, into {@code old}'s memory when its sizes match, else into new memory:
     * {@code [A1 A2]·[B1; B2] = A1·B1 + A2·B2} in one product ({@link Sgemm#gemmStacked}).
     *
     * @throws IllegalArgumentException as {@link #pack}, for either part
     */
    public static PackedMatrix repackStacked(PackedMatrix old, int k1, float[] b1, int b1Off, int ldb1, int k2,
            float[] b2, int b2Off, int ldb2, int n) {
        GemmChecks.matrix("B1", false, k1, n, b1, b1Off, ldb1);
        GemmChecks.matrix("B2", false, k2, n, b2, b2Off, ldb2);
        int k = Math.addExact(k1, k2);
        int panels = Math.ceilDiv(n, NR);
        PackedMatrix p = old != null && old.k == k && old.n == n ? old
                : new PackedMatrix(k, n, AlignedFloats.allocate(Math.multiplyExact(Math.multiplyExact((long) panels, k), NR)));
        // Panel by panel: B1's rows, then B2's below them in the same panel.
        for (int q = 0; q < panels; q++) {
            long panel = (long) q * k * NR;
            Packing.packB(false, n, b1, b1Off, ldb1, 0, k1, q, q + 1, p.data, panel);
            Packing.packB(false, n, b2, b2Off, ldb2, 0, k2, q, q + 1, p.data, panel + (long) k1 * NR);
        }
        return p;
    }

    /** k, the depth: op(A) must have k columns. */
    public int rows() {
        return k;
    }

    /** n, the columns of the product. */
    public int cols() {
        return n;
    }

    /** The byte where row {@code p} of panel {@code q} starts in {@link #data()}. */
    long offset(int q, int p) {
        return ((long) q * k + p) * NR * Float.BYTES;
    }

    /** The panels, in an aligned buffer ({@link AlignedFloats}). */
    MemorySegment data() {
        return data;
    }

    @Override
    public String toString() {
        return "PackedMatrix[" + k + "x" + n + " in panels of " + NR + " columns]";
    }
}
