package io.rnn4j.engine.testing;

import java.util.SplittableRandom;

/**
 * Seeded random data for tests. A test class takes one seed ({@link #classSeed}: the system property
 * {@value #SEED_PROPERTY}, else a fresh one) and prints it; each test derives its own stream from that
 * seed and its name, so one {@code -Drnn4j.test.seed=…} reproduces every test of a failing run.
 */
public final class TestRandom {
    public static final String SEED_PROPERTY = "rnn4j.test.seed";

    private final long seed;
    private final SplittableRandom random;

    private TestRandom(long seed, long stream) {
        this.seed = seed;
        this.random = new SplittableRandom(stream);
    }

    /** The seed for one test class, printed with how to rerun it. */
    public static long classSeed(Class<?> owner) {
        String given = System.getProperty(SEED_PROPERTY);
        long seed = given != null && !given.isBlank() ? Long.parseLong(given.trim()) : System.nanoTime();
        System.out.println(owner.getSimpleName() + ": random seed " + seed + " (rerun with -D" + SEED_PROPERTY + "="
                + seed + ")");
        return seed;
    }

    /** The stream of test {@code name} under a class seed. */
    public static TestRandom of(long seed, String name) {
        return new TestRandom(seed, seed * 0x9E3779B97F4A7C15L + name.hashCode());
    }

    /** For messages: the seed and how to rerun with it. */
    @Override
    public String toString() {
        return "seed " + seed + " (-D" + SEED_PROPERTY + "=" + seed + ")";
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** Uniform in [lo, hi). */
    public double uniform(double lo, double hi) {
        return random.nextDouble(lo, hi);
    }

    /** A standard normal draw. */
    public double gaussian() {
        // Box–Muller; 1 − u keeps the logarithm finite.
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
    }

    /** {@code n} normal values times {@code scale}, rounded to float. */
    public float[] normal(int n, double scale) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (gaussian() * scale);
        }
        return out;
    }

    /** {@code n} uniform values in [lo, hi), rounded to float. */
    public float[] uniform(int n, double lo, double hi) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) uniform(lo, hi);
        }
        return out;
    }

    /** {@code n} integral row indices in [0, rows), as floats (the form gather takes). */
    public float[] indices(int n, int rows) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = nextInt(rows);
        }
        return out;
    }

    /** One element of {@code choices}. */
    public int pick(int... choices) {
        return choices[nextInt(choices.length)];
    }

    /** A shape of {@code rank} dimensions drawn from {@code choices}. */
    public int[] shape(int rank, int... choices) {
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = pick(choices);
        }
        return dims;
    }
}
