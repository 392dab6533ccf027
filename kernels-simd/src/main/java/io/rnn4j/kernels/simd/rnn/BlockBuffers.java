package io.rnn4j.kernels.simd.rnn;

import io.rnn4j.kernels.simd.math.Activations;
import java.util.Arrays;

/**
 * The arrays one block of batch rows works in (states, gradients, per-step rows, the input
 * projection), kept from call to call by the {@link RnnContext} that owns them, so that a call
 * allocates nothing once its sizes have been seen. An array above {@link #MAX_KEPT} floats is made
 * for the call and not kept: a pooled context then holds at most a few of those sizes (at 100
 * steps of a 4×256 LSTM the projection is 400 KB; a service calling thousands of times a second
 * would otherwise turn it into a young collection every few hundred calls).
 */
final class BlockBuffers {
    /** The largest array kept between calls: 2^20 floats, 4 MB. */
    static final int MAX_KEPT = 1 << 20;

    /** What each array is for; a kernel's forward and backward never run at once, so both use the same set. */
    enum Use {
        /** Forward: the states, h dropped out, a per-row scratch row, the recurrent products, the projection. */
        H, C, HD, ROW, RECUR, PROJECTION,
        /** Backward: dL/dh, dL/dc, gradients carried through masked steps, products through Uᵀ, scratch. */
        DH, DC, CARRY, DH_REC, TMP, ZEROS, D_RECUR, D_RHD, DHD
    }

    private final float[][] arrays = new float[Use.values().length][];
    private boolean[] started = new boolean[0];
    /** The chunked activations' scratch row ({@link Activations#scratch()}). */
    final float[] scratch = Activations.scratch();

    /** At least {@code n} floats for {@code use}, the first n set to 0. */
    float[] zeroed(Use use, int n) {
        float[] a = stale(use, n);
        Arrays.fill(a, 0, n, 0f);
        return a;
    }

    /**
     * At least {@code n} floats for {@code use}, holding whatever the last call left: callers
     * overwrite what they read.
     */
    float[] stale(Use use, int n) {
        float[] a = arrays[use.ordinal()];
        if (a != null && a.length >= n) {
            return a;
        }
        a = new float[n];
        if (n <= MAX_KEPT) {
            arrays[use.ordinal()] = a;
        }
        return a;
    }

    /** {@code n} flags, all false: whether each row has had a real step yet. */
    boolean[] started(int n) {
        if (started.length < n) {
            started = new boolean[n];
        } else {
            Arrays.fill(started, 0, n, false);
        }
        return started;
    }
}
