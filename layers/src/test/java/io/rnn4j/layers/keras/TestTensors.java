package io.rnn4j.layers.keras;

import io.rnn4j.engine.Tensor;
import java.util.SplittableRandom;

/** The keras tests' seeded data: the same seed gives the same tensor in every test. */
final class TestTensors {
    private TestTensors() {
    }

    /** Standard normal values from {@code seed}, row-major in {@code dims}. */
    static Tensor gaussian(long seed, int... dims) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Tensor.of(v, dims);
    }
}
