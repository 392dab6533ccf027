package io.rnn4j.engine.spi;

/**
 * Finds and creates one kind of backend; registered with {@link java.util.ServiceLoader}.
 *
 * <p>A provider class must not reference types it may lack at run time (the Vector API module, the
 * CUDA driver): {@link #probe()} checks for them by name and only {@link #create} loads the classes
 * that use them.
 */
public interface BackendProvider {

    /** The device kind, as selected by name: "scalar", "simd", "cuda". */
    String kind();

    /** Selection priority when none is requested: higher wins (cuda 300 &gt; simd 200 &gt; scalar 100). */
    int priority();

    /**
     * Whether this backend can run here: {@link Availability#yes()} or a one-line reason that says
     * how to enable it (e.g. "pass --add-modules jdk.incubator.vector").
     */
    Availability probe();

    /**
     * Creates the backend for device {@code index} ("cuda:1" → 1; 0 when no index is given). Called
     * only after a successful probe.
     */
    Backend create(int index);

    /** The outcome of a probe. */
    record Availability(boolean available, String reason) {
        public static Availability yes() {
            return new Availability(true, "");
        }

        public static Availability no(String reason) {
            return new Availability(false, reason);
        }
    }
}
