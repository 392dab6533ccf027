package io.rnn4j.kernels.cuda;

import io.rnn4j.engine.RnnCell;
import io.rnn4j.engine.RnnSpec;

/**
 * Launch shapes of the fused sequence kernels ({@code rnn_step.cu}, {@code rnn_persistent.cu}),
 * and whether a sequence fits the persistent kernel. Pure arithmetic, mirrored from the kernels'
 * constants; tested without a GPU.
 */
final class RnnTiling {
    /** k values a step kernel stages per pass ({@code KC}). */
    static final int STEP_KC = 32;
    /** Units per step-kernel block (blockDim.x). */
    static final int STEP_UNITS = 32;
    /** Most batch rows per step-kernel block (blockDim.y). */
    static final int STEP_MAX_ROWS = 8;
    /** Batches up to this size run the warp-per-unit step kernels; larger ones the tiles. */
    static final int STEP_WARP_MAX_BATCH = 8;
    /** Units (warps) per block of the warp-per-unit step kernels. */
    static final int STEP_WARP_UNITS = 8;

    /** Blocks per cluster of the persistent kernel ({@code PC}). */
    static final int PERSIST_CLUSTER = 8;
    /** k values per thread ({@code PK}) and their padded stride ({@code PSTRIDE}). */
    static final int PERSIST_K = 16;
    static final int PERSIST_K_STRIDE = 20;
    /** Columns per thread ({@code PCOL}) and the x·W prefetch ring depth ({@code PRING}). */
    static final int PERSIST_COLS = 4;
    static final int PERSIST_RING = 4;
    /** The kernel's launch bound: at most this many threads, so that U fits in 128 registers each. */
    static final int PERSIST_MAX_THREADS = 512;
    /** Most batch rows one cluster takes; more go to the per-step kernels. */
    static final int PERSIST_MAX_ROWS = 16;

    private RnnTiling() {
    }

    /** The step kernels' block: (units, batch rows). */
    static Dim3 stepBlock(int batch) {
        return Dim3.of(STEP_UNITS, Math.min(LaunchConfig.nextPow2(Math.max(batch, 1)), STEP_MAX_ROWS));
    }

    static Dim3 stepGrid(int batch, int units) {
        Dim3 block = stepBlock(batch);
        long gx = LaunchConfig.ceilDiv(units, block.x());
        long gy = LaunchConfig.ceilDiv(batch, block.y());
        if (gy > LaunchConfig.MAX_GRID_YZ) {
            throw new IllegalArgumentException("rnn: batch " + batch + " needs more than "
                    + LaunchConfig.MAX_GRID_YZ + " row tiles of " + block.y());
        }
        return Dim3.of((int) gx, (int) gy);
    }

    /** Whether a batch runs the warp-per-unit step kernels (no shared memory, one warp per unit). */
    static boolean stepUsesWarps(int batch) {
        return batch <= STEP_WARP_MAX_BATCH;
    }

    /** The warp-per-unit kernels' block: 32 lanes × {@link #STEP_WARP_UNITS} units. */
    static Dim3 warpBlock() {
        return Dim3.of(32, STEP_WARP_UNITS);
    }

    static Dim3 warpGrid(int units) {
        return Dim3.of((int) LaunchConfig.ceilDiv(units, STEP_WARP_UNITS));
    }

    /** Dynamic shared memory of a forward step kernel computing {@code gates} gate columns per unit. */
    static int forwardStepSharedBytes(Dim3 block, int gates) {
        return 4 * (block.y() * STEP_KC + STEP_KC * gates * block.x());
    }

    /** Dynamic shared memory of a backward step kernel (and of rnn_bwd_gru_nr_r). */
    static int backwardStepSharedBytes(Dim3 block) {
        return 4 * (block.y() * STEP_KC + block.x() * (STEP_KC + 1));
    }

    /**
     * How a sequence runs on a persistent kernel: which one, its groups of blocks (clusters of
     * {@link #PERSIST_CLUSTER} blocks for the cluster kernels, single blocks for
     * {@link RnnSequence.Persistent#BLOCK}), the batch rows each group takes, threads per block and
     * dynamic shared memory.
     */
    record PersistentPlan(RnnSequence.Persistent kernel, int groups, int rowsPerGroup, int threads, int slicesPow2,
            int sharedBytes) {
        Dim3 grid() {
            return Dim3.of(kernel == RnnSequence.Persistent.BLOCK ? groups : groups * PERSIST_CLUSTER);
        }

        Dim3 block() {
            return Dim3.of(threads);
        }
    }

