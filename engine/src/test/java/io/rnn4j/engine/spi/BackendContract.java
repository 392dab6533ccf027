package io.rnn4j.engine.spi;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.testing.TestRandom;

/**
 * What every part of the backend contract needs: the device under test, a second device, and this
 * test's seeded random source. The parts ({@link GemmContract}, {@link PointwiseContract}, …) are
 * interfaces of default test methods so that each stays small; {@link AbstractBackendTest} joins
 * them and is what a backend's test extends.
 */
// Tests are compiled into the engine module: JUnit and the test-only packages are not exported from it.
@SuppressWarnings("exports")
public interface BackendContract {

    /** The device over the backend under test. */
    Device device();

    /** The test's random source; its {@code toString} names the seed for failure messages. */
    TestRandom random();

    /** A tensor on the device under test holding {@code data}. */
    default Tensor tensor(float[] data, int... dims) {
        return device().tensor(data, dims);
    }

    /** A tensor on the device under test with every element {@code value} (a sentinel, often NaN). */
    default Tensor filled(float value, int... dims) {
        Tensor t = device().zeros(dims);
        device().fill(t, value);
        return t;
    }

    /** A tensor of normal random values times {@code scale}. */
    default Tensor normal(double scale, int... dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return tensor(random().normal(n, scale), dims);
    }
}
