package io.rnn4j.kernels.simd.gemm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.kernels.simd.platform.SimdConstants;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * GEMV against a float64 loop within a K-scaled float32 bound, on awkward sizes (1, widths ± 1,
 * primes, 4H×H LSTM shapes, one dimension near 4098), with strides, offsets and both the set and
 * the accumulate form; several rows at once, each bit for bit as alone; and column ranges that
 * together equal the whole product bit for bit. Runs at the JVM's species; see {@link SgemmTest}
 * for forcing the width.
 */
class GemvTest {
    private static final long SEED = 0x6e37_0001L;

    @ParameterizedTest(name = "k={0} n={1}")
    @CsvSource({"1,1", "1,17", "3,1", "7,15", "16,16", "17,63", "31,64", "5,65", "13,129", "128,512", "256,1024",
        "2,4098", "4098,3", "101,211"})
    void matchesFloat64WithinKScaledBound(int k, int n) {
        long seed = SEED ^ (k * 7919L + n);
        Random rnd = new Random(seed);
        int ldb = n + 3;
        int bOff = 4;
        float[] b = GemmReference.random(rnd, bOff + k * ldb);
        float[] x = GemmReference.random(rnd, k + 2);
        float[] y0 = GemmReference.random(rnd, n + 5);
        Gemv gemv = Gemv.pack(k, n, b, bOff, ldb);
        assertThat(gemv.rows()).isEqualTo(k);
        assertThat(gemv.cols()).isEqualTo(n);
        for (boolean accumulate : new boolean[] {false, true}) {
            float[] y = y0.clone();
            gemv.multiply(x, 2, y, 3, accumulate);
            String label = "seed " + seed + " " + SimdConstants.describe() + " accumulate=" + accumulate;
            // y (1×n) = x (1×k) · B: the GEMM oracle with m = 1, alpha = 1, beta = 1 or 0.
            GemmReference.check(label, false, false, 1, n, k, 1f, x, 2, Math.max(1, k), b, bOff, ldb,
                    accumulate ? 1f : 0f, y0, y, 3, n);
        }
    }

    @ParameterizedTest(name = "rows={0} k={1} n={2}")
    @CsvSource({"1,7,15", "2,17,63", "2,128,512", "3,31,64", "3,5,65", "3,64,256", "4,256,1024", "4,13,129",
        "5,101,211", "6,128,512", "7,16,200", "9,3,4098"})
    void rowsMatchFloat64AndEachRowAloneBitForBit(int rows, int k, int n) {
        long seed = SEED ^ (rows * 104729L + k * 7919L + n);
        Random rnd = new Random(seed);
        int ldx = k + 5;
        int ldy = n + 3;
        float[] b = GemmReference.random(rnd, k * n);
        float[] x = GemmReference.random(rnd, 2 + rows * ldx);
        float[] y0 = GemmReference.random(rnd, 1 + rows * ldy);
        Gemv gemv = Gemv.pack(k, n, b, 0, n);
        for (boolean accumulate : new boolean[] {false, true}) {
            float[] y = y0.clone();
            gemv.multiply(rows, x, 2, ldx, y, 1, ldy, accumulate);
            String label = "seed " + seed + " " + SimdConstants.describe() + " rows=" + rows + " accumulate="
                    + accumulate;
            GemmReference.check(label, false, false, rows, n, k, 1f, x, 2, ldx, b, 0, n, accumulate ? 1f : 0f, y0, y, 1,
                    ldy);
            // The rows beside a row never change its bits: each equals the one-row product.
            float[] alone = y0.clone();
            for (int r = 0; r < rows; r++) {
                gemv.multiply(x, 2 + r * ldx, alone, 1 + r * ldy, accumulate);
            }
            assertThat(y).as(label + ": rows at once against each row alone").isEqualTo(alone);
        }
    }

    @Test
    void rowsRejectBadSizesNamingWhatWasExpected() {
        Gemv gemv = Gemv.pack(4, 8, new float[32], 0, 8);
        assertThatThrownBy(() -> gemv.multiply(-1, new float[4], 0, 4, new float[8], 0, 8, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-negative")
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> gemv.multiply(3, new float[11], 0, 4, new float[24], 0, 8, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("X").hasMessageContaining("12");
        assertThatThrownBy(() -> gemv.multiply(3, new float[12], 0, 4, new float[23], 0, 8, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Y").hasMessageContaining("24");
    }

    @Test
    void columnRangesTileTheWholeProductExactly() {
        Random rnd = new Random(SEED);
        int k = 37;
        int n = 5 * 64 + 7;
        float[] b = GemmReference.random(rnd, k * n);
        float[] x = GemmReference.random(rnd, k);
        Gemv gemv = Gemv.pack(k, n, b, 0, n);
        float[] whole = new float[n];
        gemv.multiply(x, 0, whole, 0, false);
        float[] parts = new float[n];
        int block = gemv.columnBlock();
        for (int from = 0; from < n; from += 2 * block) {
            gemv.multiply(x, 0, parts, 0, false, from, Math.min(n, from + 2 * block));
        }
        assertThat(parts).isEqualTo(whole);
        assertThatThrownBy(() -> gemv.multiply(x, 0, parts, 0, false, 1, n))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of " + block);
        assertThatThrownBy(() -> gemv.multiply(new float[k - 1], 0, parts, 0, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x");
    }
}
