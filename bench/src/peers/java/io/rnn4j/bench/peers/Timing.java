package io.rnn4j.bench.peers;

import io.rnn4j.bench.WindowTiming;

/**
 * The one timing harness every system goes through: warm up for a while (JITs and native libraries
 * settle: the Vector API needs seconds for C2), then time single runs and take the median, which a
 * noisy neighbour moves less than the mean.
 */
final class Timing {
    private final long warmupNanos;
    private final long measureNanos;
    private final int minSamples;

    Timing(double warmupSeconds, double measureSeconds, int minSamples) {
        this.warmupNanos = (long) (warmupSeconds * 1e9);
        this.measureNanos = (long) (measureSeconds * 1e9);
        this.minSamples = minSamples;
    }

    /** The median time of one run, in microseconds. */
    double medianMicros(PeerSystem.Prepared p) throws Exception {
        long start = System.nanoTime();
        int warm = 0;
        while (warm < 3 || System.nanoTime() - start < warmupNanos) {
            p.run();
            warm++;
        }
        return WindowTiming.medianMicros(p::run, measureNanos, minSamples);
    }
}
