package io.rnn4j.kernels.simd.rnn;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.kernels.simd.gemm.Gemv;
import io.rnn4j.kernels.simd.gemm.PackedMatrix;
import io.rnn4j.kernels.simd.math.ActivationGrads;
import io.rnn4j.kernels.simd.gemm.Sgemm;
import java.util.Arrays;

/**
 * One cell's fused sequence kernels over a block of batch rows, and what the three cells share:
 * the input projection, states, masking of outputs, the recurrent dropout, the packed recurrent
 * products.
 *
 * <p>Rows are independent until the weight gradients are summed, so {@link SimdRnn} gives each
 * thread its own block of rows for the whole sequence: no barrier per step, and each thread reads
 * U from its own cache. Within a block, each step is one recurrent product for all its rows
 * (GEMVs for a batch of at most {@link #GEMV_BATCH} rows; for larger LSTM and SimpleRNN batches,
 * input and recurrent product in one, see {@link #stacks}) followed by the cell's pointwise pass
 * over each row. Nothing is allocated in the time loop, nor, once warm, per call: a block works in
 * its {@link BlockBuffers}, and the kernel object itself is reused by its {@link RnnContext},
 * rebound to each call.
 */
abstract class CellKernel {
    final RnnCall q;
    Workspace lay;
    /** T, H, G·H. */
    int steps;
    int units;
    int width;
    /**
     * The largest batch whose recurrent products are GEMVs ({@link Gemv#multiply(int, float[], int,
     * int, float[], int, int, boolean)}: one pass over U per two or four rows) after one GEMM for
     * every step's input projection, rather than one GEMM per step: in a GEMM of so few rows most of
     * a register tile is padding. Measured on the Xeon (one thread, medians of two alternating
     * runs, GEMM → GEMVs): L2's shape (H = 256, T = 100) at batch 2 3.2–3.7 → 0.95–1.13 ms (batch 1:
     * 0.73–0.89), at 3 3.1–3.7 → 1.3–1.4, at 4 3.4–3.7 → 1.6, at 6 3.6–3.8 → 2.6–2.8, while the GEMM
     * took 3.1–3.7 at 8; G1's (H = 128) at 2 544–569 → 198–227 µs, at 3 585–594 → 275–301, at 4
     * 631–641 → 370, at 6 726–729 → 598–608. Narrower than 512 bits the rows go one at a time
     * (see {@code GemvRows.APPLY}) and the GEMM's tile is 6 rows, so 4: with C2 held to AVX2
     * ({@code -XX:UseAVX=2}) L2's shape at batch 6 took 4.1–4.5 ms by GEMM against 6.4–6.6 by
     * GEMVs, and at 4 about the same either way (4.3–4.4 by GEMVs).
     */
    static final int GEMV_BATCH = Lanes.S.vectorBitSize() >= 512 ? 6 : 4;
    /** Whether the batch is at most {@link #GEMV_BATCH} rows (GEMV products). */
    boolean smallBatch;
    /** The most threads each GEMM of a block may use: 1 when the call runs several blocks at once. */
    int gemmThreads = 1;
    /** W packed for the input projection (forward), as a GEMM operand or, for a single row, for a GEMV. */
    private PackedMatrix projection;
    private Gemv projectionRow;
    /**
     * [W; U] packed as one operand, when this forward takes each step's {@code x·W + hd·U + b} as
     * one product ({@link #stackedStep}) instead of projecting every step's input first; else null.
     */
    PackedMatrix stacked;

    /** A kernel over {@code q}, whatever q holds when {@link #bind} is called. */
    CellKernel(RnnCall q) {
        this.q = q;
    }

    /** A new kernel for a set call, bound and prepared for forward (tests; the backend reuses its context's). */
    static CellKernel of(RnnCall q) {
        CellKernel k = switch (q.cell) {
            case LSTM -> new LstmKernel(q);
            case GRU -> q.spec.resetAfter() ? new GruKernel(q) : new GruResetBeforeKernel(q);
            case SIMPLE -> new SimpleKernel(q);
        };
        k.bind(1);
        k.prepare(false);
        return k;
    }

    /** Reads the call's sizes and options; each GEMM of a block then runs on up to {@code gemmThreads}. */
    void bind(int gemmThreads) {
        this.lay = q.layout;
        this.steps = q.steps;
        this.units = q.units;
        this.width = q.width;
        this.smallBatch = q.batch <= GEMV_BATCH;
        this.gemmThreads = gemmThreads;
        bindOptions();
    }

    /** Reads the cell's own options (activations) from the call's spec. */
    abstract void bindOptions();

    /**
     * Looks up the packed weights that forward ({@code backward} false) or backward multiplies by,
     * once per call and before any block runs.
     */
    void prepare(boolean backward) {
        // One row in all (a streaming step: batch 1, one timestep): a GEMV, since the GEMM would
        // compute a whole register tile of rows for it. Batch 1 is always one block, so the choice
        // never depends on how rows are split over threads.
        boolean oneRow = q.batch * steps == 1;
        stacked = !backward && !smallBatch && stacks()
                ? PackedWeights.stacked(q.kernel, q.recurrentKernel, q.inputs, units, width) : null;
        projection = backward || oneRow || stacked != null ? null
                : PackedWeights.gemm(q.kernel, q.inputs, 0, width, width);
        projectionRow = !backward && oneRow ? PackedWeights.gemv(q.kernel, q.inputs, 0, width, width) : null;
        prepareProducts(backward);
    }

