package io.rnn4j.engine.spi;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.ReduceOp;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnState;
import io.rnn4j.engine.RnnWeights;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;

/**
 * The operations a device must provide: memory, GEMM, pointwise, reductions, indexing, and the fused
 * recurrent sequence kernels. Every backend implements all of them; the scalar backend is the
 * reference the others are tested against.
 *
 * <p>Callers go through {@link io.rnn4j.engine.Device}, which validates every argument (devices,
 * ranks, shapes, bounds) before calling here and records writes; so implementations may assume
 * valid, contiguous row-major tensors that live on this backend, and never re-check. Output tensors
 * are overwritten (never accumulated into) unless the method says otherwise. An output never
 * overlaps an input unless the method says it may.
 */
public interface Backend extends AutoCloseable {

    /** The device name: "scalar", "simd", "cuda:0". */
    String name();

    // ---- memory ----

    /** New storage of {@code length} floats, zero-filled. */
    Storage allocate(long length);

    /** Copies {@code length} floats from the host array into {@code dst} at {@code dstOffset}. */
    void write(float[] src, int srcOffset, Storage dst, long dstOffset, int length);

    /** Copies {@code length} floats from {@code src} at {@code srcOffset} into the host array. */
    void read(Storage src, long srcOffset, float[] dst, int dstOffset, int length);

    /** {@code dst = src}, same number of elements. */
    void copy(Tensor src, Tensor dst);

    /** Every element of {@code dst} set to {@code value}. */
    void fill(Tensor dst, float value);

    // ---- GEMM ----

    /**
     * {@code C = alpha · op(A) · op(B) + beta · C}, BLAS-style on row-major data: op(A) is m×k,
     * op(B) is k×n, C is m×n; {@code lda}, {@code ldb}, {@code ldc} are the row strides of the
     * stored matrices (A stored k×m when {@code transA}). With {@code beta == 0}, C is not read (NaN
     * in C does not propagate).
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Tensor a, int lda, Tensor b,
            int ldb, float beta, Tensor c, int ldc);

    // ---- pointwise ----

    /**
     * {@code out = op(x)}, elementwise; {@code out} may be {@code x}. NaN, ±∞ and the values at kinks
     * follow {@link io.rnn4j.engine.scalar.ScalarMath} (the contract tests enforce them).
     */
    void unary(UnaryOp op, Tensor x, Tensor out);

    /** {@code dx = dy · op'(x)}, elementwise, as {@link io.rnn4j.engine.scalar.ScalarMath#derivative}; {@code dx} may be {@code dy}. */
    void unaryBackward(UnaryOp op, Tensor x, Tensor dy, Tensor dx);

    /** {@code out = alpha · x + beta}, elementwise; {@code out} may be {@code x}. */
    void affine(Tensor x, float alpha, float beta, Tensor out);

    /**
     * {@code out = op(a, b)} with NumPy broadcasting: each of a and b has out's rank and each of
     * its dimensions equals out's or is 1 (Device pads the ranks). {@code out} may be a or b when
     * that one has out's shape.
     */
    void binary(BinaryOp op, Tensor a, Tensor b, Tensor out);

    /**
     * {@code out = x} broadcast NumPy-style to out's shape (same rank, each x dimension equals
     * out's or is 1).
     */
    void broadcast(Tensor x, Tensor out);

    // ---- reductions ----

    /**
     * Reduces {@code x} along {@code axis} (0..rank-1); {@code out} holds x's elements with that
     * axis removed (its shape may keep it as 1: the layout is the same).
     */
    void reduce(ReduceOp op, Tensor x, int axis, Tensor out);

    /**
     * Softmax along {@code axis} (0..rank-1), max-subtracted for stability; with {@code log},
     * log-softmax. {@code out} has x's shape and may be x.
     */
    void softmax(Tensor x, int axis, boolean log, Tensor out);

    /**
     * The gradient of {@link #softmax} given its output {@code y} and upstream {@code dy}:
     * softmax: {@code dx = y · (dy − Σ dy·y)}; log-softmax: {@code dx = dy − exp(y) · Σ dy}.
     */
    void softmaxBackward(Tensor y, Tensor dy, int axis, boolean log, Tensor dx);