    /**
     * The persistent plan for this spec and batch, or {@code null} (with the reason in
     * {@code why[0]} when given) when the per-step kernels must run instead.
     *
     * @param multiprocessors SMs of the device (clusters beyond SMs / 8 would run in waves)
     * @param maxSharedBytes  the opt-in shared memory per block
     */
    static PersistentPlan persistentPlan(RnnSpec spec, int batch, int multiprocessors, int maxSharedBytes,
            String[] why) {
        return persistentPlan(spec, batch, multiprocessors, maxSharedBytes, false, why);
    }

    /**
     * As above for either kernel: {@code fused} (rnn_persistent_fused.cu: a thread group per unit
     * holding all its gate columns) or staged (rnn_persistent.cu: groups of {@link #PERSIST_COLS}
     * columns, gates staged through shared memory).
     */
    static PersistentPlan persistentPlan(RnnSpec spec, int batch, int multiprocessors, int maxSharedBytes,
            boolean fused, String[] why) {
        if (spec.cell() == RnnCell.GRU && !spec.resetAfter()) {
            return no(why, "GRU with reset_after=false needs two products per step");
        }
        if (batch < 1) {
            return no(why, "empty batch");
        }
        int h = spec.units();
        int gates = spec.cell().gates();
        int unitsPerBlock = (int) LaunchConfig.ceilDiv(h, PERSIST_CLUSTER);
        int columns = gates * unitsPerBlock;
        int groups = fused ? unitsPerBlock : (int) LaunchConfig.ceilDiv(columns, PERSIST_COLS);
        int slices = (int) LaunchConfig.ceilDiv(h, PERSIST_K);
        if (slices > 32) {
            return no(why, "units " + h + " > " + 32 * PERSIST_K);
        }
        int slicesPow2 = LaunchConfig.nextPow2(slices);
        long threads = LaunchConfig.ceilDiv((long) groups * slicesPow2, 32) * 32;
        if (threads > PERSIST_MAX_THREADS) {
            return no(why, "U slice of " + columns + " columns x " + h + " rows does not fit the registers of "
                    + PERSIST_MAX_THREADS + " threads");
        }
        int maxClusters = Math.max(1, multiprocessors / PERSIST_CLUSTER);
        int rows = (int) LaunchConfig.ceilDiv(batch, maxClusters);
        if (rows > PERSIST_MAX_ROWS) {
            return no(why, "batch " + batch + " needs " + rows + " rows per cluster (> " + PERSIST_MAX_ROWS + ")");
        }
        int clusters = (int) LaunchConfig.ceilDiv(batch, rows);
        long shared = 4L * (fused ? fusedSharedFloats(rows, h, gates, slicesPow2)
                : persistentSharedFloats(rows, h, gates, slicesPow2));
        if (shared > maxSharedBytes) {
            return no(why, "needs " + shared + " bytes of shared memory per block, the device allows "
                    + maxSharedBytes);
        }
        return new PersistentPlan(fused ? RnnSequence.Persistent.FUSED : RnnSequence.Persistent.STAGED, clusters, rows,
                (int) threads, slicesPow2, (int) shared);
    }

