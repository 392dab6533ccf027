package io.rnn4j.kernels.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SGEMM against the scalar backend: every transpose, alpha/beta, sub-matrices with leading
 * dimensions larger than the row, aligned (16-byte path) and misaligned (scalar path) operands,
 * shapes from 1 to past the 128 tile, each kernel family of the aligned path (pipelined 128 and
 * 64 tiles with and without split-K, the register-staged gemm.cu kernels). Tolerance grows with k
 * (float32 sums in another order). The TF32 path is held to the TF32 error bound instead
 * ({@link CudaGemmTf32Test}). Needs a GPU.
 */
class CudaGemmTest {
    private static final int[][] SHAPES = {
        {1, 1, 1}, {1, 1024, 64}, {100, 1024, 32}, {3, 5, 7}, {17, 65, 129}, {64, 64, 64}, {65, 127, 33},
        {128, 128, 128}, {129, 130, 131}, {300, 256, 300}, {513, 1027, 258}, {8, 8, 0}};

    /** A tensor of `n` floats starting 1 float into its storage when `misaligned`. */
    static Tensor place(Device d, float[] v, boolean misaligned) {
        if (!misaligned) {
            return d.tensor(v, Math.max(v.length, 1));
        }
        float[] padded = new float[v.length + 1];
        System.arraycopy(v, 0, padded, 1, v.length);
        return d.tensor(padded, padded.length).narrow(1, v.length);
    }

    static void check(Device cuda, Device cpu, SplittableRandom rnd, int m, int n, int k, boolean ta,
            boolean tb, float alpha, float beta, int pad, boolean misaligned) {
        int lda = Math.max(1, ta ? m : k) + pad;
        int ldb = Math.max(1, tb ? k : n) + pad;
        int ldc = Math.max(1, n) + pad;
        int aRows = ta ? k : m;
        int bRows = tb ? n : k;
        float[] a = Compare.uniform(rnd, Math.max(aRows * lda, 1), -1, 1);
        float[] b = Compare.uniform(rnd, Math.max(bRows * ldb, 1), -1, 1);
        float[] c = Compare.uniform(rnd, m * ldc, -1, 1);
        if (beta == 0f) {
            c[0] = Float.NaN;  // with beta 0, C is not read: NaN must not propagate
        }
        Tensor gc = place(cuda, c, misaligned);
        cuda.gemm(ta, tb, m, n, k, alpha, place(cuda, a, misaligned), lda, place(cuda, b, misaligned), ldb, beta, gc,
                ldc);
        Tensor sc = cpu.tensor(c, c.length);
        cpu.gemm(ta, tb, m, n, k, alpha, cpu.tensor(a, a.length), lda, cpu.tensor(b, b.length), ldb, beta, sc, ldc);
        String what = String.format("gemm %s%s m=%d n=%d k=%d alpha=%s beta=%s pad=%d%s", ta ? "T" : "N", tb ? "T" : "N",
                m, n, k, alpha, beta, pad, misaligned ? " misaligned" : "");
        Compare.close(what, sc.toArray(), gc.toArray(), 2e-6 * Math.max(k, 1) + 1e-6, 1e-5);
    }

