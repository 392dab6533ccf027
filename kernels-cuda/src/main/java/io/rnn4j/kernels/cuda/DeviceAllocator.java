package io.rnn4j.kernels.cuda;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import jcuda.CudaException;

/**
 * A caching allocator of device memory: a freed block goes to a free list of its (rounded) size
 * and the next request of that size reuses it, so ops never call {@code cuMemAlloc}/{@code cuMemFree}
 * in steady state (both synchronise the device). Safe to reuse without waiting because every op of
 * a backend runs on its one stream, in order. On out-of-memory the cache is emptied and the
 * allocation retried once.
 *
 * <p>Thread-safe; {@link #release} makes no CUDA call, so a {@link java.lang.ref.Cleaner} thread may
 * call it.
 */
final class DeviceAllocator implements AutoCloseable {
    /** Requests up to this size are rounded to {@link #SMALL_ROUND} bytes, larger ones to {@link #LARGE_ROUND}. */
    static final long SMALL_LIMIT = 1L << 20;
    static final long SMALL_ROUND = 512;
    static final long LARGE_ROUND = 1L << 20;

    /** A device allocation: its pointer, raw address and size in bytes. */
    record Block(DevicePointer pointer, long address, long bytes) {
    }

    private final Map<Long, ArrayDeque<Block>> cached = new HashMap<>();
    private final Map<Block, Boolean> live = new IdentityHashMap<>();
    private long reservedBytes;
    private long inUseBytes;
    private boolean closed;

    /** The size a request of {@code bytes} is served with. */
    static long roundedSize(long bytes) {
        long b = Math.max(bytes, 1);
        long unit = b <= SMALL_LIMIT ? SMALL_ROUND : LARGE_ROUND;
        return (b + unit - 1) / unit * unit;
    }

    /** A block of at least {@code bytes}; the caller's context must be current. Contents undefined. */
    synchronized Block allocate(long bytes) {
        if (closed) {
            throw new IllegalStateException("the CUDA backend is closed");
        }
        long size = roundedSize(bytes);
        ArrayDeque<Block> list = cached.get(size);
        Block block = list == null ? null : list.poll();
        if (block == null) {
            block = allocateFresh(size);
            live.put(block, Boolean.TRUE);
            reservedBytes += size;
        }
        inUseBytes += size;
        return block;
    }

    private Block allocateFresh(long size) {
        DevicePointer p = new DevicePointer();
        try {
            cuMemAlloc(p, size);
        } catch (CudaException e) {
            if (!String.valueOf(e.getMessage()).contains("OUT_OF_MEMORY")) {
                throw e;
            }
            releaseCached();
            try {
                cuMemAlloc(p, size);
            } catch (CudaException again) {
                throw new IllegalStateException("CUDA out of memory allocating " + size + " bytes (" + reservedBytes
                        + " bytes held by rnn4j, " + inUseBytes + " in use)", again);
            }
        }
        return new Block(p, p.address(), size);
    }

    /** Returns a block to the cache. No CUDA call; ignored after {@link #close}. */
    synchronized void release(Block block) {
        if (closed || !live.containsKey(block)) {
            return;
        }
        inUseBytes -= block.bytes();
        cached.computeIfAbsent(block.bytes(), k -> new ArrayDeque<>()).push(block);
    }

    /** Frees every cached (unused) block; the caller's context must be current. */
    synchronized void releaseCached() {
        for (ArrayDeque<Block> list : cached.values()) {
            for (Block b : list) {
                cuMemFree(b.pointer());
                live.remove(b);
                reservedBytes -= b.bytes();
            }
        }
        cached.clear();
    }

    /** Bytes obtained from the driver and not yet freed (in use or cached). */
    synchronized long reservedBytes() {
        return reservedBytes;
    }

    /** Bytes handed out and not yet released. */
    synchronized long inUseBytes() {
        return inUseBytes;
    }

    /** Frees every block, in use or not; the caller's context must be current. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Block b : live.keySet()) {
            cuMemFree(b.pointer());
        }
        live.clear();
        cached.clear();
        reservedBytes = 0;
        inUseBytes = 0;
    }
}
