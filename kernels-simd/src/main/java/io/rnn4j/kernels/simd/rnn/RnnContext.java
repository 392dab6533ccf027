package io.rnn4j.kernels.simd.rnn;

import io.rnn4j.kernels.simd.platform.FreeList;
import io.rnn4j.kernels.simd.platform.SimdThreads;
import java.util.function.IntConsumer;

/**
 * Everything one fused sequence call needs besides its tensors, kept for the next call so that a
 * call allocates nothing once its sizes have been seen: the unpacked call, one kernel object per
 * cell kind (rebound to each call), the batch's split into blocks and each block's
 * {@link BlockBuffers}. Lent from a {@link FreeList}: as many exist as calls have run at once (up
 * to the list's size), not one per thread that ever called.
 *
 * <p>It is also the body each kernel thread runs ({@link #accept}): passing it, rather than a
 * lambda that captures the call, is what keeps the split allocation-free.
 */
final class RnnContext implements IntConsumer {
    private static final FreeList<RnnContext> FREE = new FreeList<>(FreeList.defaultSize(), RnnContext::new);

    final RnnCall call = new RnnCall();
    private final LstmKernel lstm = new LstmKernel(call);
    private final GruKernel gru = new GruKernel(call);
    private final GruResetBeforeKernel gruResetBefore = new GruResetBeforeKernel(call);
    private final SimpleKernel simple = new SimpleKernel(call);
    private CellKernel kernel;
    private BlockBuffers[] buffers = new BlockBuffers[0];
    /** Block c holds batch rows [bounds[c], bounds[c + 1]). */
    private int[] bounds = new int[2];
    private int blocks;
    private boolean backward;

    private RnnContext() {
    }

    /** A context, from the free list or new; give it back with {@link #giveBack()}. */
    static RnnContext borrow() {
        return FREE.borrow();
    }

    /** Drops the call's references (tensors, packed weights) and returns this to the free list. */
    void giveBack() {
        if (kernel != null) {
            kernel.clear();
            kernel = null;
        }
        call.clear();
        FREE.giveBack(this);
    }

    /**
     * The kernel for the call as set, split into {@code blocks} blocks of rows (see
     * {@link SimdRnn#blocks}), bound and with its packed weights looked up for forward or backward.
     */
    CellKernel kernel(int blocks, boolean backward) {
        this.backward = backward;
        split(call.batch, blocks);
        kernel = switch (call.cell) {
            case LSTM -> lstm;
            case GRU -> call.spec.resetAfter() ? gru : gruResetBefore;
            case SIMPLE -> simple;
        };
        // One block may spread each of its GEMMs over the threads; several blocks already use them.
        // A batch of one stays on the caller: its one GEMM (the input projection, tens of µs) saves
        // less on two threads than the steps then lose reading the half another core wrote (L1 took
        // 245 µs on two threads against 209 on one).
        kernel.bind(this.blocks == 1 && call.batch > 1 ? SimdThreads.threads() : 1);
        kernel.prepare(backward);
        return kernel;
    }

    /** Runs every block, over the kernel threads when {@code flops} pays for it. */
    void run(long flops) {
        SimdThreads.forEachChunk(blocks, flops, this);
    }

    /** One block: forward or backward over its rows, in its own buffers. */
    @Override
    public void accept(int block) {
        if (backward) {
            kernel.backward(buffers[block], bounds[block], bounds[block + 1]);
        } else {
            kernel.forward(buffers[block], bounds[block], bounds[block + 1]);
        }
    }

    /** Block 0's buffers (the batch-1 paths, which run one block). */
    BlockBuffers firstBuffers() {
        return buffers[0];
    }

    /**
     * Rows into {@code wanted} blocks as equal as can be (one for a batch of one), each row
     * computed the same way in any block (the products never switch algorithm by block size), so
     * results do not depend on the split.
     */
    private void split(int batch, int wanted) {
        int n = batch == 1 ? 1 : Math.max(1, Math.min(batch, wanted));
        if (bounds.length < n + 1) {
            bounds = new int[n + 1];
        }
        for (int i = 0; i <= n; i++) {
            bounds[i] = (int) ((long) batch * i / n);
        }
        if (buffers.length < n) {
            BlockBuffers[] grown = java.util.Arrays.copyOf(buffers, n);
            for (int i = buffers.length; i < n; i++) {
                grown[i] = new BlockBuffers();
            }
            buffers = grown;
        }
        blocks = n;
    }
}
