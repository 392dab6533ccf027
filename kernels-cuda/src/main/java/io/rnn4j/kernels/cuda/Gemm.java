package io.rnn4j.kernels.cuda;

/**
 * SGEMM on the device ({@code gemm.cu}): picks the tile size and the 16-byte variant from the shape
 * and alignment ({@link LaunchConfig#gemmPlan}), and splits very tall outputs into launches of at
 * most 65535 row tiles. Full fp32 throughout.
 */
final class Gemm {
    private final CudaContext ctx;

    Gemm(CudaContext ctx) {
        this.ctx = ctx;
    }

    /**
     * {@code C = alpha·op(A)·op(B) + beta·C} on device addresses (bytes), row-major, leading
     * dimensions in floats; see {@link io.rnn4j.engine.spi.Backend#gemm}.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, long a, int lda, long b, int ldb,
            float beta, long c, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        boolean vec = LaunchConfig.gemmVectorizable(m, n, k, transA, transB, a, lda, b, ldb, c, ldc);
        LaunchConfig.GemmPlan plan = LaunchConfig.gemmPlan(m, n, transA, transB, vec, ctx.multiprocessors);
        for (int r0 = 0; r0 < m; r0 += plan.rowsPerLaunch()) {
            int rows = Math.min(plan.rowsPerLaunch(), m - r0);
            long aOffset = transA ? r0 : (long) r0 * lda;  // in floats
            long cOffset = (long) r0 * ldc;
            Dim3 grid = Dim3.of(plan.gridX(), (int) LaunchConfig.ceilDiv(rows, plan.tile()));
            ctx.launch(plan.kernel(), grid, plan.block(), 0, ctx.args()
                    .i32(rows).i32(n).i32(k).f32(alpha)
                    .ptr(a + aOffset * Float.BYTES).i32(lda)
                    .ptr(b).i32(ldb)
                    .f32(beta)
                    .ptr(c + cOffset * Float.BYTES).i32(ldc));
        }
    }
}
