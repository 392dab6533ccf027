package io.rnn4j.kernels.cuda;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.ReduceOp;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnState;
import io.rnn4j.engine.RnnWeights;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.engine.spi.Backend;
import io.rnn4j.engine.spi.Storage;

/**
 * The backend SPI on one NVIDIA GPU, every op a kernel of ours ({@code src/main/cuda}).
 *
 * <p>One instance holds one context, one module and one stream ({@link CudaContext}); ops are
 * queued on the stream in call order and return at once, and the host waits only in
 * {@link #read} (and {@link #synchronize}). Ops are serialised on the instance, so callers on
 * several threads are safe. Memory comes from a caching allocator; {@link #close} frees it all.
 *
 * <p>Device memory is device memory: {@link Tensor#toArray()} copies it back through pinned host
 * memory. System properties: {@code rnn4j.cuda.persistent=false} disables the persistent sequence
 * kernels (the per-step kernels then run every sequence); {@code rnn4j.cuda.persistentKernel=
 * block|fused|staged} forces one of the persistent kernels instead of choosing by size;
 * {@code rnn4j.cuda.tf32=true} starts the instance with {@link #useTf32 TF32} GEMMs;
 * {@code rnn4j.cuda.graphs=false} disables replaying per-step sequences from CUDA graphs.
 */
public final class CudaBackend implements Backend {
    private final CudaContext ctx;
    private final Gemm gemm;
    private final Pointwise pointwise;
    private final Reductions reductions;
    private final Indexing indexing;
    private final RnnSequence rnn;
    private boolean tf32;

    CudaBackend(int ordinal) {
        // The properties first: a bad value is refused before a context exists to leak.
        boolean persistent = booleanProperty("rnn4j.cuda.persistent", true);
        boolean graphs = booleanProperty("rnn4j.cuda.graphs", true);
        boolean tf32 = booleanProperty("rnn4j.cuda.tf32", false);
        RnnSequence.Persistent kernel =
                RnnSequence.Persistent.parse(System.getProperty("rnn4j.cuda.persistentKernel", "auto"));
        this.ctx = new CudaContext(ordinal);
        this.gemm = new Gemm(ctx);
        this.pointwise = new Pointwise(ctx);
        this.reductions = new Reductions(ctx, this);
        this.indexing = new Indexing(ctx, pointwise);
        this.rnn = new RnnSequence(ctx, this, gemm, pointwise, reductions, persistent, kernel, graphs);
        this.tf32 = tf32;
    }