    /**
     * The plan of the one-SM kernel ({@code rnn_persistent_block.cu}: a block per batch row holding
     * all of U), or {@code null} with the reason: it takes units up to 128 and at most one row per SM
     * (more would run in waves).
     */
    static PersistentPlan blockPlan(RnnSpec spec, int batch, int multiprocessors, int maxSharedBytes, String[] why) {
        if (spec.cell() == RnnCell.GRU && !spec.resetAfter()) {
            return no(why, "GRU with reset_after=false needs two products per step");
        }
        if (batch < 1) {
            return no(why, "empty batch");
        }
        if (batch > multiprocessors) {
            return no(why, "batch " + batch + " > " + multiprocessors + " SMs (one block per row)");
        }
        int h = spec.units();
        int kValues = blockKValues(spec.cell());
        int slicesPow2 = LaunchConfig.nextPow2((int) LaunchConfig.ceilDiv(h, kValues));
        long threads = LaunchConfig.ceilDiv((long) h * slicesPow2, 32) * 32;
        if (threads > blockMaxThreads(spec.cell())) {
            return no(why, "units " + h + " need " + threads + " threads, the one-SM kernel has "
                    + blockMaxThreads(spec.cell()));
        }
        long shared = 4L * blockSharedFloats(spec.cell(), h, (int) threads, slicesPow2);
        if (shared > maxSharedBytes) {
            return no(why, "needs " + shared + " bytes of shared memory per block, the device allows "
                    + maxSharedBytes);
        }
        return new PersistentPlan(RnnSequence.Persistent.BLOCK, batch, 1, (int) threads, slicesPow2, (int) shared);
    }

    /** k values per thread of the one-SM kernel ({@code KP}). */
    static int blockKValues(RnnCell cell) {
        return cell == RnnCell.SIMPLE ? 16 : 32;
    }

    /** Of those, the ones held in registers ({@code KR}); the rest are read from shared memory. */
    static int blockKInRegisters(RnnCell cell) {
        return switch (cell) {
            case SIMPLE, LSTM -> 16;
            case GRU -> 20;
        };
    }

    /** The one-SM kernel's launch bound. */
    static int blockMaxThreads(RnnCell cell) {
        return cell == RnnCell.SIMPLE ? 1024 : 512;
    }

    /** The shared-memory layout of {@code rnn_persistent_block.cu}, in floats. */
    static long blockSharedFloats(RnnCell cell, int units, int threads, int slicesPow2) {
        int gates = cell.gates();
        return 2L * slicesPow2 * (blockKValues(cell) + 4)                                  // hS
                + (long) (blockKValues(cell) - blockKInRegisters(cell)) * gates * threads  // U's shared part
                + (long) PERSIST_RING * units * gates                                     // x·W ring
                + (long) PERSIST_RING * units                                             // mask ring
                + 2L * gates * units;                                                     // bIn, bRec
    }

    /** The shared-memory layout of {@code rnn_persistent.cu}, in floats. */
    static long persistentSharedFloats(int rows, int units, int gates, int slicesPow2) {
        int unitsPerBlock = (int) LaunchConfig.ceilDiv(units, PERSIST_CLUSTER);
        long columns = (long) gates * unitsPerBlock;
        long hPadded = (long) slicesPow2 * PERSIST_K_STRIDE;
        return 4                            // two mbarriers (8 bytes each)
                + 2L * rows * hPadded       // hS
                + rows * columns            // gates
                + PERSIST_RING * rows * columns  // x·W ring
                + PERSIST_RING * rows       // mask ring
                + 4L * rows * unitsPerBlock // hOwn, cOwn, outOwn, dropOwn
                + 2L * columns              // bIn, bRec
                + deferFloats(rows, unitsPerBlock, gates);
    }

    /** The step's workspace values staged until after the barrier's arrive ({@code PDEFER}). */
    private static long deferFloats(int rows, long unitsPerBlock, int gates) {
        return (long) rows * unitsPerBlock * (gates + 4);
    }

    /** The shared-memory layout of {@code rnn_persistent_fused.cu}, in floats. */
    static long fusedSharedFloats(int rows, int units, int gates, int slicesPow2) {
        long unitsPerBlock = LaunchConfig.ceilDiv(units, PERSIST_CLUSTER);
        long hPadded = (long) slicesPow2 * PERSIST_K_STRIDE;
        return 4                                        // two mbarriers (8 bytes each)
                + 2L * rows * hPadded                   // hS
                + PERSIST_RING * rows * unitsPerBlock * gates  // x·W ring
                + PERSIST_RING * rows * unitsPerBlock   // mask ring, a copy per unit
                + 4L * rows * unitsPerBlock             // hOwn, cOwn, outOwn, dropOwn
                + deferFloats(rows, unitsPerBlock, gates);
    }

    private static PersistentPlan no(String[] why, String reason) {
        if (why != null && why.length > 0) {
            why[0] = reason;
        }
        return null;
    }
}
