package io.rnn4j.engine.spi;

/** Storage on the Java heap, used by the CPU backends (scalar and SIMD), which can share it. */
public final class HeapStorage extends Storage {
    private final float[] data;

    public HeapStorage(int length) {
        this.data = new float[length];
    }

    /** The backing array; a tensor's elements start at its offset into it. */
    public float[] array() {
        return data;
    }

    @Override
    public long length() {
        return data.length;
    }
}
