package io.rnn4j.layers;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Where every random stream of the layers comes from (weight initialisation, dropout, shuffling),
 * as Keras's {@code keras.utils.set_random_seed}: after {@code Seeds.set(s)}, building and training
 * the same model the same way draws the same numbers on the CPU backends. Unless set, the seed is
 * {@code -Drnn4j.seed} or else taken from the clock.
 */
public final class Seeds {
    private static SplittableRandom root = new SplittableRandom(initial());

    private Seeds() {
    }

    private static long initial() {
        String s = System.getProperty("rnn4j.seed");
        if (s != null && !s.isBlank()) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-Drnn4j.seed: expected a long, got '" + s + "'", e);
            }
        }
        return System.nanoTime() ^ 0x9E3779B97F4A7C15L;
    }

    /** Restarts every stream drawn from now on from {@code seed}. */
    public static synchronized void set(long seed) {
        root = new SplittableRandom(seed);
    }

    /** A new independent generator, the next in the sequence that {@link #set} started. */
    public static synchronized RandomGenerator next() {
        return root.split();
    }

    /** A generator for an explicit seed (a layer's or initializer's own {@code seed} argument). */
    public static RandomGenerator of(long seed) {
        return new SplittableRandom(seed);
    }
}