    @Test
    void everyTransposeAndShapeMatchesTheScalarBackend() {
        Device cuda = CudaTestSupport.cuda();
        Device cpu = CudaTestSupport.scalar();
        SplittableRandom rnd = new SplittableRandom(Compare.seed("gemm shapes"));
        for (int[] s : SHAPES) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    check(cuda, cpu, rnd, s[0], s[1], s[2], ta, tb, 1f, 0f, 0, false);
                    check(cuda, cpu, rnd, s[0], s[1], s[2], ta, tb, 1f, 0f, 0, true);
                }
            }
        }
        // 128-tile kernels on a large enough problem, aligned and not.
        check(cuda, cpu, rnd, 1100, 1500, 72, false, true, 1f, 0f, 0, false);
        check(cuda, cpu, rnd, 1100, 1500, 72, true, false, 0.5f, 2f, 1, true);
    }

    /** How the aligned path runs: a pinned kernel family, split-K allowed or not, or gemm.cu's kernels. */
    enum AlignedPath {
        P256, P256_SPLIT, P128, P128_SPLIT, P64, P64_SPLIT, REGISTER_STAGED
    }

    private static void onAlignedPath(CudaBackend backend, AlignedPath path, Runnable body) {
        backend.useGemmVariant(path == AlignedPath.REGISTER_STAGED ? PipelinedGemmPlan.Variant.AUTO
                : PipelinedGemmPlan.Variant.valueOf(path.name().replace("_SPLIT", "")));
        backend.useGemmSplitK(path.name().endsWith("SPLIT"));
        backend.useGemmPipelined(path != AlignedPath.REGISTER_STAGED);
        try {
            body.run();
        } finally {
            backend.useGemmVariant(PipelinedGemmPlan.Variant.AUTO);
            backend.useGemmSplitK(true);
            backend.useGemmPipelined(true);
        }
    }

    @ParameterizedTest
    @EnumSource(AlignedPath.class)
    void everyAlignedKernelFamilyMatchesTheScalarBackend(AlignedPath path) {
        Device cuda = CudaTestSupport.cuda();
        Device cpu = CudaTestSupport.scalar();
        SplittableRandom rnd = new SplittableRandom(Compare.seed("gemm aligned " + path));
        onAlignedPath(CudaTestSupport.backend(cuda), path, () -> {
            for (int[] s : ALIGNED_SHAPES) {
                for (boolean ta : new boolean[] {false, true}) {
                    for (boolean tb : new boolean[] {false, true}) {
                        check(cuda, cpu, rnd, s[0], s[1], s[2], ta, tb, 1f, 0f, 0, false);
                        if (s[2] < 1000) {  // the long-k shapes once: the scalar oracle is slow
                            check(cuda, cpu, rnd, s[0], s[1], s[2], ta, tb, -0.5f, 1.25f, 4, false);
                        }
                    }
                }
            }
        });
    }

    /** Shapes for the aligned path: tails of both tiles, k past one and several pipeline steps, long k to split. */
    private static final int[][] ALIGNED_SHAPES = {
        {4, 4, 4}, {5, 8, 12}, {61, 68, 20}, {64, 64, 64}, {65, 132, 36}, {128, 128, 16}, {131, 256, 100},
        {64, 512, 1600}, {128, 132, 2052}, {300, 64, 1024}, {257, 260, 48}};

    @Test
    void alphaBetaAndLeadingDimensionsMatchTheScalarBackend() {
        Device cuda = CudaTestSupport.cuda();
        Device cpu = CudaTestSupport.scalar();
        SplittableRandom rnd = new SplittableRandom(Compare.seed("gemm alpha beta"));
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                check(cuda, cpu, rnd, 67, 129, 45, ta, tb, 0.5f, 0f, 0, false);
                check(cuda, cpu, rnd, 67, 129, 45, ta, tb, 1.5f, -0.75f, 0, false);
                check(cuda, cpu, rnd, 67, 129, 45, ta, tb, 1f, 1f, 3, false);
                check(cuda, cpu, rnd, 128, 256, 64, ta, tb, -2f, 0.5f, 4, false);
                check(cuda, cpu, rnd, 128, 256, 64, ta, tb, 1f, 0f, 4, true);
            }
        }
    }

    @Test
    void theShapesOfTheSpeedTargetsAreCorrect() {
        Device cuda = CudaTestSupport.cuda();
        Device cpu = CudaTestSupport.scalar();
        SplittableRandom rnd = new SplittableRandom(Compare.seed("gemm targets"));
        check(cuda, cpu, rnd, 3200, 1024, 64, false, false, 1f, 0f, 0, false);
        check(cuda, cpu, rnd, 3200, 64, 1024, false, true, 1f, 0f, 0, false);
        check(cuda, cpu, rnd, 64, 1024, 3200, true, false, 1f, 0f, 0, false);
    }

    @Test
    void theTwoDimensionalFormChecksItsShapes() {
        Device cuda = CudaTestSupport.cuda();
        Tensor a = cuda.tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = cuda.tensor(new float[] {1, 0, 0, 1, 1, 1}, 3, 2);
        Tensor c = cuda.zeros(2, 2);
        cuda.gemm(false, false, 1f, a, b, 0f, c);
        assertThat(c.toArray()).containsExactly(4, 5, 10, 11);
    }
}
