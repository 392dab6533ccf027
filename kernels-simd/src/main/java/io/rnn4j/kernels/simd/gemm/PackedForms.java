package io.rnn4j.kernels.simd.gemm;

import java.util.Arrays;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The packed forms of sub-matrices of one version of one storage, each told apart by six ints (its
 * offset, sizes, stride, …), kept in the storage's cache ({@code Storage.derived}) under a constant
 * key, so that a hit costs no allocation: the weights of a streaming model are looked up every
 * timestep. Reads take no lock (the entry array is replaced, never changed); adding takes one.
 */
public final class PackedForms {
    /** Makes an empty set; pass this to {@code Storage.derived} (it captures nothing, so it is one object). */
    public static final Supplier<PackedForms> NEW = PackedForms::new;
    /**
     * Makes the set for a new version of the storage from the stale one (or null), whose values
     * stay at hand for {@link #recycled}; pass this to {@code Storage.derivedFrom}.
     */
    public static final UnaryOperator<PackedForms> NEXT = stale -> new PackedForms(stale == null ? null : stale.entries);

    private volatile Entry[] entries = new Entry[0];
    /** The stale version's entries, whose buffers a new packing may reuse. */
    private final Entry[] recycled;

    private PackedForms() {
        this(null);
    }

    private PackedForms(Entry[] recycled) {
        this.recycled = recycled == null ? new Entry[0] : recycled;
    }

    /**
     * What the stale version of the storage held for these ints, or null: the same sub-matrix
     * packed from the old contents, whose memory a packing of the new contents can take over.
     */
    public Object recycled(int a, int b, int c, int d, int e, int f) {
        for (Entry x : recycled) {
            if (x.a == a && x.b == b && x.c == c && x.d == d && x.e == e && x.f == f) {
                return x.value;
            }
        }
        return null;
    }

    /** The value put for these ints, or null. */
    public Object find(int a, int b, int c, int d, int e, int f) {
        for (Entry x : entries) {
            if (x.a == a && x.b == b && x.c == c && x.d == d && x.e == e && x.f == f) {
                return x.value;
            }
        }
        return null;
    }

    /** Puts {@code value} for these ints (replacing what was there) and returns it. */
    public synchronized <T> T put(int a, int b, int c, int d, int e, int f, T value) {
        Entry[] old = entries;
        Entry added = new Entry(a, b, c, d, e, f, value);
        for (int i = 0; i < old.length; i++) {
            Entry x = old[i];
            if (x.a == a && x.b == b && x.c == c && x.d == d && x.e == e && x.f == f) {
                Entry[] replaced = old.clone();
                replaced[i] = added;
                entries = replaced;
                return value;
            }
        }
        Entry[] grown = Arrays.copyOf(old, old.length + 1);
        grown[old.length] = added;
        entries = grown;
        return value;
    }

    private record Entry(int a, int b, int c, int d, int e, int f, Object value) {
    }
}