    /**
     * Whether the cell's pre-activations are {@code x·W + hd·U + b} whole (LSTM, SimpleRNN), so that
     * a batch's forward can take them per step as one product over the stacked [W; U]: then each
     * step's GEMM writes a small block of rows that stays in cache, once, where projecting all
     * steps first writes B·T·G·H floats to memory and the recurrent GEMM then reads and rewrites
     * them. A small batch ({@link #GEMV_BATCH}) keeps the projection and the GEMVs.
     */
    boolean stacks() {
        return false;
    }

    /** Points the cell's products at U (forward) or Uᵀ (backward), with {@link #forwardProduct}. */
    abstract void prepareProducts(boolean backward);

    /** Drops every reference to the call's weights (a pooled kernel must not keep them alive). */
    void clear() {
        stacked = null;
        projection = null;
        projectionRow = null;
        clearProducts();
    }

    abstract void clearProducts();

    /** Runs batch rows [r0, r1) forward over the whole sequence, in the arrays of {@code buf}. */
    abstract void forward(BlockBuffers buf, int r0, int r1);

    /** The same in new arrays (the split batch-1 path's fallback, which rarely runs). */
    void forward(int r0, int r1) {
        forward(new BlockBuffers(), r0, r1);
    }

    /**
     * Back-propagates batch rows [r0, r1) over the whole sequence: fills their rows of the
     * workspace's dGates (and dRecH) and their initial-state gradients; the weight gradients are
     * taken from those afterwards, for all rows at once.
     */
    abstract void backward(BlockBuffers buf, int r0, int r1);

    // ---- recurrent products ----

    /** Points {@code p} at {@code · U[:, col0, col0 + cols)}, for forward. */
    void forwardProduct(Product p, int col0, int cols) {
        if (smallBatch) {
            p.use(PackedWeights.gemv(q.recurrentKernel, units, col0, cols, width));
        } else {
            p.use(PackedWeights.gemm(q.recurrentKernel, units, col0, cols, width), gemmThreads);
        }
    }

    /** Points {@code p} at {@code · U[:, col0, col0 + cols)ᵀ}, for backward. */
    void backwardProduct(Product p, int col0, int cols) {
        if (smallBatch) {
            p.use(PackedWeights.gemvTransposed(q.recurrentKernel, units, col0, cols, width));
        } else {
            p.use(PackedWeights.gemmTransposed(q.recurrentKernel, units, col0, cols, width), gemmThreads);
        }
    }

    // ---- forward pieces ----

    /**
     * {@code g[rows (b − r0)·T + t] = x[b, t]·W + input bias} for rows [r0, r1): one GEMM for all
     * their steps, W packed once per weight version.
     */
    void project(int r0, int r1, float[] g, int gBase) {
        int rows = (r1 - r0) * steps;
        int xAt = q.xOff + r0 * steps * q.inputs;
        if (projectionRow != null) {
            if (q.bias != null) {
                System.arraycopy(q.bias, q.biasOff, g, gBase, width);
            }
            projectionRow.multiply(q.xs, xAt, g, gBase, q.bias != null);
        } else {
            // The bias enters as the product's starting value, rounded as adding it afterwards would be.
            Sgemm.gemmStacked(rows, q.xs, xAt, Math.max(1, q.inputs), q.inputs, null, 0, 1, projection, q.bias,
                    q.biasOff, g, gBase, width, gemmThreads);
        }
    }

    /**
     * {@code z[row] = [x[b, t], a[row]]·[W; U] + input bias} for rows b in [r0, r1), row = b − r0,
     * z's rows G·H apart from 0 and a's (the state, or it dropped out) H apart: the step's
     * pre-activations in one product ({@link #stacked}).
     */
    void stackedStep(int r0, int r1, int t, float[] a, float[] z) {
        int xAt = q.xOff + (r0 * steps + t) * q.inputs;
        Sgemm.gemmStacked(r1 - r0, q.xs, xAt, Math.max(1, steps * q.inputs), q.inputs, a, 0, units, stacked, q.bias,
                q.biasOff, z, 0, width, gemmThreads);
    }

    /** Rows [r0, r1) of an initial state (or zeros when absent) into {@code dst}. */
    void initial(float[] src, int srcOff, int r0, int r1, float[] dst) {
        if (src != null) {
            System.arraycopy(src, srcOff + r0 * units, dst, 0, (r1 - r0) * units);
        }
    }

    /** Rows [r0, r1) of a state into a final-state tensor (skipped when not wanted). */
    void last(float[] state, int r0, int r1, float[] dst, int dstOff) {
        if (dst != null) {
            System.arraycopy(state, 0, dst, dstOff + r0 * units, (r1 - r0) * units);
        }
    }

