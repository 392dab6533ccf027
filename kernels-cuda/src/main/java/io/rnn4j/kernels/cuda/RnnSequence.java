package io.rnn4j.kernels.cuda;

import io.rnn4j.engine.ReduceOp;
import io.rnn4j.engine.RnnCell;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnState;
import io.rnn4j.engine.RnnWeights;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import java.lang.System.Logger.Level;

/**
 * The fused recurrent sequences (DESIGN.md, "How the fast path works"). Forward: one GEMM projects
 * every step's input ({@code (B·T)×D · D×G·H}), then either a persistent kernel runs all steps in
 * one launch ({@link RnnTiling#persistentPlan}, {@link RnnTiling#blockPlan}; three of them, see
 * {@link Persistent}) or one fused step kernel per step computes {@code h·U} with bias,
 * activations, masking and the state update. Backward: one launch per step
 * (the recurrent product of the later step fused with this step's pointwise gradients; opt-in,
 * that product as an SGEMM before the launch, {@link #gemmBackwardFits}), then the weight
 * gradients as GEMMs over all steps at once and the bias gradients as column sums.
 */
final class RnnSequence {
    private static final System.Logger LOG = System.getLogger("io.rnn4j.kernels.cuda");

    private final CudaContext ctx;
    private final CudaBackend backend;
    private final Gemm gemm;
    private final Pointwise pointwise;
    private final Reductions reductions;
    /**
     * Which persistent kernel runs a sequence that fits one. AUTO, on GPUs with thread-block
     * clusters (compute capability 9.0 and newer): the fused cluster kernel when each cluster takes
     * one batch row, else the staged one (on an H200 the fused kernel took 60-75% of the staged
     * one's time at batch 1 and about 1.5x its time at 4 rows per cluster). On older GPUs, which
     * have no clusters: the one-SM kernel (BLOCK) where it fits. On an H200 BLOCK took 1.5-1.6x the
     * fused kernel's time at batch 1 (S1, L1, G1): one SM issues every instruction of a step that
     * eight share in a cluster.
     */
    enum Persistent {
        AUTO, BLOCK, FUSED, STAGED;

