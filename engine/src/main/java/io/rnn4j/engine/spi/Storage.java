package io.rnn4j.engine.spi;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A block of float32 memory owned by one backend. Tensors are views of a storage (offset + shape).
 *
 * <p>A storage counts its writes ({@link #version()}), so that a backend can cache what it derives
 * from the contents — packed GEMM panels of a weight matrix, say — and rebuild it only when the
 * weights change. The engine's {@code Device} bumps the version whenever an op writes into it.
 */
public abstract class Storage implements AutoCloseable {
    private volatile long version;
    private final Map<Object, Derived> derived = new ConcurrentHashMap<>();

    private record Derived(long version, Object value) {
    }

    /** The number of floats. */
    public abstract long length();

    /** How many times this storage has been written. */
    public final long version() {
        return version;
    }

    /** Records a write: cached derived data becomes stale. */
    public final void markWritten() {
        version++;
    }

    /**
     * The value derived from this storage under {@code key}, computed by {@code compute} when absent
     * or older than the last write. Safe to call from many threads (a value may be computed twice).
     */
    @SuppressWarnings("unchecked")
    public final <T> T derived(Object key, Supplier<T> compute) {
        long v = version;
        Derived d = derived.get(key);
        if (d == null || d.version != v) {
            d = new Derived(v, compute.get());
            derived.put(key, d);
        }
        return (T) d.value;
    }

    /** Frees the memory (device memory; heap memory is left to the GC). Idempotent. */
    @Override
    public void close() {
        derived.clear();
    }
}
