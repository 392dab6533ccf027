package io.rnn4j.kernels.simd.gemm;

import io.rnn4j.kernels.simd.platform.SimdConstants;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SGEMM against a float64 triple loop, within a K-scaled float32 bound, at every vector width, all
 * four transposes, awkward sizes (1, widths ± 1, primes, one dimension near 4098), strides wider
 * than the rows and non-zero offsets.
 */
class SgemmTest {
    private static final long SEED = 0x5eed_6e33L;

    static Stream<Arguments> cases() {
        int[][] shapes = {
            {1, 1, 1}, {1, 17, 1}, {3, 1, 5}, {7, 15, 16}, {13, 16, 17}, {2, 31, 3}, {17, 33, 31},
            {31, 65, 7}, {8, 32, 64}, {37, 47, 53}, {1, 4098, 3}, {5, 3, 4098}, {4098, 2, 2}
        };
        List<Arguments> out = new ArrayList<>();
        for (int bits : new int[] {128, 256, 512}) {
            for (int[] s : shapes) {
                for (int t = 0; t < 4; t++) {
                    out.add(Arguments.of(bits, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2]));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}-bit transA={1} transB={2} m={3} n={4} k={5}")
    @MethodSource("cases")
    void matchesFloat64WithinKScaledBound(int bits, boolean transA, boolean transB, int m, int n, int k) {
        long seed = SEED ^ (bits * 31L + m * 1_000_003L + n * 7919L + k * 13L + (transA ? 1 : 0) + (transB ? 2 : 0));
        Random rnd = new Random(seed);
        String label = "seed " + seed + " " + bits + "-bit";
        int lda = (transA ? m : k) + 3;
        int ldb = (transB ? k : n) + 1;
        int ldc = n + 2;
        int aOff = 5;
        int bOff = 2;
        int cOff = 7;
        float[] a = GemmReference.random(rnd, aOff + (transA ? k : m) * lda);
        float[] b = GemmReference.random(rnd, bOff + (transB ? n : k) * ldb);
        float[] c = GemmReference.random(rnd, cOff + m * ldc + 3);
        GemmKernel kernel = new GemmKernel(SimdConstants.species(bits));
        for (float[] ab : new float[][] {{1f, 0f}, {0.5f, -1.25f}}) {
            float[] out = c.clone();
            PackedMatrix packed = PackedMatrix.pack(kernel.species(), transB, k, n, b, bOff, ldb);
            kernel.gemm(transA, m, ab[0], a, aOff, lda, packed, ab[1], out, cOff, ldc);
            GemmReference.check(label + " alpha=" + ab[0] + " beta=" + ab[1], transA, transB, m, n, k, ab[0], a, aOff,
                    lda, b, bOff, ldb, ab[1], c, out, cOff, ldc);
        }
    }
}
