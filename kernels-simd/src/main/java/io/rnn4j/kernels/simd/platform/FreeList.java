package io.rnn4j.kernels.simd.platform;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * Reusable objects (the kernels' workspaces), lent to one call at a time, that cost no allocation
 * once warm: a fixed array of slots, borrowing empties a filled slot, giving back fills an empty
 * one, and an object given back when every slot is full is dropped for the GC.
 *
 * <p>Why not a {@code ThreadLocal}: a service calling from hundreds of (possibly virtual) threads
 * would keep one workspace per thread that ever ran a kernel; here it keeps at most as many as
 * there are slots, and as many as run at once are in use. Why not a {@code ConcurrentLinkedQueue}:
 * its {@code offer} allocates a node, so every call would allocate. A slot scan is a few volatile
 * reads; contention is bounded by the number of concurrent calls.
 *
 * @param <T> what is lent; the borrower must leave nothing in it that the next one could misread
 */
public final class FreeList<T> {
    private final AtomicReferenceArray<T> slots;
    private final Supplier<T> create;

    /** A list of {@code size} slots that makes a new object with {@code create} when all are empty. */
    public FreeList(int size, Supplier<T> create) {
        if (size < 1) {
            throw new IllegalArgumentException("free list: expected at least 1 slot, got " + size);
        }
        this.slots = new AtomicReferenceArray<>(size);
        this.create = create;
    }

    /** Slots for objects that each call of the kernels uses one of: twice the kernel threads, at least 4. */
    public static int defaultSize() {
        return Math.max(4, 2 * SimdThreads.threads());
    }

    /** An object from a slot, or a new one when every slot is empty. */
    public T borrow() {
        for (int i = 0; i < slots.length(); i++) {
            T t = slots.getPlain(i);
            if (t != null && slots.compareAndSet(i, t, null)) {
                return t;
            }
        }
        return create.get();
    }

    /** Puts {@code t} back in an empty slot, or drops it when there is none. */
    public void giveBack(T t) {
        for (int i = 0; i < slots.length(); i++) {
            if (slots.getPlain(i) == null && slots.compareAndSet(i, null, t)) {
                return;
            }
        }
    }
}
