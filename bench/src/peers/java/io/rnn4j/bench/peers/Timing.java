package io.rnn4j.bench.peers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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
        List<Long> samples = new ArrayList<>();
        start = System.nanoTime();
        while (samples.size() < minSamples || System.nanoTime() - start < measureNanos) {
            long t0 = System.nanoTime();
            p.run();
            samples.add(System.nanoTime() - t0);
        }
        Collections.sort(samples);
        int n = samples.size();
        double median = n % 2 == 1 ? samples.get(n / 2) : (samples.get(n / 2 - 1) + samples.get(n / 2)) / 2.0;
        return median / 1e3;
    }
}
