package io.rnn4j.layers.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Keras's automatic layer names ("lstm", "lstm_1", ...), and a way for a file's reader to make
 * layers without drawing them: it names each from the file right after, as Keras's from_config
 * passes the saved name, so that loading leaves the names later layers draw as they would be
 * without it (a model the file leaves unnamed draws one, as Keras's does).
 */
public final class AutoNames {
    private static final ThreadLocal<int[]> SUSPENDED = ThreadLocal.withInitial(() -> new int[1]);
    private static final Map<String, AtomicInteger> DRAWN = new ConcurrentHashMap<>();

    private AutoNames() {
    }

    /** Keras's next automatic name for {@code prefix}: "lstm", then "lstm_1", "lstm_2", ... */
    public static String next(String prefix) {
        int n = DRAWN.computeIfAbsent(prefix, k -> new AtomicInteger()).getAndIncrement();
        return n == 0 ? prefix : prefix + "_" + n;
    }

    /** Forgets every name drawn, so that each prefix starts again from its bare form. */
    public static void clear() {
        DRAWN.clear();
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
