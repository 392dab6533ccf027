package io.rnn4j.kernels.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The TF32 GEMM ({@link CudaBackend#useTf32}) against the exact (float64) product, held to the
 * TF32 error bound: each input rounded to a 10-bit mantissa (relative error up to 2^-11 each, so
 * 2^-10 + 2^-22 per product), fp32 accumulation (k+2 roundings of up to 2^-22 of the running
 * sum's scale, generously), i.e. per element
 * {@code |C - exact| <= |alpha|·Σ|a||b|·(2^-10 + (k+2)·2^-22) + |beta·c|·2^-22}. And that TF32 is
 * really used: a value TF32 cannot hold comes out rounded, while fp32 keeps it. Needs a GPU.
 */
class CudaGemmTf32Test {
    private static final double TF32_PRODUCT = Math.scalb(1.0, -10) + Math.scalb(1.0, -22);

    private static void checkTf32(Device cuda, SplittableRandom rnd, int m, int n, int k, boolean ta, boolean tb,
            float alpha, float beta) {
        int lda = ta ? m : k;
        int ldb = tb ? k : n;
        float[] a = Compare.uniform(rnd, Math.max((ta ? k : m) * lda, 1), -1, 1);
        float[] b = Compare.uniform(rnd, Math.max((tb ? n : k) * ldb, 1), -1, 1);
        float[] c = Compare.uniform(rnd, m * n, -1, 1);
        Tensor gc = cuda.tensor(c, c.length);
        cuda.gemm(ta, tb, m, n, k, alpha, cuda.tensor(a, Math.max(a.length, 1)), lda,
                cuda.tensor(b, Math.max(b.length, 1)), ldb, beta, gc, n);
        float[] got = gc.toArray();
        String what = String.format("tf32 gemm %s%s m=%d n=%d k=%d alpha=%s beta=%s", ta ? "T" : "N", tb ? "T" : "N",
                m, n, k, alpha, beta);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double exact = 0;
                double scale = 0;
                for (int p = 0; p < k; p++) {
                    double av = ta ? a[p * lda + i] : a[i * lda + p];
                    double bv = tb ? b[j * ldb + p] : b[p * ldb + j];
                    exact += av * bv;
                    scale += Math.abs(av * bv);
                }
                double cv = c[i * n + j];
                double want = alpha * exact + beta * cv;
                double bound = Math.abs(alpha) * scale * (TF32_PRODUCT + (k + 2) * Math.scalb(1.0, -22))
                        + Math.abs(beta * cv) * Math.scalb(1.0, -22) + 1e-30;
                double diff = Math.abs(got[i * n + j] - want);
                if (!(diff <= bound)) {
                    fail(what + ": element (" + i + "," + j + ") expected " + want + " got " + got[i * n + j]
                            + " (|diff| " + diff + " > TF32 bound " + bound + ")");
                }
            }
        }
    }

    @Test
    void everyTransposeIsWithinTheTf32ErrorBound() {
        Device cuda = CudaTestSupport.cuda();
        CudaBackend backend = CudaTestSupport.backend(cuda);
        SplittableRandom rnd = new SplittableRandom(Compare.seed("gemm tf32"));
        backend.useTf32(true);
        try {
            // Tails of the 128 tile, one k step, several, and a long k that is split.
            int[][] shapes = {{4, 4, 4}, {67, 132, 36}, {128, 256, 64}, {131, 129, 20}, {64, 96, 1540}};
            for (int[] s : shapes) {
                for (boolean ta : new boolean[] {false, true}) {
                    for (boolean tb : new boolean[] {false, true}) {
                        checkTf32(cuda, rnd, s[0], s[1], s[2], ta, tb, 1f, 0f);
                        checkTf32(cuda, rnd, s[0], s[1], s[2], ta, tb, -0.75f, 0.5f);
                    }
                }
            }
        } finally {
            backend.useTf32(false);
        }
    }

    @Test
    void tf32RoundsTheInputsAndFp32DoesNot() {
        Device cuda = CudaTestSupport.cuda();
        CudaBackend backend = CudaTestSupport.backend(cuda);
        float fine = 1f + Math.scalb(1f, -20);  // not a TF32 value: rounds to 1
        float[] a = new float[16];
        float[] eye = new float[16];
        for (int i = 0; i < 4; i++) {
            eye[i * 4 + i] = 1f;
            for (int j = 0; j < 4; j++) {
                a[i * 4 + j] = fine;
            }
        }
        Tensor ta = cuda.tensor(a, 4, 4);
        Tensor tb = cuda.tensor(eye, 4, 4);
        Tensor c = cuda.zeros(4, 4);
        boolean before = backend.usesTf32();
        try {
            backend.useTf32(true);
            assertThat(backend.usesTf32()).isTrue();
            cuda.gemm(false, false, 1f, ta, tb, 0f, c);
            assertThat(c.toArray()).as("A·I in TF32: every element rounded to 1").containsOnly(1f);
            backend.useTf32(false);
            cuda.gemm(false, false, 1f, ta, tb, 0f, c);
            assertThat(c.toArray()).as("A·I in fp32: A exactly").containsOnly(fine);
        } finally {
            backend.useTf32(before);
        }
    }
}
