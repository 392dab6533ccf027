package io.rnn4j.kernels.simd.gemm;

import jdk.incubator.vector.VectorSpecies;

/**
 * The right-hand operand of a GEMM (k×n, the weights), packed once into column panels the
 * micro-kernel streams: panel {@code q} holds columns {@code [q·nr, q·nr + nr)} of all k rows, row
 * after row, {@code nr} floats each, zero-padded past column n. Immutable; pack again when the
 * source changes (the backend caches it with the weight tensor).
 */
public final class PackedMatrix {
    private final int k;
    private final int n;
    private final int panelWidth;
    private final float[] data;

    private PackedMatrix(int k, int n, int panelWidth, float[] data) {
        this.k = k;
        this.n = n;
        this.panelWidth = panelWidth;
        this.data = data;
    }

    /**
     * Packs op(B), k×n, for {@link Sgemm#gemm(boolean, int, float, float[], int, int, PackedMatrix, float,
     * float[], int, int)}: B is stored k×n (row stride {@code ldb}) or, with {@code transB}, n×k.
     *
     * @throws IllegalArgumentException if a size is negative, {@code ldb} too small or the array too
     *     short for the stored matrix
     */
    public static PackedMatrix pack(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        return pack(GemmKernel.PREFERRED.species(), transB, k, n, b, bOff, ldb);
    }

    static PackedMatrix pack(VectorSpecies<Float> species, boolean transB, int k, int n, float[] b, int bOff,
            int ldb) {
        GemmChecks.matrix("B", transB, k, n, b, bOff, ldb);
        int nr = GemmKernel.panelWidth(species);
        int panels = (n + nr - 1) / nr;
        float[] data = new float[Math.multiplyExact(Math.multiplyExact(panels, k), nr)];
        for (int q = 0; q < panels; q++) {
            int col0 = q * nr;
            int width = Math.min(nr, n - col0);
            int base = q * k * nr;
            for (int p = 0; p < k; p++) {
                int dst = base + p * nr;
                if (transB) {
                    for (int c = 0; c < width; c++) {
                        data[dst + c] = b[bOff + (col0 + c) * ldb + p];
                    }
                } else {
                    System.arraycopy(b, bOff + p * ldb + col0, data, dst, width);
                }
            }
        }
        return new PackedMatrix(k, n, nr, data);
    }

    /** k, the depth op(A)'s columns must match. */
    public int rows() {
        return k;
    }

    /** n, the columns of the product. */
    public int cols() {
        return n;
    }

    int panelWidth() {
        return panelWidth;
    }

    int panels() {
        return (n + panelWidth - 1) / panelWidth;
    }

    /** Where row {@code p} of panel {@code q} starts in {@link #data()}. */
    int offset(int q, int p) {
        return (q * k + p) * panelWidth;
    }

    float[] data() {
        return data;
    }

    @Override
    public String toString() {
        return "PackedMatrix[" + k + "x" + n + ", panels of " + panelWidth + "]";
    }
}
