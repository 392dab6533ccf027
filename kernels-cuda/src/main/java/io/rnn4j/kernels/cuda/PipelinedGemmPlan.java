package io.rnn4j.kernels.cuda;

/**
 * How one 16-byte-aligned product ({@link LaunchConfig#gemmVectorizable}) runs on the pipelined
 * GEMMs ({@code gemm_pipelined.cu}, {@code gemm_tf32.cu}): kernel, tile, grid, split-K and shared
 * memory. Pure arithmetic mirrored from the kernels' constants, tested without a GPU.
 *
 * <p>Split-K: a product with fewer output tiles than SMs and a long k (the weight gradients of a
 * sequence: 64×1024 from k = 3200, say) would leave most of the GPU idle, so k is cut into
 * {@code splits} chunks of {@code kChunk} (a multiple of the kernels' k step), grid.z runs them side
 * by side into partial products, and {@code sgemm_splitk_reduce} sums the partials in a fixed order
 * (deterministic results).
 *
 * @param rowsPerLaunch output rows per launch (grid.y is at most 65535 tiles); with more than one
 *                      launch there is no split
 */
record PipelinedGemmPlan(Kernel kernel, int tileM, int tileN, int gridX, int gridY, int splits, int kChunk,
        int sharedBytes, int rowsPerLaunch) {
    /** k per pipeline step ({@code PBK}, {@code TBK}). */
    static final int K_STEP = 16;
    /** Pipeline depth of every variant. */
    static final int STAGES = 3;
    /** Threads per block of every variant. */
    static final int THREADS = 256;
    /** A split takes at least this much of k (shorter chunks cost more in partials than they gain). */
    static final int SPLIT_MIN_K = 256;
    static final int MAX_SPLITS = 16;

    /** Output tiles per SM from which P256 runs, in quarters: a grid of 256×128 tiles at least 3/4 full. */
    static final int P256_MIN_QUARTER_WAVES = 3;
    /** P256 needs this much k: its deeper tiles cost more to start than short products gain. */
    static final int P256_MIN_K = 256;

    /**
     * Which kernel family: chosen by shape (AUTO), or pinned (tests, the timer). P256 runs 256×128
     * tiles, P128 and P64 square ones, TF32 128×128 on tensor cores.
     */
    enum Variant {
        AUTO, P256, P128, P64, TF32
    }

    /**
     * Whether this plan runs rather than gemm.cu's register-staged kernels: when a family was
     * asked for (TF32, or a variant pinned by a test), when it splits k, or when it takes 256×128
     * tiles. A whole-k fp32 product on 128 tiles takes the register-staged kernels, measured
     * slightly faster there on an H200 (3200×1024×64: 16.5 against 17.3 µs; 4096³: 3212 against
     * 3282 µs), while split-K made the long-k weight gradients 2.7 to 5.6 times faster
     * (64×1024×3200: 169 → 30 µs) and P256 takes 4096³ in 2939 µs on an H100.
     */
    boolean preferredOver(Variant requested) {
        return requested != Variant.AUTO || splits > 1 || tileM == 256;
    }

    Dim3 grid(int rows) {
        return new Dim3(gridX, (int) LaunchConfig.ceilDiv(rows, tileM), splits);
    }

    Dim3 block() {
        return Dim3.of(THREADS);
    }

    /** Leading dimension of the split partials (16-byte rows for the kernels' float4 stores). */
    static int partialLd(int n) {
        return (int) LaunchConfig.ceilDiv(n, 4) * 4;
    }

    /**
     * The plan for {@code C(m×n) = op(A)·op(B)} with inner extent k.
     *
     * @param splitK whether a k split may be used (tests switch it off to check both paths)
     */
    static PipelinedGemmPlan of(int m, int n, int k, boolean transA, boolean transB, Variant variant, boolean splitK,
            int multiprocessors) {
        if (m < 1 || n < 1 || k < 0) {
            throw new IllegalArgumentException("pipelined gemm plan: need m, n >= 1 and k >= 0, got m=" + m + " n=" + n
                    + " k=" + k);
        }
        int sms = Math.max(1, multiprocessors);
        Variant v = variant;
        if (v == Variant.AUTO) {
            v = p256Pays(m, n, k, transA, transB, sms) ? Variant.P256
                    : LaunchConfig.ceilDiv(m, 128) * LaunchConfig.ceilDiv(n, 128) >= sms ? Variant.P128 : Variant.P64;
        }
        int tileM = v == Variant.P64 ? 64 : v == Variant.P256 ? 256 : 128;
        int tileN = v == Variant.P64 ? 64 : 128;
        Kernel kernel = v == Variant.TF32 ? Kernel.sgemmTf32(transA, transB)
                : Kernel.sgemmPipelined(tileM, transA, transB);
        int shared = v == Variant.TF32 ? tf32SharedBytes(transA, transB) : fp32SharedBytes(tileM, tileN, transA, transB);
        int gx = (int) LaunchConfig.ceilDiv(n, tileN);
        long gy = LaunchConfig.ceilDiv(m, tileM);
        int rowsPerLaunch = (int) Math.min(m, (long) LaunchConfig.MAX_GRID_YZ * tileM);
        int splits = 1;
        int chunk = k;
        long tiles = gx * gy;
        if (splitK && rowsPerLaunch == m && tiles < sms && k >= 2 * SPLIT_MIN_K) {
            // Aim at two blocks per SM.
            int want = (int) Math.min(MAX_SPLITS, Math.min(Math.max(1, 2L * sms / tiles), k / SPLIT_MIN_K));
            if (want > 1) {
                chunk = (int) LaunchConfig.ceilDiv(LaunchConfig.ceilDiv(k, want), K_STEP) * K_STEP;
                splits = (int) LaunchConfig.ceilDiv(k, chunk);
            }
        }
        if (splits == 1) {
            chunk = k;
        }
        return new PipelinedGemmPlan(kernel, tileM, tileN, gx, (int) Math.min(gy, LaunchConfig.MAX_GRID_YZ), splits,
                chunk, shared, rowsPerLaunch);
    }

    /**
     * Whether AUTO takes 256×128 tiles: a long enough k, a grid that fills most SMs, and A and B
     * both plain or both transposed. On an H100 at 4096³, P256 took NN in 2939 µs and TT in 2951
     * against 3246 and 3269 for P128, but TN in 3231 against 3067 and NT in 3499 against 3117.
     */
    static boolean p256Pays(int m, int n, int k, boolean transA, boolean transB, int multiprocessors) {
        long tiles = LaunchConfig.ceilDiv(m, 256) * LaunchConfig.ceilDiv(n, 128);
        return transA == transB && k >= P256_MIN_K && 4 * tiles >= (long) P256_MIN_QUARTER_WAVES * multiprocessors;
    }

    /** gemm_pipelined.cu: STAGES × K_STEP × (BM + pad + BN + pad) floats, pad 4 on k-contiguous operands. */
    static int fp32SharedBytes(int tileM, int tileN, boolean transA, boolean transB) {
        return 4 * STAGES * K_STEP * (tileM + (transA ? 0 : 4) + tileN + (transB ? 4 : 0));
    }

    /** gemm_tf32.cu: per stage A as [k][128+8] or [128][k+4], B as [n=128][k+4] or [k][128+8]. */
    static int tf32SharedBytes(boolean transA, boolean transB) {
        int mnMajor = K_STEP * (128 + 8);
        int kMajor = 128 * (K_STEP + 4);
        return 4 * STAGES * ((transA ? mnMajor : kMajor) + (transB ? kMajor : mnMajor));
    }
}
