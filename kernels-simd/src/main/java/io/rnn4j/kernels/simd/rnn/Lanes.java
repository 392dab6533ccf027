package io.rnn4j.kernels.simd.rnn;

import static io.rnn4j.kernels.simd.platform.SimdConstants.fma;

import io.rnn4j.kernels.simd.platform.SimdConstants;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The small vector loops the cells share: products and sums of rows. */
final class Lanes {
    static final VectorSpecies<Float> S = SimdConstants.SPECIES;
    static final int L = S.length();
    /**
     * FMA or multiply-add, decided once. Loops write {@code FMA ? a.fma(b, c) : a.mul(b).add(c)}
     * rather than call SimdConstants.fma: a call that takes vectors must never be left to the
     * inliner (see VectorMath), and the constant folds the other branch away.
     */
    static final boolean FMA = SimdConstants.FAST_FMA;

    private Lanes() {
    }

    /** {@code out = a · b} over n floats. */
    static void mul(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, ao + i).mul(FloatVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] * b[bo + i];
        }
    }

    /** {@code a += b} over n floats. */
    static void addTo(float[] a, int ao, float[] b, int bo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, ao + i).add(FloatVector.fromArray(S, b, bo + i)).intoArray(a, ao + i);
        }
        for (; i < n; i++) {
            a[ao + i] += b[bo + i];
        }
    }

    /** {@code acc += a · b} over n floats. */
    static void addProduct(float[] a, int ao, float[] b, int bo, float[] acc, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector av = FloatVector.fromArray(S, a, ao + i);
            FloatVector bv = FloatVector.fromArray(S, b, bo + i);
            FloatVector cv = FloatVector.fromArray(S, acc, oo + i);
            (FMA ? av.fma(bv, cv) : av.mul(bv).add(cv)).intoArray(acc, oo + i);
        }
        for (; i < n; i++) {
            acc[oo + i] = fma(a[ao + i], b[bo + i], acc[oo + i]);
        }
    }

    /** {@code out = a + b} over n floats. */
    static void add(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, ao + i).add(FloatVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] + b[bo + i];
        }
    }

    /**
     * The column sums of a rows×n matrix with row stride ld: {@code out[j] = Σ_r m[r·ld + j]},
     * overwriting out.
     */
    static void columnSums(float[] m, int mo, int rows, int n, int ld, float[] out, int oo) {
        java.util.Arrays.fill(out, oo, oo + n, 0f);
        for (int r = 0; r < rows; r++) {
            addTo(out, oo, m, mo + r * ld, n);
        }
    }
}
