package io.rnn4j.kernels.simd.gemm;

import static org.assertj.core.api.Assertions.fail;

import java.util.Random;

/** The oracle for the GEMM tests: a float64 triple loop, and an error bound scaled by K. */
final class GemmReference {
    private GemmReference() {
    }

    /** Random values in [-1, 1), with a fixed seed so a failure reproduces. */
    static float[] random(Random rnd, int length) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = rnd.nextFloat() * 2f - 1f;
        }
        return x;
    }

    /**
     * Checks {@code actual} (C after the product) against the float64 product from {@code cBefore}:
     * each element within {@code (k + 4) · 2⁻²³} of the sum of magnitudes it was built from, the
     * classic bound for a length-k float32 dot product (with or without FMA) plus the alpha/beta
     * update. Elements outside the m×n window (padding between rows) must be untouched.
     */
    static void check(String label, boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
            int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] cBefore, float[] actual, int cOff,
            int ldc) {
        double unit = Math.ulp(1f);
        boolean[] inside = new boolean[actual.length];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                double mag = 0;
                for (int p = 0; p < k; p++) {
                    double x = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double y = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += x * y;
                    mag += Math.abs(x * y);
                }
                int at = cOff + i * ldc + j;
                inside[at] = true;
                double old = beta == 0f ? 0 : cBefore[at];
                double expected = alpha * sum + beta * old;
                double bound = (k + 4) * unit * (Math.abs(alpha) * mag + Math.abs(beta * old)) + Float.MIN_NORMAL;
                double err = Math.abs(actual[at] - expected);
                if (!(err <= bound)) {
                    fail("%s: C[%d,%d] = %s, expected %s within %s (error %s)", label, i, j, actual[at], expected,
                            bound, err);
                }
            }
        }
        for (int at = 0; at < actual.length; at++) {
            if (!inside[at] && Float.floatToRawIntBits(actual[at]) != Float.floatToRawIntBits(cBefore[at])) {
                fail("%s: C[%d] outside the %dx%d result changed from %s to %s", label, at, m, n, cBefore[at],
                        actual[at]);
            }
        }
    }
}
