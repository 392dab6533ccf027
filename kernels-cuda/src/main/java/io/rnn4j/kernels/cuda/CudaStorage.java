package io.rnn4j.kernels.cuda;

import io.rnn4j.engine.spi.Storage;
import java.lang.ref.Cleaner;
import jcuda.driver.CUdeviceptr;

/**
 * Device memory behind a tensor: a block of the backend's caching allocator. Closing it (the
 * tensor that allocated it does) returns the block to the cache; a storage dropped without closing
 * is returned by a {@link Cleaner} once unreachable, so a forgotten tensor cannot leak the GPU.
 */
final class CudaStorage extends Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    private final long length;
    private final DeviceAllocator.Block block;
    private final Cleaner.Cleanable cleanable;

    CudaStorage(DeviceAllocator allocator, long length) {
        this.length = length;
        this.block = allocator.allocate(Math.max(length, 1) * Float.BYTES);
        this.cleanable = CLEANER.register(this, new Release(allocator, block));
    }

    // Holds no reference to the storage, or it would never become unreachable.
    private record Release(DeviceAllocator allocator, DeviceAllocator.Block block) implements Runnable {
        @Override
        public void run() {
            allocator.release(block);
        }
    }

    @Override
    public long length() {
        return length;
    }

    /** The device address of element {@code floatOffset}. */
    long address(long floatOffset) {
        return block.address() + floatOffset * Float.BYTES;
    }

    /** A driver pointer to element {@code floatOffset}, for copies. */
    CUdeviceptr pointer(long floatOffset) {
        return block.pointer().withByteOffset(floatOffset * Float.BYTES);
    }

    private boolean retained;

    /**
     * Keeps the block past {@link #close} (a captured CUDA graph refers to it by address); the
     * graph's owner gives it back with {@link #releaseRetained}.
     */
    void retain() {
        retained = true;
    }

    /** Returns a {@link #retain retained} block to the cache. */
    void releaseRetained() {
        retained = false;
        close();
    }

    @Override
    public void close() {
        if (retained) {
            return;
        }
        super.close();
        cleanable.clean();
    }
}