    /** A true/false system property (any case); anything else is refused by name. */
    static boolean booleanProperty(String name, boolean unset) {
        String v = System.getProperty(name);
        if (v == null) {
            return unset;
        }
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + ": expected true or false, got '" + v + "'");
        };
    }

    /**
     * Chooses the precision of {@link #gemm} (the backend's matrix product; the fused sequences'
     * internal products stay fp32 whatever this says). Off (the default): full fp32, as Keras.
     * On: TF32 on the tensor cores where the operands are 16-byte aligned (addresses, leading
     * dimensions and contiguous extents multiples of 4 floats; other products stay fp32): every
     * element of A and B is rounded to TF32 (a 10-bit mantissa, round to nearest) and the products
     * are summed in fp32, so each product carries a relative error of up to about 2^-10 instead of
     * 2^-24, results no longer match Keras's float32 to rounding, and large products run several
     * times faster.
     */
    public synchronized void useTf32(boolean enabled) {
        this.tf32 = enabled;
    }

    /** Whether {@link #gemm} runs in TF32 ({@link #useTf32}). */
    public synchronized boolean usesTf32() {
        return tf32;
    }

    /** Pins the aligned GEMM path's kernel family (tests and the timer compare them). */
    synchronized void useGemmVariant(PipelinedGemmPlan.Variant v) {
        gemm.useVariant(v);
    }

    /** Allows or forbids split-K in the aligned GEMM path (tests check both). */
    synchronized void useGemmSplitK(boolean enabled) {
        gemm.useSplitK(enabled);
    }

    /** With false, aligned GEMMs take the register-staged gemm.cu kernels (the timer's baseline). */
    synchronized void useGemmPipelined(boolean enabled) {
        gemm.usePipelined(enabled);
    }

    @Override
    public String name() {
        return "cuda:" + ctx.ordinal;
    }

    /** The GPU's name as the driver reports it, e.g. "NVIDIA H100 80GB HBM3". */
    public String deviceName() {
        return ctx.deviceName;
    }

    /** Compute capability as major·10 + minor (90 for Hopper). */
    public int computeCapability() {
        return ctx.computeCapability;
    }

    /** Streaming multiprocessors of the GPU. */
    public int multiprocessors() {
        return ctx.multiprocessors;
    }

    /** The GPU's peak SM clock in kHz, as the driver reports it. */
    public int clockKHz() {
        return ctx.clockKHz;
    }

    /** Waits until every queued op has finished (for timing; results are read without it). */
    public synchronized void synchronize() {
        ctx.makeCurrent();
        ctx.synchronize();
    }

    /** Device time per call of {@code calls} runs of {@code body} (µs), from CUDA events (the timer's). */
    synchronized double deviceMicros(Runnable body, int calls) {
        ctx.makeCurrent();
        return ctx.deviceMicros(body, calls);
    }

    /** Device memory held by this backend's allocator (in use or cached for reuse), in bytes. */
    public long reservedBytes() {
        return ctx.allocator.reservedBytes();
    }

    /** Device memory handed out to live storages, in bytes. */
    public long inUseBytes() {
        return ctx.allocator.inUseBytes();
    }

    /** Whether a forward of this spec and batch runs in the persistent kernel (one launch). */
    public synchronized boolean isPersistent(RnnSpec spec, int batch) {
        return rnn.persistentPlan(spec, batch) != null;
    }

    /** Enables or disables the persistent sequence kernel for this instance (tests compare both). */
    synchronized void usePersistent(boolean enabled) {
        rnn.usePersistent(enabled);
    }

    /** Chooses the persistent kernel: by batch (default), or always fused or staged (tests compare them). */
    synchronized void usePersistentKernel(RnnSequence.Persistent kernel) {
        rnn.usePersistentKernel(kernel);
    }

    /** Lets the fused kernel's lean loop take the calls it fits (the default), or not (tests compare both). */
    synchronized void useLeanLoop(boolean enabled) {
        rnn.useLeanLoop(enabled);
    }

    /**
     * Takes a backward's per-step recurrent product as an SGEMM where it fits
     * ({@link RnnSequence#gemmBackwardFits}), or in the step kernel (the default). Tests compare both.
     */
    synchronized void useGemmBackward(boolean enabled) {
        rnn.useGemmBackward(enabled);
    }

    /** Whether a backward of this spec and batch, without recurrent dropout, takes the SGEMM products. */
    synchronized boolean takesGemmBackward(RnnSpec spec, int batch) {
        return rnn.takesGemmBackward(spec, batch, false);
    }

    /** Whether an inference forward of this spec and batch, without mask or dropout, runs the lean loop. */
    synchronized boolean takesLeanLoop(RnnSpec spec, int batch) {
        return rnn.takesLeanLoop(spec, rnn.persistentPlan(spec, batch), false, false, false);
    }

    /** Which persistent kernel a forward of this spec and batch runs, or null for the per-step kernels. */
    synchronized RnnSequence.Persistent persistentKernel(RnnSpec spec, int batch) {
        RnnTiling.PersistentPlan plan = rnn.persistentPlan(spec, batch);
        return plan == null ? null : plan.kernel();
    }

    /** Enables or disables CUDA graphs for per-step forward sequences (disabling destroys them). */
    synchronized void useGraphs(boolean enabled) {
        ctx.makeCurrent();
        rnn.graphs().enable(enabled);
    }

    /** Per-step forward sequences replayed from CUDA graphs so far, and graphs captured. */
    synchronized long[] graphCounts() {
        return new long[] {rnn.graphs().replays(), rnn.graphs().captures()};
    }

    /** Uninitialised device memory for an op's intermediates; closing it returns it to the cache. */
    CudaStorage scratch(long floats) {
        return ctx.scratch(floats);
    }

    // ---- memory ----

    @Override
    public synchronized Storage allocate(long length) {
        ctx.makeCurrent();
        CudaStorage s = new CudaStorage(ctx.allocator, length);
        ctx.fill(s.pointer(0), length, 0f);
        return s;
    }

    @Override
    public synchronized void write(float[] src, int srcOffset, Storage dst, long dstOffset, int length) {
        if (length == 0) {
            return;
        }
        ctx.makeCurrent();
        ctx.write(src, srcOffset, ((CudaStorage) dst).pointer(dstOffset), length);
    }

    @Override
    public synchronized void read(Storage src, long srcOffset, float[] dst, int dstOffset, int length) {
        if (length == 0) {
            return;
        }
        ctx.makeCurrent();
        ctx.read(((CudaStorage) src).pointer(srcOffset), dst, dstOffset, length);
    }

    @Override
    public synchronized void copy(Tensor src, Tensor dst) {
        ctx.makeCurrent();
        ctx.copy(Tensors.pointer(src), Tensors.pointer(dst), src.size());
    }

    @Override
    public synchronized void fill(Tensor dst, float value) {
        ctx.makeCurrent();
        ctx.fill(Tensors.pointer(dst), dst.size(), value);
    }

    // ---- GEMM ----

    @Override
    public synchronized void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Tensor a, int lda,
            Tensor b, int ldb, float beta, Tensor c, int ldc) {
        ctx.makeCurrent();
        gemm.gemm(transA, transB, m, n, k, alpha, Tensors.address(a), lda, Tensors.address(b), ldb, beta,
                Tensors.address(c), ldc, tf32);
    }

    // ---- pointwise ----

    @Override
    public synchronized void unary(UnaryOp op, Tensor x, Tensor out) {
        ctx.makeCurrent();
        pointwise.unary(op, x, out);
    }

    @Override
    public synchronized void unaryBackward(UnaryOp op, Tensor x, Tensor dy, Tensor dx) {
        ctx.makeCurrent();
        pointwise.unaryBackward(op, x, dy, dx);
    }

    @Override
    public synchronized void affine(Tensor x, float alpha, float beta, Tensor out) {
        ctx.makeCurrent();
        pointwise.affine(x, alpha, beta, out);
    }

    @Override
    public synchronized void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        ctx.makeCurrent();
        pointwise.binary(op, a, b, out);
    }

    @Override
    public synchronized void broadcast(Tensor x, Tensor out) {
        ctx.makeCurrent();
        pointwise.broadcast(x, out);
    }

    // ---- reductions ----

    @Override
    public synchronized void reduce(ReduceOp op, Tensor x, int axis, Tensor out) {
        ctx.makeCurrent();
        reductions.reduce(op, x, axis, out);
    }

    @Override
    public synchronized void softmax(Tensor x, int axis, boolean log, Tensor out) {
        ctx.makeCurrent();
        reductions.softmax(x, axis, log, out);
    }

    @Override
    public synchronized void softmaxBackward(Tensor y, Tensor dy, int axis, boolean log, Tensor dx) {
        ctx.makeCurrent();
        reductions.softmaxBackward(y, dy, axis, log, dx);
    }

    // ---- indexing ----

    @Override
    public synchronized void gather(Tensor table, Tensor indices, Tensor out) {
        ctx.makeCurrent();
        indexing.gather(table, indices, out);
    }

    @Override
    public synchronized void scatterAdd(Tensor src, Tensor indices, Tensor table) {
        ctx.makeCurrent();
        indexing.scatterAdd(src, indices, table);
    }

    @Override
    public synchronized void concat(Tensor[] parts, int axis, Tensor out) {
        ctx.makeCurrent();
        indexing.concat(parts, axis, out);
    }

    @Override
    public synchronized void split(Tensor x, int axis, Tensor[] parts) {
        ctx.makeCurrent();
        indexing.split(x, axis, parts);
    }

    @Override
    public synchronized void reverse(Tensor x, int axis, Tensor out) {
        ctx.makeCurrent();
        pointwise.reverse(x, axis, out);
    }

    // ---- fused recurrent sequences ----

    @Override
    public long rnnWorkspaceSize(RnnSpec spec, int batch, int steps) {
        return RnnWorkspace.of(spec, batch, steps).size();
    }

    @Override
    public synchronized void rnnForward(RnnSpec spec, Tensor x, Tensor mask, Tensor recurrentDropoutMask,
            RnnWeights weights, RnnState initial, Tensor output, RnnState last, Tensor workspace) {
        ctx.makeCurrent();
        rnn.forward(spec, x, mask, recurrentDropoutMask, weights, initial, output, last, workspace);
    }

    @Override
    public synchronized void rnnBackward(RnnSpec spec, Tensor x, Tensor mask, Tensor recurrentDropoutMask,
            RnnWeights weights, RnnState initial, Tensor workspace, Tensor dOutput, RnnState dLast, Tensor dx,
            RnnWeights dWeights, RnnState dInitial) {
        ctx.makeCurrent();
        rnn.backward(spec, x, mask, recurrentDropoutMask, weights, workspace, dOutput, dLast, dx, dWeights,
                dInitial);
    }

    /** Frees all device memory of this instance and releases the context. Idempotent. */
    @Override
    public synchronized void close() {
        try {
            ctx.makeCurrent();
            rnn.close();
        } catch (IllegalStateException alreadyClosed) {
            // closed before: nothing left to destroy
        }
        ctx.close();
    }
}
