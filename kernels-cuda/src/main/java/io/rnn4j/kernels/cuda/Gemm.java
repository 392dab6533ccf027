package io.rnn4j.kernels.cuda;

/**
 * SGEMM on the device. 16-byte-aligned operands ({@link LaunchConfig#gemmVectorizable}) with few
 * output tiles and a long k take the pipelined kernels split along k ({@code gemm_pipelined.cu};
 * {@link PipelinedGemmPlan} picks tile and split), and, when the caller asks for TF32, the
 * tensor-core kernels ({@code gemm_tf32.cu}); everything else takes the register-staged kernels of
 * {@code gemm.cu} ({@link LaunchConfig#gemmPlan}; see {@link PipelinedGemmPlan#preferredOver}).
 * Very tall outputs are cut into launches of at most 65535 row tiles.
 */
final class Gemm {
    private final CudaContext ctx;
    private PipelinedGemmPlan.Variant variant = PipelinedGemmPlan.Variant.AUTO;
    private boolean splitK = true;
    private boolean pipelined = true;
    private long configVersion;

    Gemm(CudaContext ctx) {
        this.ctx = ctx;
    }

    /** Pins the aligned path's kernel family (tests and the timer compare them); AUTO by default. */
    void useVariant(PipelinedGemmPlan.Variant v) {
        this.variant = v;
        configVersion++;
    }

    /** Allows or forbids split-K (tests check both paths). */
    void useSplitK(boolean enabled) {
        this.splitK = enabled;
        configVersion++;
    }

    /** With false, aligned operands take the gemm.cu kernels too (the timer's baseline). */
    void usePipelined(boolean enabled) {
        this.pipelined = enabled;
        configVersion++;
    }

    /** Changes with every setting above (a captured graph holds the kernels chosen before). */
    long configVersion() {
        return configVersion;
    }

    /**
     * {@code C = alpha·op(A)·op(B) + beta·C} on device addresses (bytes), row-major, leading
     * dimensions in floats; see {@link io.rnn4j.engine.spi.Backend#gemm}. Full fp32.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, long a, int lda, long b, int ldb,
            float beta, long c, int ldc) {
        gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, false);
    }

    /** As above; with {@code tf32}, aligned operands are multiplied on the tensor cores in TF32. */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, long a, int lda, long b, int ldb,
            float beta, long c, int ldc, boolean tf32) {
        if (m == 0 || n == 0) {
            return;
        }
        boolean vec = LaunchConfig.gemmVectorizable(m, n, k, transA, transB, a, lda, b, ldb, c, ldc);
        if (vec && (pipelined || tf32)) {
            PipelinedGemmPlan.Variant v = tf32 ? PipelinedGemmPlan.Variant.TF32 : variant;
            PipelinedGemmPlan plan = PipelinedGemmPlan.of(m, n, k, transA, transB, v, splitK, ctx.multiprocessors);
            if (plan.preferredOver(v)) {
                pipelinedGemm(plan, transA, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
                return;
            }
        }
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

    private void pipelinedGemm(PipelinedGemmPlan plan, boolean transA, int m, int n, int k, float alpha, long a,
            int lda, long b, int ldb, float beta, long c, int ldc) {
        if (plan.splits() > 1) {
            int ldp = PipelinedGemmPlan.partialLd(n);
            long stride = (long) m * ldp;
            try (CudaStorage part = ctx.scratch(plan.splits() * stride)) {
                ctx.launch(plan.kernel(), plan.grid(m), plan.block(), plan.sharedBytes(), ctx.args()
                        .i32(m).i32(n).i32(k).i32(plan.kChunk()).f32(1f)
                        .ptr(a).i32(lda)
                        .ptr(b).i32(ldb)
                        .f32(0f)
                        .ptr(part.address(0)).i32(ldp).i64(stride));
                ctx.launch(Kernel.SGEMM_SPLITK_REDUCE,
                        Dim3.of(LaunchConfig.elementwiseBlocks((long) m * n, ctx.multiprocessors)),
                        Dim3.of(LaunchConfig.ELEMENTWISE_THREADS), 0, ctx.args()
                        .i32(m).i32(n).i32(plan.splits()).ptr(part.address(0)).i32(ldp)
                        .f32(alpha).f32(beta).ptr(c).i32(ldc));
            }  // stream order: the next user of this memory runs after the reduction
            return;
        }
        for (int r0 = 0; r0 < m; r0 += plan.rowsPerLaunch()) {
            int rows = Math.min(plan.rowsPerLaunch(), m - r0);
            long aOffset = transA ? r0 : (long) r0 * lda;  // in floats; rowsPerLaunch keeps 16-byte alignment
            long cOffset = (long) r0 * ldc;
            ctx.launch(plan.kernel(), plan.grid(rows), plan.block(), plan.sharedBytes(), ctx.args()
                    .i32(rows).i32(n).i32(k).i32(plan.kChunk()).f32(alpha)
                    .ptr(a + aOffset * Float.BYTES).i32(lda)
                    .ptr(b).i32(ldb)
                    .f32(beta)
                    .ptr(c + cOffset * Float.BYTES).i32(ldc).i64(0));
        }
    }
}