    /**
     * The recurrent product's left operand for step t: h itself, or {@code h ⊙ drop} in
     * {@code hd}; in training also records h (the state before the step) in hPrev.
     */
    float[] recurrentInput(int r0, int r1, int t, float[] h, float[] hd) {
        for (int b = r0; b < r1; b++) {
            int ho = (b - r0) * units;
            if (q.training()) {
                System.arraycopy(h, ho, q.ws, q.wsRow(lay.hPrev, b, t, units), units);
            }
            if (q.drop != null) {
                Lanes.mul(h, ho, q.drop, q.dropOff + b * units, hd, ho, units);
            }
        }
        return q.drop != null ? hd : h;
    }

    /**
     * The output of a masked step: the previous output (the state h, once a real step has run) or
     * zeros (before that, or with zeroOutputForMask).
     */
    void maskedOutput(int b, int s, boolean started, float[] h, int ho) {
        int oo = q.outOff + (b * steps + s) * units;
        if (started && !q.spec.zeroOutputForMask()) {
            System.arraycopy(h, ho, q.out, oo, units);
        } else {
            Arrays.fill(q.out, oo, oo + units, 0f);
        }
    }

    /**
     * Whether any of rows [r0, r1) uses step t; when none does (a padded tail, say) the step's
     * products are skipped: masked rows never read them.
     */
    boolean anyUsed(int r0, int r1, int t) {
        for (int b = r0; b < r1; b++) {
            if (q.used(b, t)) {
                return true;
            }
        }
        return false;
    }

    /** Where output row (b, s) starts. */
    int outRow(int b, int s) {
        return q.outOff + (b * steps + s) * units;
    }

    // ---- backward pieces ----

    /**
     * Collects dL/d(output at s) of row b into {@code carry} (which also holds what later masked
     * steps passed back to it) and decides who receives it: on a real step the new h, so it moves
     * into dh and carry clears; on a masked step the previous output (carry keeps it), or nobody
     * with zeroOutputForMask (carry clears). Returns whether step s was real for row b.
     */
    boolean collectOutputGradient(int b, int s, int t, float[] carry, float[] dh, int ho) {
        if (q.dOut != null) {
            Lanes.addTo(carry, ho, q.dOut, q.dOutOff + (b * steps + s) * units, units);
        }
        if (!q.used(b, t)) {
            if (q.spec.zeroOutputForMask()) {
                Arrays.fill(carry, ho, ho + units, 0f);
            }
            return false;
        }
        Lanes.addTo(dh, ho, carry, ho, units);
        Arrays.fill(carry, ho, ho + units, 0f);
        return true;
    }

    /** {@code dst = src ⊙ drop} (or src) for row b: the gradient reaching h through the product. */
    void throughDropout(int b, float[] src, int so, float[] dst, int dOff) {
        if (q.drop != null) {
            Lanes.mul(src, so, q.drop, q.dropOff + b * units, dst, dOff, units);
        } else {
            System.arraycopy(src, so, dst, dOff, units);
        }
    }

    /** {@code dst += src ⊙ drop} (or src) for row b. */
    void addThroughDropout(int b, float[] src, int so, float[] dst, int dOff) {
        if (q.drop != null) {
            Lanes.addProduct(src, so, q.drop, q.dropOff + b * units, dst, dOff, units);
        } else {
            Lanes.addTo(dst, dOff, src, so, units);
        }
    }

    /** Initial dh (and dc) of rows [r0, r1): dLast, or zeros. */
    void initialGradient(float[] src, int srcOff, int r0, int r1, float[] dst) {
        initial(src, srcOff, r0, r1, dst);
    }

    /**
     * {@code d ⊙= op'(z)} over n floats: from op's output at {@code outAt} in the workspace when
     * its derivative has that form (tanh, sigmoid, linear), else from its input z at {@code inAt}
     * ({@code scratch}: {@code Activations.scratch()}, one per block of rows).
     */
    void activationGradient(UnaryOp op, int outAt, int inAt, float[] d, int dOff, int n, float[] scratch) {
        if (ActivationGrads.hasOutputForm(op)) {
            ActivationGrads.fromOutput(op, q.ws, outAt, d, dOff, d, dOff, n);
        } else {
            ActivationGrads.fromInput(op, q.ws, inAt, d, dOff, d, dOff, n, scratch);
        }
    }

    /** Where row (b, t) of the pre-activations starts, or −1 when they are not kept (or not training). */
    int preRow(int b, int t) {
        return !q.training() || lay.pre == Workspace.ABSENT ? -1 : q.wsRow(lay.pre, b, t, width);
    }

    /** Where row (b, t) of the dGates region starts. */
    int dGatesRow(int b, int t) {
        return q.wsRow(lay.dGates, b, t, width);
    }

    /** Where row (b, t) of the gates region starts. */
    int gatesRow(int b, int t) {
        return q.wsRow(lay.gates, b, t, width);
    }
}
