package io.rnn4j.kernels.simd;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.ReduceOp;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnState;
import io.rnn4j.engine.RnnWeights;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.engine.spi.Backend;
import io.rnn4j.engine.spi.HeapStorage;
import io.rnn4j.engine.spi.Storage;
import io.rnn4j.kernels.simd.gemm.PackedForms;
import io.rnn4j.kernels.simd.gemm.PackedMatrix;
import io.rnn4j.kernels.simd.gemm.Sgemm;
import io.rnn4j.kernels.simd.ops.Broadcasting;
import io.rnn4j.kernels.simd.ops.Elementwise;
import io.rnn4j.kernels.simd.ops.Heap;
import io.rnn4j.kernels.simd.ops.Indexing;
import io.rnn4j.kernels.simd.ops.Reductions;
import io.rnn4j.kernels.simd.ops.Softmax;
import io.rnn4j.kernels.simd.platform.SimdConstants;
import io.rnn4j.kernels.simd.platform.SimdThreads;
import io.rnn4j.kernels.simd.rnn.SimdRnn;
import java.lang.System.Logger.Level;
import java.util.Arrays;

/**
 * The Vector API backend: every {@link Backend} op, on heap storage ({@link HeapStorage}, the same
 * as the scalar backend's, so tensors of the two interoperate). This class only routes: GEMM to
 * {@code gemm}, the generic ops to {@code ops}, the recurrent sequences to {@code rnn}.
 *
 * <p>Created only by {@link SimdProvider#create} after a successful probe, since loading it links
 * the Vector API.
 *
 * <p><b>Warm-up.</b> Vector API code runs tens to hundreds of times slower until C2 has compiled it
 * (measured here: the first LSTM call of batch 64 took seconds, the thousandth milliseconds).
 * Latency-sensitive services should run their shapes for a second or two before serving, and
 * benchmarks need warm-up iterations of seconds per shape.
 */
final class SimdBackend implements Backend {
    private static final System.Logger LOG = System.getLogger("io.rnn4j.kernels.simd");
    /** The storage-cache key of GEMM right operands packed for reuse (constant: a lookup allocates nothing). */
    private static final Object PACKED_B = new Object();
    /** What the cache holds for a B multiplied once so far at this version: packed on its second use. */
    private static final Object SEEN_ONCE = new Object();

    SimdBackend() {
        LOG.log(Level.INFO, "simd: " + SimdConstants.describe() + ", " + SimdThreads.threads() + " threads");
    }

    @Override
    public String name() {
        return "simd";
    }

    /** Vector width and FMA, the kernel threads, and whether a batch-1 sequence may use two. */
    @Override
    public java.util.Map<String, String> describe() {
        var about = new java.util.LinkedHashMap<String, String>();
        about.put("vectors", SimdConstants.SPECIES.vectorBitSize() + "-bit, " + SimdConstants.LANES + " floats, FMA "
                + (SimdConstants.FAST_FMA ? "on" : "off (multiply then add)"));
        about.put("threads", SimdThreads.threads() + " (-Drnn4j.threads)");
        about.put("batch-1 on two threads", SimdRnn.splitBatchOne() ? "on" : "off (-Drnn4j.simd.splitBatchOne=true)");
        return java.util.Collections.unmodifiableMap(about);
    }

    // ---- memory ----

