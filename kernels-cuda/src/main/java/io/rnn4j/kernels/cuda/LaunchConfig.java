package io.rnn4j.kernels.cuda;

/**
 * Grid and block arithmetic for the kernels, free of any CUDA call so that it is tested anywhere.
 * The limits are CUDA's for every GPU since compute capability 3.0.
 */
final class LaunchConfig {
    /** Largest grid.x. */
    static final int MAX_GRID_X = Integer.MAX_VALUE;
    /** Largest grid.y and grid.z. */
    static final int MAX_GRID_YZ = 65535;
    /** Threads of the elementwise kernels. */
    static final int ELEMENTWISE_THREADS = 256;
    /** Elementwise grids are capped at this many blocks per SM; the kernels grid-stride beyond. */
    static final int BLOCKS_PER_SM = 32;

    private LaunchConfig() {
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    static int nextPow2(int v) {
        int p = 1;
        while (p < v) {
            p <<= 1;
        }
        return p;
    }

    /** Blocks for a grid-stride kernel over n elements: enough to cover n, at most 32 per SM. */
    static int elementwiseBlocks(long n, int multiprocessors) {
        if (n <= 0) {
            throw new IllegalArgumentException("elementwiseBlocks: n must be >= 1, got " + n);
        }
        long cap = (long) Math.max(1, multiprocessors) * BLOCKS_PER_SM;
        return (int) Math.min(ceilDiv(n, ELEMENTWISE_THREADS), cap);
    }

    /** One warp per row, 8 rows per block (reduce_rows, softmax): blocks for {@code rows} rows. */
    static int warpRowBlocks(long rows, int multiprocessors) {
        long cap = (long) Math.max(1, multiprocessors) * BLOCKS_PER_SM;
        return (int) Math.max(1, Math.min(ceilDiv(rows, 8), cap));
    }

    /**
     * The two-pass reduction's layout for x viewed as (outer, n, inner): tx threads along inner, ty
     * along n, the n axis cut into {@code chunks} of {@code chunkLen} so that about two blocks per SM
     * are busy even when outer·inner is small (a bias gradient: outer 1, n = batch·steps).
     */
    record ReducePlan(int tx, int ty, int gridX, int gridY, int chunks, long chunkLen) {
        Dim3 grid() {
            return new Dim3(gridX, gridY, chunks);
        }

        Dim3 block() {
            return Dim3.of(tx, ty);
        }
    }

    static ReducePlan reducePlan(long outer, long n, long inner, int multiprocessors) {
        int tx = (int) Math.min(32, nextPow2((int) Math.min(inner, 32)));
        int ty = 256 / tx;
        long gx = ceilDiv(inner, tx);
        if (gx > MAX_GRID_X) {
            throw new IllegalArgumentException("reduce: inner extent " + inner + " is too large for one grid");
        }
        int gy = (int) Math.min(Math.max(outer, 1), MAX_GRID_YZ);
        long base = gx * gy;
        long wanted = ceilDiv(2L * Math.max(1, multiprocessors), base);
        long useful = Math.max(1, ceilDiv(n, 4L * ty));  // at least 4 values per thread and chunk
        int chunks = (int) Math.max(1, Math.min(Math.min(wanted, useful), 1024));
        long chunkLen = Math.max(1, ceilDiv(n, chunks));
        chunks = (int) Math.max(1, ceilDiv(n, chunkLen));
        return new ReducePlan(tx, ty, (int) gx, gy, chunks, chunkLen);
    }

    /** An SGEMM launch: kernel variant, tile size and grid for an m×n output (rows split at 65535 tiles). */
    record GemmPlan(Kernel kernel, int tile, int gridX, int gridY, int rowsPerLaunch) {
        Dim3 grid() {
            return Dim3.of(gridX, gridY);
        }

        Dim3 block() {
            return Dim3.of(256);
        }
    }

    /**
     * Picks the 128×128 tiles when they alone fill the GPU, else 64×64; the 16-byte variant when
     * {@code aligned} (every matrix 16-byte aligned, every leading dimension and every contiguous
     * extent a multiple of 4, see {@link #gemmVectorizable}).
     */
    static GemmPlan gemmPlan(int m, int n, boolean transA, boolean transB, boolean aligned, int multiprocessors) {
        if (m < 1 || n < 1) {
            throw new IllegalArgumentException("gemmPlan: m and n must be >= 1, got m=" + m + " n=" + n);
        }
        long big = ceilDiv(m, 128) * ceilDiv(n, 128);
        int tile = big >= multiprocessors ? 128 : 64;
        int gx = (int) ceilDiv(n, tile);
        long gy = ceilDiv(m, tile);
        int rowsPerLaunch = (int) Math.min((long) m, (long) MAX_GRID_YZ * tile);
        return new GemmPlan(Kernel.sgemm(tile, transA, transB, aligned), tile, gx,
                (int) Math.min(gy, MAX_GRID_YZ), rowsPerLaunch);
    }

    /**
     * Whether the 16-byte GEMM path applies: addresses (in bytes) 16-aligned, leading dimensions
     * multiples of 4, and the extents read contiguously (k for A as stored m×k, m for A stored k×m,
     * n for B stored k×n, k for B stored n×k) multiples of 4, so that a float4 is all in or all out.
     */
    static boolean gemmVectorizable(int m, int n, int k, boolean transA, boolean transB, long aAddr, int lda,
            long bAddr, int ldb, long cAddr, int ldc) {
        boolean addresses = aAddr % 16 == 0 && bAddr % 16 == 0 && cAddr % 16 == 0;
        boolean strides = lda % 4 == 0 && ldb % 4 == 0 && ldc % 4 == 0;
        boolean extents = (transA ? m : k) % 4 == 0 && (transB ? k : n) % 4 == 0;
        return addresses && strides && extents;
    }
}