        /** The value of {@code rnn4j.cuda.persistentKernel}: auto, block, fused or staged (any case). */
        static Persistent parse(String v) {
            return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "auto" -> AUTO;
                case "block" -> BLOCK;
                case "fused" -> FUSED;
                case "staged" -> STAGED;
                default -> throw new IllegalArgumentException(
                        "rnn4j.cuda.persistentKernel: expected auto, block, fused or staged, got '" + v + "'");
            };
        }
    }

    private boolean persistentEnabled;
    private Persistent kernelChoice;
    /** Whether a call the fused kernel's lean loop takes ({@link #takesLeanLoop}) gets it. */
    private boolean leanEnabled = true;
    /** Whether a backward {@link #gemmBackwardFits} takes its per-step recurrent product as an SGEMM. */
    private boolean gemmBackwardEnabled;
    private final SequenceGraphs graphs;

    RnnSequence(CudaContext ctx, CudaBackend backend, Gemm gemm, Pointwise pointwise, Reductions reductions,
            boolean persistent, Persistent kernelChoice, boolean graphs) {
        this.ctx = ctx;
        this.backend = backend;
        this.gemm = gemm;
        this.pointwise = pointwise;
        this.reductions = reductions;
        this.persistentEnabled = persistent;
        this.kernelChoice = kernelChoice;
        this.graphs = new SequenceGraphs(ctx, graphs);
    }

    /** The per-step forwards' CUDA graphs ({@link SequenceGraphs}). */
    SequenceGraphs graphs() {
        return graphs;
    }

    /** Destroys the captured graphs (before the context closes). */
    void close() {
        graphs.close();
    }

    void usePersistent(boolean enabled) {
        this.persistentEnabled = enabled;
    }

    void usePersistentKernel(Persistent choice) {
        this.kernelChoice = choice;
    }

    void useLeanLoop(boolean enabled) {
        this.leanEnabled = enabled;
    }

    void useGemmBackward(boolean enabled) {
        this.gemmBackwardEnabled = enabled;
    }

    /**
     * Whether a backward of this spec and batch can take each step's recurrent product
     * {@code dh += dZ·Uᵀ} as an SGEMM ({@link Gemm}) followed by the step kernel's pointwise part
     * alone, instead of the step kernel's own product (64 blocks, each waiting on unpipelined tiles
     * of U at L4's shape). Batches the step kernels give one block per unit tile (not the
     * warp-per-unit kernels of small batches), without recurrent dropout (the product would need
     * scaling by it) and not GRU with reset_before (whose product takes two of the three gate blocks
     * and a second kernel). Opt-in: not yet timed on a GPU.
     */
    static boolean gemmBackwardFits(RnnSpec spec, int batch, boolean dropout) {
        boolean gruBefore = spec.cell() == RnnCell.GRU && !spec.resetAfter();
        return !RnnTiling.stepUsesWarps(batch) && !dropout && !gruBefore;
    }

    /** Whether a backward of this spec and batch takes the SGEMM products ({@link #gemmBackwardFits}). */
    boolean takesGemmBackward(RnnSpec spec, int batch, boolean dropout) {
        return gemmBackwardEnabled && gemmBackwardFits(spec, batch, dropout);
    }

    /**
     * Whether a fused plan's call runs the lean loop ({@code rnn_persistent_lean_*}): one row per
     * cluster, at least {@link RnnTiling#PERSIST_CLUSTER} lanes per unit, Keras's default
     * activations, and no mask, recurrent dropout or training workspace. It computes what the
     * general loop does, operation for operation, with about half of its instructions per step.
     */
    boolean takesLeanLoop(RnnSpec spec, RnnTiling.PersistentPlan plan, boolean masked, boolean dropout,
            boolean training) {
        boolean defaults = spec.activation() == UnaryOp.TANH
                && (spec.cell() == RnnCell.SIMPLE || spec.recurrentActivation() == UnaryOp.SIGMOID);
        return leanEnabled && plan != null && plan.kernel() == Persistent.FUSED && plan.rowsPerGroup() == 1
                && plan.slicesPow2() >= RnnTiling.PERSIST_CLUSTER && defaults && !masked && !dropout && !training;
    }

    /** The persistent plan this forward call would use, or null (per-step kernels). */
    RnnTiling.PersistentPlan persistentPlan(RnnSpec spec, int batch) {
        if (!persistentEnabled) {
            return null;
        }
        boolean clusters = ctx.has(persistentKernel(spec.cell(), Persistent.STAGED));
        if (kernelChoice == Persistent.BLOCK || (kernelChoice == Persistent.AUTO && !clusters)) {
            return ctx.has(persistentKernel(spec.cell(), Persistent.BLOCK))
                    ? RnnTiling.blockPlan(spec, batch, ctx.multiprocessors, ctx.maxSharedOptIn, null) : null;
        }
        if (!clusters) {
            return null;
        }
        if (kernelChoice != Persistent.STAGED) {
            RnnTiling.PersistentPlan fused = RnnTiling.persistentPlan(spec, batch, ctx.multiprocessors,
                    ctx.maxSharedOptIn, true, null);
            if (fused != null && (kernelChoice == Persistent.FUSED || fused.rowsPerGroup() == 1)) {
                return fused;
            }
        }
        if (kernelChoice == Persistent.FUSED) {
            return null;
        }
        return RnnTiling.persistentPlan(spec, batch, ctx.multiprocessors, ctx.maxSharedOptIn, false, null);
    }

    private static Kernel leanKernel(RnnCell cell) {
        return switch (cell) {
            case SIMPLE -> Kernel.RNN_PERSISTENT_LEAN_SIMPLE;
            case LSTM -> Kernel.RNN_PERSISTENT_LEAN_LSTM;
            case GRU -> Kernel.RNN_PERSISTENT_LEAN_GRU;
        };
    }

    private static Kernel persistentKernel(RnnCell cell, Persistent kernel) {
        return switch (kernel) {
            case BLOCK -> switch (cell) {
                case SIMPLE -> Kernel.RNN_PERSISTENT_BLOCK_SIMPLE;
                case LSTM -> Kernel.RNN_PERSISTENT_BLOCK_LSTM;
                case GRU -> Kernel.RNN_PERSISTENT_BLOCK_GRU;
            };
            case FUSED -> switch (cell) {
                case SIMPLE -> Kernel.RNN_PERSISTENT_FUSED_SIMPLE;
                case LSTM -> Kernel.RNN_PERSISTENT_FUSED_LSTM;
                case GRU -> Kernel.RNN_PERSISTENT_FUSED_GRU;
            };
            case STAGED, AUTO -> switch (cell) {  // a plan never names AUTO
                case SIMPLE -> Kernel.RNN_PERSISTENT_SIMPLE;
                case LSTM -> Kernel.RNN_PERSISTENT_LSTM;
                case GRU -> Kernel.RNN_PERSISTENT_GRU;
            };
        };
    }

    void forward(RnnSpec spec, Tensor x, Tensor mask, Tensor drop, RnnWeights w, RnnState initial, Tensor output,
            RnnState last, Tensor workspace) {
        final int b = x.dim(0);
        final int steps = x.dim(1);
        final int d = spec.inputSize();
        final int h = spec.units();
        final int gh = spec.gateWidth();
        if (b == 0) {
            return;
        }
        int rows = Math.multiplyExact(b, steps);
        RnnArgs.WorkspaceAddresses ws = workspace == null ? RnnArgs.WorkspaceAddresses.NONE
                : RnnArgs.WorkspaceAddresses.of(RnnWorkspace.of(spec, b, steps), Tensors.address(workspace));
        RnnTiling.PersistentPlan plan = persistentPlan(spec, b);
        if (plan != null) {
            try (CudaStorage xw = backend.scratch((long) rows * gh)) {
                gemm.gemm(false, false, rows, gh, d, 1f, Tensors.address(x), d, Tensors.address(w.kernel()), gh, 0f,
                        xw.address(0), gh);
                if (!runPersistent(spec, plan, b, steps, xw, mask, drop, w, initial, output, last, ws)) {
                    forwardPerStep(spec, b, steps, xw, mask, drop, w, initial, output, last, ws);
                }
            }
            return;
        }
        SequenceGraphs.Key key = new SequenceGraphs.Key(spec, b, steps, Tensors.address(x), Tensors.address(mask),
                Tensors.address(drop), Tensors.address(w.kernel()), Tensors.address(w.recurrentKernel()),
                Tensors.address(w.bias()), Tensors.address(initial.h()), Tensors.address(initial.c()),
                Tensors.address(output), Tensors.address(last.h()), Tensors.address(last.c()),
                Tensors.address(workspace), gemm.configVersion());
        graphs.run(key, () -> {
            try (CudaStorage xw = backend.scratch((long) rows * gh)) {
                gemm.gemm(false, false, rows, gh, d, 1f, Tensors.address(x), d, Tensors.address(w.kernel()), gh, 0f,
                        xw.address(0), gh);
                forwardPerStep(spec, b, steps, xw, mask, drop, w, initial, output, last, ws);
            }
        });
    }

    private boolean runPersistent(RnnSpec spec, RnnTiling.PersistentPlan plan, int b, int steps, CudaStorage xw,
            Tensor mask, Tensor drop, RnnWeights w, RnnState initial, Tensor output, RnnState last,
            RnnArgs.WorkspaceAddresses ws) {
        long[] fwd = RnnArgs.forward(spec, b, steps, xw.address(0), Tensors.address(w.recurrentKernel()),
                Tensors.address(w.bias()), Tensors.address(mask), Tensors.address(drop), 0,
                Tensors.address(output), 0, ws);
        long[] p = RnnArgs.persistent(fwd, Tensors.address(initial.h()), Tensors.address(initial.c()),
                Tensors.address(last.h()), Tensors.address(last.c()), plan.rowsPerGroup(), plan.slicesPow2());
        Kernel kernel = takesLeanLoop(spec, plan, mask != null, drop != null, ws.z() != 0)
                ? leanKernel(spec.cell()) : persistentKernel(spec.cell(), plan.kernel());
        try {
            ctx.launch(kernel, plan.grid(), plan.block(), plan.sharedBytes(), ctx.args().struct(p));
            return true;
        } catch (IllegalStateException e) {
            // A launch refused up front (cluster resources, say) changes nothing: use the step kernels.
            persistentEnabled = false;
            LOG.log(Level.WARNING, "rnn4j cuda: persistent RNN kernel unavailable on " + ctx.deviceName
                    + ", using per-step kernels: " + e.getMessage());
            return false;
        }
    }

    private void forwardPerStep(RnnSpec spec, int b, int steps, CudaStorage xw, Tensor mask, Tensor drop,
            RnnWeights w, RnnState initial, Tensor output, RnnState last, RnnArgs.WorkspaceAddresses ws) {
        final int h = spec.units();
        final long state = (long) b * h;
        final boolean lstm = spec.cell() == RnnCell.LSTM;
        final boolean gruBefore = spec.cell() == RnnCell.GRU && !spec.resetAfter();
        try (CudaStorage h0 = backend.scratch(state);
                CudaStorage h1 = backend.scratch(state);
                CudaStorage c = backend.scratch(lstm ? state : 1);
                CudaStorage scratch = backend.scratch(gruBefore ? 3 * state : 1)) {
            initState(initial.h(), h0, state);
            if (lstm) {
                initState(initial.c(), c, state);
            }
            long[] a = RnnArgs.forward(spec, b, steps, xw.address(0), Tensors.address(w.recurrentKernel()),
                    Tensors.address(w.bias()), Tensors.address(mask), Tensors.address(drop),
                    lstm ? c.address(0) : 0, Tensors.address(output), gruBefore ? scratch.address(0) : 0, ws);
            Dim3 grid = RnnTiling.stepGrid(b, h);
            Dim3 block = RnnTiling.stepBlock(b);
            int gates = spec.cell().gates();
            boolean warps = RnnTiling.stepUsesWarps(b) && !gruBefore;
            for (int s = 0; s < steps; s++) {
                long hPrev = (s % 2 == 0 ? h0 : h1).address(0);
                long hNext = (s % 2 == 0 ? h1 : h0).address(0);
                if (gruBefore) {
                    ctx.launch(Kernel.RNN_FWD_GRU_NR_A, grid, block, RnnTiling.forwardStepSharedBytes(block, 2),
                            ctx.args().struct(a).ptr(hPrev).i64(s));
                    ctx.launch(Kernel.RNN_FWD_GRU_NR_B, grid, block, RnnTiling.forwardStepSharedBytes(block, 1),
                            ctx.args().struct(a).ptr(hPrev).ptr(hNext).i64(s));
                } else if (warps) {
                    ctx.launch(forwardWarpKernel(spec.cell()), RnnTiling.warpGrid(h), RnnTiling.warpBlock(), 0,
                            ctx.args().struct(a).ptr(hPrev).ptr(hNext).i64(s));
                } else {
                    ctx.launch(forwardKernel(spec.cell()), grid, block,
                            RnnTiling.forwardStepSharedBytes(block, gates),
                            ctx.args().struct(a).ptr(hPrev).ptr(hNext).i64(s));
                }
            }
            CudaStorage hFinal = steps % 2 == 0 ? h0 : h1;
            if (last.h() != null) {
                ctx.copy(hFinal.pointer(0), Tensors.pointer(last.h()), state);
            }
            if (last.c() != null) {
                ctx.copy(c.pointer(0), Tensors.pointer(last.c()), state);
            }
        }
    }

    private static Kernel forwardKernel(RnnCell cell) {
        return switch (cell) {
            case SIMPLE -> Kernel.RNN_FWD_SIMPLE;
            case LSTM -> Kernel.RNN_FWD_LSTM;
            case GRU -> Kernel.RNN_FWD_GRU;
        };
    }

    private static Kernel forwardWarpKernel(RnnCell cell) {
        return switch (cell) {
            case SIMPLE -> Kernel.RNN_FWD_WARP_SIMPLE;
            case LSTM -> Kernel.RNN_FWD_WARP_LSTM;
            case GRU -> Kernel.RNN_FWD_WARP_GRU;
        };
    }

    private static Kernel backwardWarpKernel(RnnCell cell) {
        return switch (cell) {
            case SIMPLE -> Kernel.RNN_BWD_WARP_SIMPLE;
            case LSTM -> Kernel.RNN_BWD_WARP_LSTM;
            case GRU -> Kernel.RNN_BWD_WARP_GRU;
        };
    }

    private static Kernel backwardKernel(RnnCell cell) {
        return switch (cell) {
            case SIMPLE -> Kernel.RNN_BWD_SIMPLE;
            case LSTM -> Kernel.RNN_BWD_LSTM;
            case GRU -> Kernel.RNN_BWD_GRU;
        };
    }

    /** dst = src, or zeros when src is null. */
    private void initState(Tensor src, CudaStorage dst, long floats) {
        if (src != null) {
            ctx.copy(Tensors.pointer(src), dst.pointer(0), floats);
        } else {
            ctx.fill(dst.pointer(0), floats, 0f);
        }
    }

    void backward(RnnSpec spec, Tensor x, Tensor mask, Tensor drop, RnnWeights w, Tensor workspace, Tensor dOutput,
            RnnState dLast, Tensor dx, RnnWeights dWeights, RnnState dInitial) {
        final int b = x.dim(0);
        final int steps = x.dim(1);
        final int d = spec.inputSize();
        final int h = spec.units();
        final int gh = spec.gateWidth();
        final int rows = Math.multiplyExact(b, steps);
        final long state = (long) b * h;
        final boolean lstm = spec.cell() == RnnCell.LSTM;
        final boolean gruAfter = spec.cell() == RnnCell.GRU && spec.resetAfter();
        final boolean gruBefore = spec.cell() == RnnCell.GRU && !spec.resetAfter();
        RnnWorkspace layout = RnnWorkspace.of(spec, b, steps);
        RnnArgs.WorkspaceAddresses ws = RnnArgs.WorkspaceAddresses.of(layout, Tensors.address(workspace));
        try (CudaStorage dZx = backend.scratch((long) rows * gh);
                CudaStorage dZh = backend.scratch(gruAfter ? (long) rows * gh : 1);
                CudaStorage dh = backend.scratch(state);
                CudaStorage dc = backend.scratch(lstm ? state : 1);
                CudaStorage carry = backend.scratch(state)) {
            if (b > 0) {
                initState(dLast.h(), dh, state);
                if (lstm) {
                    initState(dLast.c(), dc, state);
                }
                ctx.fill(carry.pointer(0), state, 0f);
                long dZhAddress = gruAfter ? dZh.address(0) : dZx.address(0);
                long[] a = RnnArgs.backward(spec, b, steps, Tensors.address(w.recurrentKernel()),
                        Tensors.address(mask), Tensors.address(drop), Tensors.address(dOutput), ws, dh.address(0),
                        lstm ? dc.address(0) : 0, carry.address(0), dZx.address(0), dZhAddress);
                Dim3 grid = RnnTiling.stepGrid(b, h);
                Dim3 block = RnnTiling.stepBlock(b);
                int shared = RnnTiling.backwardStepSharedBytes(block);
                long gemmCols = gruBefore ? 2L * h : gh;
                boolean warps = RnnTiling.stepUsesWarps(b);
                Kernel step = warps ? backwardWarpKernel(spec.cell()) : backwardKernel(spec.cell());
                Dim3 stepGrid = warps ? RnnTiling.warpGrid(h) : grid;
                Dim3 stepBlock = warps ? RnnTiling.warpBlock() : block;
                int stepShared = warps ? 0 : shared;
                if (takesGemmBackward(spec, b, drop != null)) {
                    long u = Tensors.address(w.recurrentKernel());
                    for (int s = steps - 1; s >= -1; s--) {
                        if (s + 1 < steps) {
                            // dh += dZ[rows (·, t1)]·Uᵀ, t1 the original time of step s + 1.
                            int t1 = spec.goBackwards() ? steps - 2 - s : s + 1;
                            gemm.gemm(false, true, b, h, gh, 1f, dZhAddress + (long) t1 * gh * Float.BYTES,
                                    Math.multiplyExact(steps, gh), u, gh, 1f, dh.address(0), h);
                        }
                        if (s >= 0) {
                            ctx.launch(step, stepGrid, stepBlock, stepShared, ctx.args().struct(a).i64(s).i64(0));
                        }
                    }
                } else {
                    for (int s = steps - 1; s >= -1; s--) {
                        ctx.launch(step, stepGrid, stepBlock, stepShared, ctx.args().struct(a).i64(s).i64(gemmCols));
                        if (gruBefore && s >= 0) {
                            ctx.launch(Kernel.RNN_BWD_GRU_NR_R, grid, block, shared, ctx.args().struct(a).i64(s));
                        }
                    }
                }
            }
            if (dInitial.h() != null) {
                copyOrZero(dh, dInitial.h(), state, b);
            }
            if (dInitial.c() != null) {
                copyOrZero(dc, dInitial.c(), state, b);
            }
            weightGradients(spec, x, mask, w, dx, dWeights, rows, d, h, gh, dZx, gruAfter ? dZh : dZx, ws,
                    gruBefore);
        }
    }

    private void copyOrZero(CudaStorage src, Tensor dst, long floats, int batch) {
        if (batch > 0) {
            ctx.copy(src.pointer(0), Tensors.pointer(dst), floats);
        }
    }

    /** dx, dW, dU and db from the pre-activation gradients of all steps at once. */
    private void weightGradients(RnnSpec spec, Tensor x, Tensor mask, RnnWeights w, Tensor dx, RnnWeights dw,
            int rows, int d, int h, int gh, CudaStorage dZx, CudaStorage dZh, RnnArgs.WorkspaceAddresses ws,
            boolean gruBefore) {
        long dzx = dZx.address(0);
        if (dx != null) {
            gemm.gemm(false, true, rows, d, gh, 1f, dzx, gh, Tensors.address(w.kernel()), gh, 0f,
                    Tensors.address(dx), d);
        }
        // A skipped step's dZ is 0, but its input (or GRU's r*h from it) meets that 0 in the GEMMs
        // below, and NaN or ±∞ padding times 0 is NaN: zero those rows first, as skipping them does.
        boolean zeroSkipped = mask != null && rows > 0;
        if (dw.kernel() != null) {
            try (CudaStorage masked = zeroSkipped && d > 0 ? backend.scratch((long) rows * d) : null) {
                long xs = Tensors.address(x);
                if (masked != null) {
                    pointwise.zeroMaskedRows(xs, Tensors.address(mask), masked.address(0), rows, d);
                    xs = masked.address(0);
                }
                gemm.gemm(true, false, d, gh, rows, 1f, xs, d, dzx, gh, 0f, Tensors.address(dw.kernel()), gh);
            }
        }
        if (dw.recurrentKernel() != null) {
            long du = Tensors.address(dw.recurrentKernel());
            if (gruBefore) {  // z, r columns take hin; the h columns take r*hin
                if (zeroSkipped) {  // in place: those rows are read nowhere else
                    pointwise.zeroMaskedRows(ws.aux(), Tensors.address(mask), ws.aux(), rows, h);
                }
                gemm.gemm(true, false, h, 2 * h, rows, 1f, ws.hin(), h, dzx, gh, 0f, du, gh);
                gemm.gemm(true, false, h, h, rows, 1f, ws.aux(), h, dzx + 2L * h * Float.BYTES, gh, 0f,
                        du + 2L * h * Float.BYTES, gh);
            } else {
                gemm.gemm(true, false, h, gh, rows, 1f, ws.hin(), h, dZh.address(0), gh, 0f, du, gh);
            }
        }
        if (dw.bias() != null) {
            long db = Tensors.address(dw.bias());
            reductions.reduce(ReduceOp.SUM, dzx, 1, rows, gh, db);
            if (spec.resetAfter()) {
                reductions.reduce(ReduceOp.SUM, dZh.address(0), 1, rows, gh, db + (long) gh * Float.BYTES);
            }
        }
    }
}
