package io.rnn4j.kernels.simd.rnn;

/**
 * A reusable buffer per thread for inference's input projections, so that a batch-1 sequence
 * allocates almost nothing per call: at 100 steps of a 4×256 LSTM the projection is 400 KB, which
 * a service calling thousands of times a second would otherwise turn into a young collection every
 * few hundred calls. Buffers above {@link #MAX_FLOATS} are not kept (a thread holds at most 4 MB).
 * Contents are stale: callers overwrite what they use.
 */
final class ThreadBuffers {
    /** The largest buffer a thread keeps: 2^20 floats, 4 MB. */
    static final int MAX_FLOATS = 1 << 20;

    private static final ThreadLocal<float[]> PROJECTION = new ThreadLocal<>();

    private ThreadBuffers() {
    }

    /** At least {@code n} floats for this thread's projection rows, not zeroed. */
    static float[] projection(int n) {
        if (n > MAX_FLOATS) {
            return new float[n];
        }
        float[] b = PROJECTION.get();
        if (b == null || b.length < n) {
            b = new float[n];
            PROJECTION.set(b);
        }
        return b;
    }
}