    // ---- indexing ----

    /**
     * Embedding lookup: {@code out[i, :] = table[indices[i], :]}. {@code indices} holds integral
     * values in {@code [0, rows)} (Device checks), any shape; out is indices' shape + (columns,), or
     * (indices.size, columns): the layout is the same.
     */
    void gather(Tensor table, Tensor indices, Tensor out);

    /** The adjoint of gather: {@code table[indices[i], :] += src[i, :]} (accumulates). */
    void scatterAdd(Tensor src, Tensor indices, Tensor table);

    /** Joins {@code parts} along {@code axis}; all other dimensions agree with out's. */
    void concat(Tensor[] parts, int axis, Tensor out);

    /** The inverse of concat: {@code parts} receive consecutive slices of x along {@code axis}. */
    void split(Tensor x, int axis, Tensor[] parts);

    /** {@code out} = x with the order of {@code axis} reversed. {@code out} does not overlap x. */
    void reverse(Tensor x, int axis, Tensor out);

    // ---- fused recurrent sequences (DESIGN.md: one node per sequence) ----

    /**
     * The number of floats the training workspace of {@link #rnnForward} needs for this spec,
     * batch and number of steps. The layout is the backend's own: a workspace is only ever read by
     * the same backend's {@link #rnnBackward}.
     */
    long rnnWorkspaceSize(RnnSpec spec, int batch, int steps);

    /**
     * Runs the cell over a whole sequence, exactly as Keras does (see {@link RnnSpec} and
     * DESIGN.md).
     *
     * @param x                    (B, T, D) inputs, batch-major
     * @param mask                 (B, T) with 0 (skip) or 1 (use; any non-zero counts as 1), or null: a masked step keeps
     *                             the states and outputs the previous output (zeros before the
     *                             first real step; zeros always with zeroOutputForMask)
     * @param recurrentDropoutMask (B, H) multiplier applied to h before every recurrent product (all
     *                             gates; GRU reset_before's (r·hd)·U_h too), while GRU's z·h uses h
     *                             itself and c is never dropped (Keras's recurrent_dropout in
     *                             training, one mask for all gates), or null
     * @param weights              Keras layouts; bias null when {@code !spec.useBias()}
     * @param initial              initial h (and c), (B, H) each, null members meaning zeros
     * @param output               (B, T, H): the output at each step, in processing order
     * @param last                 receives the final h (and c); null members are not written
     * @param workspace            null for inference; else {@link #rnnWorkspaceSize} floats that
     *                             receive what {@link #rnnBackward} needs
     */
    void rnnForward(RnnSpec spec, Tensor x, Tensor mask, Tensor recurrentDropoutMask, RnnWeights weights,
            RnnState initial, Tensor output, RnnState last, Tensor workspace);

    /**
     * Backpropagation through time for a forward call with the same arguments that filled
     * {@code workspace}.
     *
     * @param dOutput   (B, T, H) gradient of the loss w.r.t. output, or null for zeros
     * @param dLast     gradients w.r.t. the final h and c; null members mean zeros
     * @param dx        receives (B, T, D) gradient w.r.t. x, or null if not wanted
     * @param dWeights  receives the weight gradients (overwritten); members may be null if not wanted
     * @param dInitial  receives gradients w.r.t. the initial h and c; null members if not wanted
     */
    void rnnBackward(RnnSpec spec, Tensor x, Tensor mask, Tensor recurrentDropoutMask, RnnWeights weights,
            RnnState initial, Tensor workspace, Tensor dOutput, RnnState dLast, Tensor dx, RnnWeights dWeights,
            RnnState dInitial);

    /**
     * Waits until every op issued so far has finished (a no-op for backends that run ops on the
     * caller's thread). Reads to the host synchronise by themselves; this is for timing.
     */
    default void synchronize() {
    }

    /**
     * What this backend runs on, for {@code rnn4j info} and benchmark reports: e.g. vector bits,
     * FMA, threads; GPU name, memory, compute capability. Empty when there is nothing to say.
     */
    default java.util.Map<String, String> describe() {
        return java.util.Map.of();
    }

    /** Releases the backend's resources (thread pools, device contexts). Idempotent. */
    @Override
    default void close() {
    }
}
