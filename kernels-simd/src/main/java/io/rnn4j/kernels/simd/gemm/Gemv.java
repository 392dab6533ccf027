package io.rnn4j.kernels.simd.gemm;

import static io.rnn4j.kernels.simd.platform.SimdConstants.fma;

import io.rnn4j.kernels.simd.platform.SimdConstants;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batch-1 product {@code y = x · B} (or {@code y += x · B}) with B (k×n) packed once for
 * streaming from cache: the recurrent step of a batch-1 RNN, bound by reading B.
 */
public final class Gemv {
    private static final VectorSpecies<Float> SPECIES = SimdConstants.SPECIES;

    private final int k;
    private final int n;
    private final int panelWidth;
    private final float[] data;

    private Gemv(int k, int n, int panelWidth, float[] data) {
        this.k = k;
        this.n = n;
        this.panelWidth = panelWidth;
        this.data = data;
    }

    /**
     * Packs B, stored k×n with row stride {@code ldb}.
     *
     * @throws IllegalArgumentException if a size is negative, {@code ldb} too small or the array too
     *     short
     */
    public static Gemv pack(int k, int n, float[] b, int bOff, int ldb) {
        GemmChecks.matrix("B", false, k, n, b, bOff, ldb);
        int nr = 2 * SPECIES.length();
        int panels = (n + nr - 1) / nr;
        float[] data = new float[Math.multiplyExact(Math.multiplyExact(panels, k), nr)];
        for (int q = 0; q < panels; q++) {
            int col0 = q * nr;
            int width = Math.min(nr, n - col0);
            for (int p = 0; p < k; p++) {
                System.arraycopy(b, bOff + p * ldb + col0, data, (q * k + p) * nr, width);
            }
        }
        return new Gemv(k, n, nr, data);
    }

    /**
     * {@code y[0..n) = x[0..k) · B}, or {@code +=} with {@code accumulate}.
     *
     * @throws IllegalArgumentException if x or y is too short for k or n floats at its offset
     */
    public void multiply(float[] x, int xOff, float[] y, int yOff, boolean accumulate) {
        GemmChecks.matrix("x", false, 1, k, x, xOff, Math.max(1, k));
        GemmChecks.matrix("y", false, 1, n, y, yOff, Math.max(1, n));
        int lanes = SPECIES.length();
        int panels = (n + panelWidth - 1) / panelWidth;
        for (int q = 0; q < panels; q++) {
            FloatVector acc0 = FloatVector.zero(SPECIES);
            FloatVector acc1 = FloatVector.zero(SPECIES);
            int off = q * k * panelWidth;
            for (int p = 0; p < k; p++) {
                FloatVector xv = FloatVector.broadcast(SPECIES, x[xOff + p]);
                acc0 = fma(xv, FloatVector.fromArray(SPECIES, data, off), acc0);
                acc1 = fma(xv, FloatVector.fromArray(SPECIES, data, off + lanes), acc1);
                off += panelWidth;
            }
            int col = q * panelWidth;
            store(acc0, accumulate, y, yOff + col, n - col);
            store(acc1, accumulate, y, yOff + col + lanes, n - col - lanes);
        }
    }

    private static void store(FloatVector acc, boolean accumulate, float[] y, int at, int valid) {
        if (valid <= 0) {
            return;
        }
        VectorMask<Float> mask = SPECIES.indexInRange(0, valid);
        FloatVector r = accumulate ? acc.add(FloatVector.fromArray(SPECIES, y, at, mask)) : acc;
        r.intoArray(y, at, mask);
    }

    /** k, the length of x. */
    public int rows() {
        return k;
    }

    /** n, the length of y. */
    public int cols() {
        return n;
    }
}
