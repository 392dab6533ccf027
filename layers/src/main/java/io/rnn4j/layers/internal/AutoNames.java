package io.rnn4j.layers.internal;

import java.util.function.Supplier;

/**
 * Lets a file's reader make layers without drawing Keras's automatic names ("lstm_3"): it names
 * each from the file right after, as Keras's from_config passes the saved name, so that loading
 * leaves the names later layers draw as they would be without it.
 */
public final class AutoNames {
    private static final ThreadLocal<int[]> SUSPENDED = ThreadLocal.withInitial(() -> new int[1]);

    private AutoNames() {
    }

    /** Runs {@code work} with no automatic names drawn on this thread. */
    public static <T> T suspended(Supplier<T> work) {
        int[] depth = SUSPENDED.get();
        depth[0]++;
        try {
            return work.get();
        } finally {
            depth[0]--;
        }
    }

    /** Whether layers made now on this thread take a placeholder name instead of drawing one. */
    public static boolean areSuspended() {
        return SUSPENDED.get()[0] > 0;
    }
}
