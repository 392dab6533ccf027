package io.rnn4j.kernels.simd.rnn;

import io.rnn4j.engine.RnnCell;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnState;
import io.rnn4j.engine.RnnWeights;
import io.rnn4j.engine.Tensor;
import io.rnn4j.kernels.simd.gemm.Sgemm;
import io.rnn4j.kernels.simd.ops.Heap;
import io.rnn4j.kernels.simd.platform.SimdThreads;
import java.util.Arrays;
import java.util.Locale;

/**
 * The fused sequence kernels of the SIMD backend (DESIGN.md, "How the fast path works"): the
 * batch is split into blocks of rows, one per thread, each running its rows through the whole
 * sequence ({@link CellKernel}); a batch of one runs on the caller thread (or, opted in, on two
 * threads split by units: {@link SplitBatchOne}). Backward then takes the
 * weight gradients from the per-step gate gradients of all rows at once, as large GEMMs over B·T.
 *
 * <p>Inference allocates nothing once warm (a batch-1 streaming step included): the call, its
 * kernel and its buffers come from a pooled {@link RnnContext}. Training allocates the workspace's
 * layout per call, backward with recurrent dropout one array for the dropped states, and backward
 * with NaN or ±∞ in a masked step's input one copy of the inputs (see {@link #weightGradients}).
 *
 * <p>Semantics are exactly the scalar backend's ({@code ScalarRnn}): Keras's cells, masking,
 * go_backwards, initial states and recurrent dropout.
 */
public final class SimdRnn {
    /**
     * The most floats of input projection one block of rows holds in inference (64 MB): beyond,
     * the batch is cut into more blocks, down to one row a block (a longer row is refused: {@link
     * #MAX_ROW_PROJECTION}).
     */
    static final long PROJECTION_FLOATS = 1L << 24;
    /** The most floats one row's input projection may take: the longest Java array. */
    static final long MAX_ROW_PROJECTION = Integer.MAX_VALUE - 8;

    private SimdRnn() {
    }

    /** Whether batch-1 inference may run on two threads ({@code -Drnn4j.simd.splitBatchOne}, read once). */
    public static boolean splitBatchOne() {
        return SplitBatchOne.ENABLED;
    }

    /** Floats of training workspace for this spec, batch and number of steps (see {@link Workspace}). */
    public static long workspaceSize(RnnSpec spec, int batch, int steps) {
        return new Workspace(spec, batch, steps).size;
    }

    /** See {@code Backend.rnnForward}. */
    public static void forward(RnnSpec spec, Tensor x, Tensor mask, Tensor recurrentDropoutMask, RnnWeights weights,
            RnnState initial, Tensor output, RnnState last, Tensor workspace) {
        forward(spec, x, mask, recurrentDropoutMask, weights, initial, output, last, workspace, SimdThreads.threads());
    }

    /** Forward with the batch split into {@code blocks} blocks of rows (tests vary it). */
    static void forward(RnnSpec spec, Tensor x, Tensor mask, Tensor recurrentDropoutMask, RnnWeights weights,
            RnnState initial, Tensor output, RnnState last, Tensor workspace, int blocks) {
        RnnContext ctx = RnnContext.borrow();
        try {
            RnnCall q = ctx.call.setForward(spec, x, mask, recurrentDropoutMask, weights, initial, output, last,
                    workspace);
            if (q.batch == 0 || q.steps == 0) {
                emptySequence(q);
                return;
            }
            // Inference keeps each block's input projection in a buffer: more blocks than threads
            // when one per thread would need more than PROJECTION_FLOATS (the pool takes them in turn).
            long projection = (long) q.batch * q.steps * q.width;
            int needed = q.training() ? 1 : (int) Math.min(q.batch, Math.ceilDiv(projection, PROJECTION_FLOATS));
            CellKernel kernel = ctx.kernel(Math.max(blocks, needed), false);
            if (!q.training() && kernel.stacked == null && (long) q.steps * q.width > MAX_ROW_PROJECTION) {
                // A block holds at least one row's whole projection, so blocking cannot bring this down.
                throw new IllegalArgumentException(String.format(Locale.ROOT, "simd rnn forward: one sequence's input "
                        + "projection, %d steps × %d gate columns = %d floats, exceeds a Java array (%d); run the "
                        + "sequence in shorter pieces, passing each piece's last state as the next one's initial state",
                        q.steps, q.width, (long) q.steps * q.width, MAX_ROW_PROJECTION));
            }
            if (SplitBatchOne.applies(q)) {
                SplitBatchOne.forward(q, kernel);
                return;
            }
            ctx.run(flops(q));
        } finally {
            ctx.giveBack();
        }
    }

