package io.rnn4j.kernels.simd.ops;

import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.spi.HeapStorage;

/** Where a tensor of a CPU backend keeps its elements: a heap array and an offset into it. */
public final class Heap {
    private Heap() {
    }

    /** The array behind {@code t} (its storage is a {@link HeapStorage}: this backend allocates only those). */
    public static float[] array(Tensor t) {
        return ((HeapStorage) t.storage()).array();
    }

    /** Where {@code t}'s first element is in {@link #array}. */
    public static int offset(Tensor t) {
        return (int) t.offset();
    }

    /** {@code t}'s element count as an int (a heap tensor holds fewer than 2^31 floats). */
    public static int size(Tensor t) {
        return (int) t.size();
    }
}
