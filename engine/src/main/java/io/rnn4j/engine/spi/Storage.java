package io.rnn4j.engine.spi;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

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

    /**
     * The same, but {@code refresh} is given the value derived from an older version (null when
     * there is none), so that it can rebuild into that value's memory instead of allocating anew:
     * weights written every training step are re-derived every step, and off-heap buffers left to
     * the collector would pile up between collections. A caller still using the old value then
     * sees it change; that happens only when the storage is written while being read, which is a
     * race on the storage itself.
     */
    @SuppressWarnings("unchecked")
    public final <T> T derivedFrom(Object key, UnaryOperator<T> refresh) {
        long v = version;
        Derived d = derived.get(key);
        if (d == null || d.version != v) {
            d = new Derived(v, refresh.apply(d == null ? null : (T) d.value));
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