    /** See {@code Backend.rnnBackward}. */
    public static void backward(RnnSpec spec, Tensor x, Tensor mask, Tensor recurrentDropoutMask, RnnWeights weights,
            RnnState initial, Tensor workspace, Tensor dOutput, RnnState dLast, Tensor dx, RnnWeights dWeights,
            RnnState dInitial) {
        backward(spec, x, mask, recurrentDropoutMask, weights, initial, workspace, dOutput, dLast, dx, dWeights,
                dInitial, SimdThreads.threads());
    }

    /** Backward with the batch split into {@code blocks} blocks of rows (tests vary it). */
    static void backward(RnnSpec spec, Tensor x, Tensor mask, Tensor recurrentDropoutMask, RnnWeights weights,
            RnnState initial, Tensor workspace, Tensor dOutput, RnnState dLast, Tensor dx, RnnWeights dWeights,
            RnnState dInitial, int blocks) {
        RnnContext ctx = RnnContext.borrow();
        try {
            RnnCall q = ctx.call.setBackward(spec, x, mask, recurrentDropoutMask, weights, initial, workspace, dOutput,
                    dLast, dInitial);
            if (q.batch == 0 || q.steps == 0) {
                noSteps(q, dx, dWeights);
                return;
            }
            ctx.kernel(blocks, true);
            ctx.run(flops(q));
            weightGradients(q, dx, dWeights);
        } finally {
            ctx.giveBack();
        }
    }