    @Override
    public Storage allocate(long length) {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("allocate: a heap tensor holds at most " + (Integer.MAX_VALUE - 8)
                    + " floats, asked for " + length);
        }
        return new HeapStorage((int) length);
    }

    @Override
    public void write(float[] src, int srcOffset, Storage dst, long dstOffset, int length) {
        System.arraycopy(src, srcOffset, ((HeapStorage) dst).array(), (int) dstOffset, length);
    }

    @Override
    public void read(Storage src, long srcOffset, float[] dst, int dstOffset, int length) {
        System.arraycopy(((HeapStorage) src).array(), (int) srcOffset, dst, dstOffset, length);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        System.arraycopy(Heap.array(src), Heap.offset(src), Heap.array(dst), Heap.offset(dst), Heap.size(src));
    }

    @Override
    public void fill(Tensor dst, float value) {
        Arrays.fill(Heap.array(dst), Heap.offset(dst), Heap.offset(dst) + Heap.size(dst), value);
    }

    // ---- GEMM ----

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Tensor a, int lda, Tensor b,
            int ldb, float beta, Tensor c, int ldc) {
        PackedMatrix packed = repeatedB(b, transB, k, n, ldb);
        if (packed != null) {
            Sgemm.gemm(transA, m, alpha, Heap.array(a), Heap.offset(a), lda, packed, beta, Heap.array(c),
                    Heap.offset(c), ldc);
        } else {
            Sgemm.gemm(transA, transB, m, n, k, alpha, Heap.array(a), Heap.offset(a), lda, Heap.array(b),
                    Heap.offset(b), ldb, beta, Heap.array(c), Heap.offset(c), ldc);
        }
    }

    /**
     * B packed, from its storage's cache, when the same B (the same view of the same version of its
     * storage) is multiplied a second time: the weights of a layer called again and again, packed
     * once instead of once per call (packing a 1 MB B costs about a quarter of a 64-row product).
     * Null the first time, so a B used once (an activation, a gradient) is packed per call into the
     * GEMM's own buffer as before and costs no memory; a write to the storage drops the entry.
     */
    private static PackedMatrix repeatedB(Tensor b, boolean transB, int k, int n, int ldb) {
        if (k == 0 || n == 0) {
            return null;
        }
        PackedForms forms = b.storage().derivedFrom(PACKED_B, PackedForms.NEXT);
        int offset = Heap.offset(b);
        int t = transB ? 1 : 0;
        Object found = forms.find(offset, k, n, ldb, t, 0);
        if (found instanceof PackedMatrix p) {
            return p;
        }
        if (found == null) {
            forms.put(offset, k, n, ldb, t, 0, SEEN_ONCE);
            return null;
        }
        Object stale = forms.recycled(offset, k, n, ldb, t, 0);
        return forms.put(offset, k, n, ldb, t, 0, PackedMatrix.repack(stale instanceof PackedMatrix p ? p : null, transB,
                k, n, Heap.array(b), offset, ldb));
    }

    // ---- pointwise ----

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        Elementwise.unary(op, x, out);
    }

    @Override
    public void unaryBackward(UnaryOp op, Tensor x, Tensor dy, Tensor dx) {
        Elementwise.unaryBackward(op, x, dy, dx);
    }

    @Override
    public void affine(Tensor x, float alpha, float beta, Tensor out) {
        Elementwise.affine(x, alpha, beta, out);
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        Broadcasting.binary(op, a, b, out);
    }

    @Override
    public void broadcast(Tensor x, Tensor out) {
        Broadcasting.broadcast(x, out);
    }

    // ---- reductions ----

    @Override
    public void reduce(ReduceOp op, Tensor x, int axis, Tensor out) {
        Reductions.reduce(op, x, axis, out);
    }

    @Override
    public void softmax(Tensor x, int axis, boolean log, Tensor out) {
        Softmax.forward(x, axis, log, out);
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, int axis, boolean log, Tensor dx) {
        Softmax.backward(y, dy, axis, log, dx);
    }

    // ---- indexing ----

    @Override
    public void gather(Tensor table, Tensor indices, Tensor out) {
        Indexing.gather(table, indices, out);
    }

    @Override
    public void scatterAdd(Tensor src, Tensor indices, Tensor table) {
        Indexing.scatterAdd(src, indices, table);
    }

    @Override
    public void concat(Tensor[] parts, int axis, Tensor out) {
        Indexing.concat(parts, axis, out);
    }

    @Override
    public void split(Tensor x, int axis, Tensor[] parts) {
        Indexing.split(x, axis, parts);
    }

    @Override
    public void reverse(Tensor x, int axis, Tensor out) {
        Indexing.reverse(x, axis, out);
    }

    // ---- fused recurrent sequences ----

    @Override
    public long rnnWorkspaceSize(RnnSpec spec, int batch, int steps) {
        return SimdRnn.workspaceSize(spec, batch, steps);
    }

    @Override
    public void rnnForward(RnnSpec spec, Tensor x, Tensor mask, Tensor recurrentDropoutMask, RnnWeights weights,
            RnnState initial, Tensor output, RnnState last, Tensor workspace) {
        SimdRnn.forward(spec, x, mask, recurrentDropoutMask, weights, initial, output, last, workspace);
    }

    @Override
    public void rnnBackward(RnnSpec spec, Tensor x, Tensor mask, Tensor recurrentDropoutMask, RnnWeights weights,
            RnnState initial, Tensor workspace, Tensor dOutput, RnnState dLast, Tensor dx, RnnWeights dWeights,
            RnnState dInitial) {
        SimdRnn.backward(spec, x, mask, recurrentDropoutMask, weights, initial, workspace, dOutput, dLast, dx,
                dWeights, dInitial);
    }
}
