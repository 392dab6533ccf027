package io.rnn4j.kernels.cuda;

import static org.assertj.core.api.Assertions.fail;

import java.util.SplittableRandom;

/** Elementwise comparison with a tolerance, naming the first element that differs; random data. */
final class Compare {
    private Compare() {
    }

    /** The seed of a test's random data: -Drnn4j.seed, else fixed; printed so a failure can be replayed. */
    static long seed(String test) {
        long seed = Long.getLong("rnn4j.seed", 20261126L);
        System.out.println(test + ": seed " + seed + " (replay with -Drnn4j.seed=" + seed + ")");
        return seed;
    }

    /** |actual - expected| <= atol + rtol·|expected| everywhere (NaN must meet NaN). */
    static void close(String what, float[] expected, float[] actual, double atol, double rtol) {
        if (expected.length != actual.length) {
            fail(what + ": expected " + expected.length + " values, got " + actual.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (Double.isNaN(e) || Double.isNaN(a)) {
                if (Double.isNaN(e) != Double.isNaN(a)) {
                    fail(what + ": element " + i + " expected " + e + " got " + a);
                }
                continue;
            }
            if (Double.isInfinite(e) || Double.isInfinite(a)) {
                if (e != a) {
                    fail(what + ": element " + i + " expected " + e + " got " + a);
                }
                continue;
            }
            if (Math.abs(a - e) > atol + rtol * Math.abs(e)) {
                fail(what + ": element " + i + " of " + expected.length + " expected " + e + " got " + a
                        + " (|diff| " + Math.abs(a - e) + " > " + (atol + rtol * Math.abs(e)) + ")");
            }
        }
    }

    static void close(String what, double[] expected, float[] actual, double atol, double rtol) {
        float[] e = new float[expected.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = (float) expected[i];
        }
        close(what, e, actual, atol, rtol);
    }

    static float[] uniform(SplittableRandom rnd, int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextDouble(lo, hi);
        }
        return v;
    }
}
