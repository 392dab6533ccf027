package io.rnn4j.bench;

import java.util.Arrays;

/**
 * Timing in short windows, for the runs that alternate systems or parts within the same minutes
 * ({@code bench/floor}, {@code bench/pair}): the median time of single runs over a window, and
 * the median of a set of values.
 */
public final class WindowTiming {
    /** What is timed; it may throw (a peer system's run does). */
    public interface Body<E extends Exception> {
        void run() throws E;
    }

    private WindowTiming() {
    }

    /**
     * The median time of single runs of {@code body} over about {@code windowNanos}, at least
     * {@code minRuns} runs, in microseconds.
     */
    public static <E extends Exception> double medianMicros(Body<E> body, long windowNanos, int minRuns) throws E {
        double[] times = new double[64];
        int n = 0;
        long end = System.nanoTime() + windowNanos;
        do {
            long t0 = System.nanoTime();
            body.run();
            long t = System.nanoTime() - t0;
            if (n == times.length) {
                times = Arrays.copyOf(times, 2 * n);
            }
            times[n++] = t;
        } while (n < minRuns || System.nanoTime() < end);
        return median(Arrays.copyOf(times, n)) / 1e3;
    }

    /** The median (the mean of the middle two for an even count); NaN for no values. */
    public static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }
}
