package io.rnn4j.kernels.simd.gemm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.kernels.simd.platform.SimdConstants;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SGEMM against a float64 triple loop within a K-scaled float32 bound: all four transposes, raw and
 * pre-packed B, awkward sizes (1, tile sizes ± 1, primes, K, M and N across several cache blocks,
 * one dimension near 4098), strides wider than the rows and non-zero offsets; and bit-identical results
 * for 1, 2 and 3 threads.
 *
 * <p>The kernels are compiled for the JVM's species: run this class with
 * {@code -Drnn4j.tests=true -Drnn4j.simd.bits=128|256|512} to cover each width (the species must be a
 * constant for C2, so it cannot be a test parameter).
 */
class SgemmTest {
    private static final long SEED = 0x5eed_6e33L;

    @BeforeAll
    static void sayWidth() {
        System.out.println("SgemmTest at " + SimdConstants.describe() + ", MR=" + MicroKernel.MR + ", NR="
                + MicroKernel.NR);
    }

    static Stream<Arguments> cases() {
        int mr = MicroKernel.MR;
        int nr = MicroKernel.NR;
        int l = MicroKernel.LANES;
        int[][] shapes = {
            {1, 1, 1}, {1, 17, 1}, {3, 1, 5}, {mr - 1, nr - 1, 16}, {mr, nr, 17}, {mr + 1, nr + 1, 3},
            {2, l + 1, 31}, {2 * mr + 3, 2 * nr + 5, 7}, {37, 47, 53}, {13, 29, GemmLoops.KC + 1},
            {5, 11, 2 * GemmLoops.KC + 77}, {GemmLoops.MC + mr + 1, 19, 11}, {1, 4098, 3}, {5, 3, 4098}, {4098, 2, 2},
            {3, 1031, 5}, {3, 1031, GemmLoops.KC + 1}, {4, 2 * nr, 19}, {4, nr + 3, GemmLoops.KC + 9},
            {2, 4 * nr + 5, 40}, {2, 9 * nr, GemmLoops.KC + 3}
        };
        List<Arguments> out = new ArrayList<>();
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                for (boolean packed : new boolean[] {false, true}) {
                    out.add(Arguments.of((t & 1) != 0, (t & 2) != 0, packed, s[0], s[1], s[2]));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "transA={0} transB={1} packed={2} m={3} n={4} k={5}")
    @MethodSource("cases")
    void matchesFloat64WithinKScaledBound(boolean transA, boolean transB, boolean packed, int m, int n, int k) {
        long seed = SEED ^ (m * 1_000_003L + n * 7919L + k * 13L + (transA ? 1 : 0) + (transB ? 2 : 0));
        Random rnd = new Random(seed);
        int lda = (transA ? m : k) + 3;
        int ldb = (transB ? k : n) + 1;
        int ldc = n + 2;
        int aOff = 5;
        int bOff = 2;
        int cOff = 7;
        float[] a = GemmReference.random(rnd, aOff + (transA ? k : m) * lda);
        float[] b = GemmReference.random(rnd, bOff + (transB ? n : k) * ldb);
        float[] c = GemmReference.random(rnd, cOff + m * ldc + 3);
        PackedMatrix pb = packed ? PackedMatrix.pack(transB, k, n, b, bOff, ldb) : null;
        for (float[] ab : new float[][] {{1f, 0f}, {1f, 1f}, {0.5f, -1.25f}}) {
            float[] out = c.clone();
            if (packed) {
                Sgemm.gemm(transA, m, ab[0], a, aOff, lda, pb, ab[1], out, cOff, ldc);
            } else {
                Sgemm.gemm(transA, transB, m, n, k, ab[0], a, aOff, lda, b, bOff, ldb, ab[1], out, cOff, ldc);
            }
            String label = "seed " + seed + " " + SimdConstants.describe() + " alpha=" + ab[0] + " beta=" + ab[1];
            GemmReference.check(label, transA, transB, m, n, k, ab[0], a, aOff, lda, b, bOff, ldb, ab[1], c, out, cOff,
                    ldc);
        }
    }

    static Stream<Arguments> stackedCases() {
        int mr = MicroKernel.MR;
        int nr = MicroKernel.NR;
        int kc = GemmLoops.KC;
        // m, n, k, k1: A1 empty or all of A, the join inside a K block, on its edge and in a later one.
        int[][] shapes = {
            {1, 1, 1, 0}, {1, 1, 1, 1}, {mr - 1, nr + 1, 17, 5}, {mr, nr, 16, 16}, {37, 47, 53, 0}, {37, 47, 53, 53},
            {2 * mr + 3, 2 * nr + 5, kc + 9, kc - 3}, {3, 29, kc + 9, kc}, {13, 29, 2 * kc + 5, kc + 7}, {5, 1031, 300, 64}
        };
        List<Arguments> out = new ArrayList<>();
        for (int[] s : shapes) {
            out.add(Arguments.of(s[0], s[1], s[2], s[3], false));
            out.add(Arguments.of(s[0], s[1], s[2], s[3], true));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} k1={3} bias={4}")
    @MethodSource("stackedCases")
    void stackedMatchesFloat64WithinKScaledBound(int m, int n, int k, int k1, boolean withBias) {
        long seed = SEED ^ (m * 1_000_003L + n * 7919L + k * 13L + k1 * 31L + (withBias ? 1 : 0));
        Random rnd = new Random(seed);
        int k2 = k - k1;
        int lda1 = k1 + 2;
        int lda2 = k2 + 3;
        int ldc = n + 2;
        float[] a1 = GemmReference.random(rnd, 4 + m * lda1);
        float[] a2 = GemmReference.random(rnd, 6 + m * lda2);
        float[] b = GemmReference.random(rnd, 1 + k * n);
        float[] bias = withBias ? GemmReference.random(rnd, 3 + n) : null;
        float[] garbage = new float[5 + m * ldc + 1];
        Arrays.fill(garbage, Float.NaN);
        // The oracle's operands: A joined into m×k, and C before the call holding the bias in every
        // row (checked as beta = 1) or, without one, never read (beta = 0).
        float[] joined = new float[m * k];
        float[] before = garbage.clone();
        for (int i = 0; i < m; i++) {
            System.arraycopy(a1, 4 + i * lda1, joined, i * k, k1);
            System.arraycopy(a2, 6 + i * lda2, joined, i * k + k1, k2);
            if (withBias) {
                System.arraycopy(bias, 3, before, 5 + i * ldc, n);
            }
        }
        PackedMatrix pb = PackedMatrix.pack(false, k, n, b, 1, n);
        float[] out = garbage.clone();
        Sgemm.gemmStacked(m, a1, 4, lda1, k1, a2, 6, lda2, pb, bias, 3, out, 5, ldc, 1);
        String label = "seed " + seed + " " + SimdConstants.describe() + " stacked k1=" + k1 + " bias=" + withBias;
        GemmReference.check(label, false, false, m, n, k, 1f, joined, 0, k, b, 1, n, withBias ? 1f : 0f, before, out,
                5, ldc);
    }

    @Test
    void stackedIsBitIdenticalForOneTwoAndThreeThreads() {
        Random rnd = new Random(SEED + 5);
        int m = 100;
        int n = 333;
        int k = 70;
        int k1 = 30;
        float[] a1 = GemmReference.random(rnd, m * k1);
        float[] a2 = GemmReference.random(rnd, m * (k - k1));
        PackedMatrix pb = PackedMatrix.pack(false, k, n, GemmReference.random(rnd, k * n), 0, n);
        float[] bias = GemmReference.random(rnd, n);
        float[][] results = new float[3][];
        for (int threads = 1; threads <= 3; threads++) {
            results[threads - 1] = new float[m * n];
            Sgemm.gemmStacked(m, a1, 0, k1, k1, a2, 0, k - k1, pb, bias, 0, results[threads - 1], 0, n, threads);
        }
        assertThat(results[1]).as("2 threads vs 1, seed " + (SEED + 5)).isEqualTo(results[0]);
        assertThat(results[2]).as("3 threads vs 1, seed " + (SEED + 5)).isEqualTo(results[0]);
    }

    @Test
    void aStackedPackingIsThePackingOfTheJoinedMatrix() {
        Random rnd = new Random(SEED + 9);
        int k1 = 7;
        int k2 = 12;
        int n = 2 * MicroKernel.NR + 3;
        float[] b1 = GemmReference.random(rnd, 2 + k1 * (n + 1));
        float[] b2 = GemmReference.random(rnd, 5 + k2 * (n + 4));
        float[] joined = new float[(k1 + k2) * n];
        for (int p = 0; p < k1; p++) {
            System.arraycopy(b1, 2 + p * (n + 1), joined, p * n, n);
        }
        for (int p = 0; p < k2; p++) {
            System.arraycopy(b2, 5 + p * (n + 4), joined, (k1 + p) * n, n);
        }
        float[] a = GemmReference.random(rnd, 9 * (k1 + k2));
        float[] want = new float[9 * n];
        Sgemm.gemm(false, 9, 1f, a, 0, k1 + k2, PackedMatrix.pack(false, k1 + k2, n, joined, 0, n), 0f, want, 0, n);
        PackedMatrix old = PackedMatrix.pack(false, k1 + k2, n, new float[(k1 + k2) * n], 0, n);
        PackedMatrix stacked = PackedMatrix.repackStacked(old, k1, b1, 2, n + 1, k2, b2, 5, n + 4, n);
        assertThat(stacked).as("same sizes: the old memory is reused").isSameAs(old);
        float[] got = new float[9 * n];
        Sgemm.gemm(false, 9, 1f, a, 0, k1 + k2, stacked, 0f, got, 0, n);
        assertThat(got).as("seed " + (SEED + 9)).isEqualTo(want);
    }

    @Test
    void stackedRejectsBadArgumentsBeforeWriting() {
        PackedMatrix pb = PackedMatrix.pack(false, 3, 2, new float[6], 0, 2);
        float[] c = {9, 9, 9, 9};
        assertThatThrownBy(() -> Sgemm.gemmStacked(2, new float[4], 0, 2, 4, new float[2], 0, 1, pb, null, 0, c, 0, 2, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k1").hasMessageContaining("4");
        assertThatThrownBy(() -> Sgemm.gemmStacked(2, new float[4], 0, 2, 2, new float[1], 0, 1, pb, null, 0, c, 0, 2, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("A2");
        assertThatThrownBy(() -> Sgemm.gemmStacked(2, new float[4], 0, 2, 2, new float[2], 0, 1, pb, new float[1], 0, c,
                0, 2, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bias");
        assertThat(c).containsExactly(9, 9, 9, 9);
    }

    @Test
    void betaZeroNeverReadsC() {
        float[] a = {1, 2, 3, 4};
        float[] b = {1, 0, 0, 1};
        float[] c = new float[4];
        Arrays.fill(c, Float.NaN);
        Sgemm.gemm(false, false, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2);
        assertThat(c).containsExactly(1, 2, 3, 4);
        Arrays.fill(c, Float.NaN);
        Sgemm.gemm(false, false, 2, 2, 0, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2);
        assertThat(c).as("k = 0, beta = 0: C = 0").containsExactly(0, 0, 0, 0);
    }

    @Test
    void aRowHasTheSameBitsInBlocksOfAnyHeight() {
        // Blocks of 1 to 3 rows go across panels (SmallTiles.wide), 4, 8 and 12 through tiles, the
        // rest through an edge tile: every row must come out the same whichever took it.
        Random rnd = new Random(SEED + 7);
        int m = 13;
        int n = 9 * MicroKernel.NR + 5;
        int k = GemmLoops.KC + 21;
        float[] a = GemmReference.random(rnd, m * k);
        float[] b = GemmReference.random(rnd, k * n);
        float[] c0 = GemmReference.random(rnd, m * n);
        PackedMatrix packed = PackedMatrix.pack(false, k, n, b, 0, n);
        float[] whole = c0.clone();
        Sgemm.gemm(false, m, 0.75f, a, 0, k, packed, 0.5f, whole, 0, n, 1);
        for (int height = 1; height <= m; height++) {
            float[] parts = c0.clone();
            for (int i = 0; i < m; i += height) {
                int rows = Math.min(height, m - i);
                Sgemm.gemm(false, rows, 0.75f, a, i * k, k, packed, 0.5f, parts, i * n, n, 1);
            }
            assertThat(parts).as("rows in blocks of " + height + " vs one block of " + m + ", seed " + (SEED + 7))
                    .isEqualTo(whole);
        }
    }

    static Stream<Arguments> threadShapes() {
        return Stream.of(Arguments.of(false, false, 100, 333, 70), Arguments.of(true, true, 301, 37, 65),
                Arguments.of(false, true, 67, 2050, 300), Arguments.of(true, false, 1000, 9, 300),
                Arguments.of(false, false, 3, 2050, 300));
    }

    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4}")
    @MethodSource("threadShapes")
    void bitIdenticalForOneTwoAndThreeThreads(boolean transA, boolean transB, int m, int n, int k) {
        Random rnd = new Random(SEED + m);
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        float[] a = GemmReference.random(rnd, (transA ? k : m) * lda);
        float[] b = GemmReference.random(rnd, (transB ? n : k) * ldb);
        float[] c0 = GemmReference.random(rnd, m * n);
        float[][] results = new float[3][];
        for (int threads = 1; threads <= 3; threads++) {
            float[] c = c0.clone();
            GemmLoops.gemm(transA, m, n, k, 0.75f, a, 0, lda, null, transB, b, 0, ldb, 0.5f, c, 0, n, threads);
            results[threads - 1] = c;
        }
        assertThat(results[1]).as("2 threads vs 1, seed " + (SEED + m)).isEqualTo(results[0]);
        assertThat(results[2]).as("3 threads vs 1, seed " + (SEED + m)).isEqualTo(results[0]);
    }

    @Test
    void rejectsBadArgumentsBeforeWriting() {
        float[] a = new float[6];
        float[] b = new float[6];
        float[] c = {9, 9, 9, 9};
        assertThatThrownBy(() -> Sgemm.gemm(false, false, 2, 2, 3, 1f, a, 0, 3, b, 1, 2, 0f, c, 0, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("B").hasMessageContaining("7");
        assertThatThrownBy(() -> Sgemm.gemm(false, false, 2, 2, 3, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("A")
                .hasMessageContaining("at least 3");
        assertThatThrownBy(() -> Sgemm.gemm(false, false, 2, 3, 3, 1f, a, 0, 3, new float[9], 0, 3, 0f, c, 0, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("C");
        assertThatThrownBy(() -> Sgemm.gemm(false, false, -1, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThat(c).containsExactly(9, 9, 9, 9);
    }
}
