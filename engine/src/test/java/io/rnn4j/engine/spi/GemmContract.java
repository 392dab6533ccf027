package io.rnn4j.engine.spi;

import static io.rnn4j.engine.testing.Approx.assertClose;
import static io.rnn4j.engine.testing.Approx.scaled;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.testing.Approx;
import io.rnn4j.engine.testing.Reference;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GEMM against a float64 reference: every transpose, alpha and beta (beta = 0 never reads C, so
 * NaN there does not propagate), leading dimensions wider than the matrices (the padding holds NaN,
 * so reading it would show), and sub-matrices of larger tensors. The bar is the classic bound for a
 * length-k dot product: |error| ≤ (k + 3) · 2⁻²³ · (|α| Σ|a·b| + |β·c|).
 */
// Tests are compiled into the engine module: JUnit and the test-only packages are not exported from it.
@SuppressWarnings("exports")
public interface GemmContract extends BackendContract {

    /** The bar's wording, for messages. */
    String GEMM_BAR = "|err| <= (k+3)·2^-23·(|alpha|·Σ|a·b| + |beta·c|)";

    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @MethodSource("io.rnn4j.engine.testing.Sizes#gemmShapes")
    default void gemmMatchesFloat64ForEveryTranspose(int m, int n, int k) {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                checkGemm(ta, tb, m, n, k, 1f, 0f);
            }
        }
    }

    @ParameterizedTest(name = "alpha={0} beta={1}")
    @CsvSource({"1, 1", "-0.5, 0", "2, -0.75", "0.25, 3", "0, 1", "1, 0"})
    default void gemmScalesByAlphaAndBeta(float alpha, float beta) {
        int[][] shapes = {{1, 1, 1}, {7, 9, 8}, {8, 16, 17}, {17, 15, 33}, {1, 31, 64}};
        for (int[] s : shapes) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    checkGemm(ta, tb, s[0], s[1], s[2], alpha, beta);
                }
            }
        }
    }

    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @CsvSource({"1, 1, 1", "7, 9, 8", "16, 17, 33", "1, 64, 127"})
    default void gemmWithBetaZeroIgnoresNaNAndInfinityInC(int m, int n, int k) {
        Tensor a = normal(1, m, k);
        Tensor b = normal(1, k, n);
        for (float poison : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            Tensor c = filled(poison, m, n);
            device().gemm(false, false, 1f, a, b, 0f, c);
            for (float v : c.toArray()) {
                assertTrue(Float.isFinite(v), "beta = 0 must not read C (it held " + poison + "), got " + v);
            }
        }
    }

    @ParameterizedTest(name = "k={0}")
    @CsvSource({"0", "1"})
    default void gemmWithEmptyInnerDimensionScalesC(int k) {
        // k = 0: op(a)·op(b) is the zero matrix, so C = beta·C.
        Tensor a = normal(1, 3, k);
        Tensor b = normal(1, k, 4);
        float[] c0 = random().normal(12, 1);
        Tensor c = tensor(c0, 3, 4);
        device().gemm(false, false, 2f, a, b, -0.5f, c);
        Reference.Expected want = Reference.gemm(false, false, 3, 4, k, 2, a.toArray(), 0, Math.max(1, k),
                b.toArray(), 0, 4, -0.5, c0, 0, 4);
        assertClose("gemm with k=" + k + ", " + random(), c.toArray(), want.values(),
                scaled(want.magnitudes(), (k + 3) * Approx.EPS), GEMM_BAR);
    }

    @ParameterizedTest(name = "transA={0} transB={1}")
    @CsvSource({"false, false", "false, true", "true, false", "true, true"})
    default void gemmHonoursLeadingDimensionsWiderThanTheMatrix(boolean ta, boolean tb) {
        int m = 9;
        int n = 17;
        int k = 15;
        int aRows = ta ? k : m;
        int aCols = ta ? m : k;
        int bRows = tb ? n : k;
        int bCols = tb ? k : n;
        int lda = aCols + 3;
        int ldb = bCols + 8;
        int ldc = n + 5;
        // The padding between rows is NaN: a backend that reads it poisons its result.
        float[] a = padded(aRows, aCols, lda);
        float[] b = padded(bRows, bCols, ldb);
        float[] c = padded(m, n, ldc);
        Tensor at = tensor(a, a.length);
        Tensor bt = tensor(b, b.length);
        Tensor ct = tensor(c, c.length);
        device().gemm(ta, tb, m, n, k, 1.5f, at, lda, bt, ldb, 0.5f, ct, ldc);
        Reference.Expected want = Reference.gemm(ta, tb, m, n, k, 1.5, a, 0, lda, b, 0, ldb, 0.5, c, 0, ldc);
        float[] got = ct.toArray();
        float[] inside = new float[m * n];
        for (int i = 0; i < m; i++) {
            System.arraycopy(got, i * ldc, inside, i * n, n);
            for (int j = n; j < ldc && i * ldc + j < got.length; j++) {
                assertTrue(Float.isNaN(got[i * ldc + j]), "C's padding at row " + i + ", column " + j
                        + " (ldc " + ldc + ") must stay untouched");
            }
        }
        assertClose("gemm with lda=" + lda + " ldb=" + ldb + " ldc=" + ldc + ", " + random(), inside,
                want.values(), scaled(want.magnitudes(), (k + 3) * Approx.EPS), GEMM_BAR);
    }

    @ParameterizedTest(name = "transA={0} transB={1}")
    @CsvSource({"false, false", "false, true", "true, false", "true, true"})
    default void gemmOnSubMatricesOfLargerTensors(boolean ta, boolean tb) {
        // Rows 2.. of a bigger A via narrow; a block of B starting mid-row via a flat view with ldb;
        // rows 1..m of a bigger C via narrow, whose other rows must stay as they were.
        int m = 7;
        int n = 9;
        int k = 31;
        int aRows = ta ? k : m;
        int aCols = ta ? m : k;
        float[] aBig = random().normal((aRows + 3) * aCols, 1);
        Tensor a = tensor(aBig, aRows + 3, aCols).narrow(2, aRows);
        int bRows = tb ? n : k;
        int bCols = tb ? k : n;
        int ldb = bCols + 4;
        int bStart = 2 * ldb + 3; // row 2, column 3 of the bigger B
        float[] bBig = random().normal((bRows + 3) * ldb, 1);
        Tensor b = tensor(bBig, bBig.length).narrow(bStart, (bRows - 1) * ldb + bCols);
        float[] cBig = random().normal((m + 2) * n, 1);
        Tensor cWhole = tensor(cBig, m + 2, n);
        device().gemm(ta, tb, m, n, k, 1f, a, aCols, b, ldb, 1f, cWhole.narrow(1, m), n);
        Reference.Expected want = Reference.gemm(ta, tb, m, n, k, 1, aBig, 2 * aCols, aCols, bBig, bStart, ldb, 1,
                cBig, n, n);
        float[] got = cWhole.toArray();
        assertClose("gemm on sub-matrices, " + random(), Arrays.copyOfRange(got, n, (m + 1) * n), want.values(),
                scaled(want.magnitudes(), (k + 3) * Approx.EPS), GEMM_BAR);
        Approx.assertExact("row 0 of C (outside the view)", Arrays.copyOfRange(got, 0, n),
                Arrays.copyOfRange(cBig, 0, n));
        Approx.assertExact("last row of C (outside the view)", Arrays.copyOfRange(got, (m + 1) * n, (m + 2) * n),
                Arrays.copyOfRange(cBig, (m + 1) * n, (m + 2) * n));
    }

    private void checkGemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float beta) {
        float[] a = random().normal(m * k, 1);
        float[] b = random().normal(k * n, 1);
        float[] c = beta == 0 ? nans(m * n) : random().normal(m * n, 1);
        Tensor ct = tensor(c, m, n);
        device().gemm(ta, tb, alpha, tensor(a, ta ? k : m, ta ? m : k), tensor(b, tb ? n : k, tb ? k : n), beta, ct);
        Reference.Expected want = Reference.gemm(ta, tb, m, n, k, alpha, a, 0, ta ? m : k, b, 0, tb ? k : n, beta,
                c, 0, n);
        assertClose("gemm transA=" + ta + " transB=" + tb + " m=" + m + " n=" + n + " k=" + k + " alpha=" + alpha
                + " beta=" + beta + ", " + random(), ct.toArray(), want.values(),
                scaled(want.magnitudes(), (k + 3) * Approx.EPS), GEMM_BAR);
    }

    private float[] padded(int rows, int cols, int ld) {
        float[] out = nans((rows - 1) * ld + cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i * ld + j] = (float) random().gaussian();
            }
        }
        return out;
    }

    private static float[] nans(int n) {
        float[] out = new float[n];
        Arrays.fill(out, Float.NaN);
        return out;
    }
}