    /** Whether a masked step's input holds NaN or ±∞ (rare: padding is normally 0). */
    private static boolean nonFiniteWhereMasked(RnnCall q) {
        if (q.mask == null) {
            return false;
        }
        for (int b = 0; b < q.batch; b++) {
            for (int t = 0; t < q.steps; t++) {
                if (!q.used(b, t)) {
                    int at = q.xOff + (b * q.steps + t) * q.inputs;
                    for (int i = 0; i < q.inputs; i++) {
                        if (!Float.isFinite(q.xs[at + i])) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /** A copy of the inputs with every masked step's row zeroed. */
    private static float[] maskedInputs(RnnCall q) {
        float[] x = Arrays.copyOfRange(q.xs, q.xOff, q.xOff + q.batch * q.steps * q.inputs);
        for (int b = 0; b < q.batch; b++) {
            for (int t = 0; t < q.steps; t++) {
                if (!q.used(b, t)) {
                    int at = (b * q.steps + t) * q.inputs;
                    Arrays.fill(x, at, at + q.inputs, 0f);
                }
            }
        }
        return x;
    }

    /** The multiply-adds of a forward pass ×2: the projection and the recurrent products. */
    private static long flops(RnnCall q) {
        return 2L * q.batch * q.steps * (long) q.width * (q.inputs + q.units);
    }

    /**
     * {@code dW = Xᵀ·dZ}, {@code dU = Hdᵀ·dZrec}, {@code db = Σ dZ} and {@code dx = dZ·Wᵀ} over all
     * B·T rows, where Hd is h before each step times the recurrent dropout.
     */
    private static void weightGradients(RnnCall q, Tensor dx, RnnWeights dWeights) {
        Workspace lay = q.layout;
        int rows = q.batch * q.steps;
        int n = q.units;
        int gw = q.width;
        float[] ws = q.ws;
        int dz = q.wsOff + lay.dGates;
        Tensor dW = dWeights.kernel();
        if (dW != null) {
            float[] xs = q.xs;
            int xOff = q.xOff;
            if (nonFiniteWhereMasked(q)) {
                // A masked step's dZ is 0, but NaN·0 is NaN: zero those steps' inputs, as skipping them
                // (the scalar backend) does, so that padding holding NaN cannot poison all of dW.
                xs = maskedInputs(q);
                xOff = 0;
            }
            Sgemm.gemm(true, false, q.inputs, gw, rows, 1f, xs, xOff, q.inputs, ws, dz, gw, 0f, Heap.array(dW),
                    Heap.offset(dW), gw);
        }
        Tensor dU = dWeights.recurrentKernel();
        if (dU != null) {
            float[] hd = ws;
            int hdOff = q.wsOff + lay.hPrev;
            if (q.drop != null) {
                hd = droppedStates(q);
                hdOff = 0;
            }
            float[] du = Heap.array(dU);
            int duo = Heap.offset(dU);
            if (q.cell != RnnCell.GRU) {
                Sgemm.gemm(true, false, n, gw, rows, 1f, hd, hdOff, n, ws, dz, gw, 0f, du, duo, gw);
            } else {
                Sgemm.gemm(true, false, n, 2 * n, rows, 1f, hd, hdOff, n, ws, dz, gw, 0f, du, duo, gw);
                if (q.spec.resetAfter()) {
                    Sgemm.gemm(true, false, n, n, rows, 1f, hd, hdOff, n, ws, q.wsOff + lay.dRecH, n, 0f, du,
                            duo + 2 * n, gw);
                } else {
                    Sgemm.gemm(true, false, n, n, rows, 1f, ws, q.wsOff + lay.extra, n, ws, dz + 2 * n, gw, 0f, du,
                            duo + 2 * n, gw);
                }
            }
        }
        Tensor db = dWeights.bias();
        if (db != null) {
            float[] d = Heap.array(db);
            int o = Heap.offset(db);
            Lanes.columnSums(ws, dz, rows, gw, gw, d, o);
            if (q.cell == RnnCell.GRU && q.spec.resetAfter()) {
                // Row 1, the recurrent bias: the same as row 0 for z and r, r·dn for h.
                System.arraycopy(d, o, d, o + gw, 2 * n);
                Lanes.columnSums(ws, q.wsOff + lay.dRecH, rows, n, n, d, o + gw + 2 * n);
            }
        }
        if (dx != null) {
            Sgemm.gemm(false, true, rows, q.inputs, gw, 1f, ws, dz, gw, Heap.array(q.kernel), Heap.offset(q.kernel), gw,
                    0f, Heap.array(dx), Heap.offset(dx), q.inputs);
        }
    }

    /** hPrev ⊙ drop for every (b, t) row: the recurrent product's left operand. */
    private static float[] droppedStates(RnnCall q) {
        int n = q.units;
        float[] hd = new float[q.batch * q.steps * n];
        int hp = q.wsOff + q.layout.hPrev;
        for (int b = 0; b < q.batch; b++) {
            for (int t = 0; t < q.steps; t++) {
                int r = (b * q.steps + t) * n;
                Lanes.mul(q.ws, hp + r, q.drop, q.dropOff + b * n, hd, r, n);
            }
        }
        return hd;
    }

    /** Forward over zero steps (or rows): the final states are the initial ones. */
    private static void emptySequence(RnnCall q) {
        int n = q.batch * q.units;
        copyOrZero(q.h0, q.h0Off, q.lastH, q.lastHOff, n);
        copyOrZero(q.c0, q.c0Off, q.lastC, q.lastCOff, n);
    }

    /** Backward over zero steps: the state gradients pass straight through, the weights get none. */
    private static void noSteps(RnnCall q, Tensor dx, RnnWeights dWeights) {
        int n = q.batch * q.units;
        copyOrZero(q.dLastH, q.dLastHOff, q.dh0, q.dh0Off, n);
        copyOrZero(q.dLastC, q.dLastCOff, q.dc0, q.dc0Off, n);
        for (Tensor t : new Tensor[] {dx, dWeights.kernel(), dWeights.recurrentKernel(), dWeights.bias()}) {
            if (t != null) {
                java.util.Arrays.fill(Heap.array(t), Heap.offset(t), Heap.offset(t) + Heap.size(t), 0f);
            }
        }
    }

    private static void copyOrZero(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        if (dst == null) {
            return;
        }
        if (src == null) {
            java.util.Arrays.fill(dst, dstOff, dstOff + n, 0f);
        } else {
            System.arraycopy(src, srcOff, dst, dstOff, n);
        }
    }
}
