package io.rnn4j.engine.spi;

import static io.rnn4j.engine.testing.Approx.assertExact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Devices;
import io.rnn4j.engine.Tensor;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Memory: allocation, host writes and reads, copy and fill — on views that start mid-storage, with
 * the neighbouring elements checked untouched. All exact.
 */
// Tests are compiled into the engine module: JUnit and the test-only packages are not exported from it.
@SuppressWarnings("exports")
public interface MemoryContract extends BackendContract {

    @ParameterizedTest(name = "size {0}")
    @MethodSource("io.rnn4j.engine.testing.Sizes#awkwardAndLarge")
    default void allocatedTensorsAreZeroAndRoundTripHostData(int n) {
        assertExact("zeros(" + n + ")", device().zeros(n).toArray(), new float[n]);
        float[] data = random().normal(n, 3);
        Tensor t = tensor(data, n);
        assertExact("tensor(data) read back, " + random(), t.toArray(), data);
        float[] into = new float[n];
        device().read(t, into);
        assertExact("Device.read into a host array, " + random(), into, data);
    }

    @ParameterizedTest(name = "row width {0}")
    @MethodSource("io.rnn4j.engine.testing.Sizes#awkwardAndLarge")
    default void writeAndReadRespectViewOffsets(int n) {
        Tensor whole = filled(Float.NaN, 3, n);
        Tensor middle = whole.narrow(1, 1);
        float[] data = random().normal(n, 1);
        device().write(data, middle);
        float[] got = whole.toArray();
        assertExact("row 1 after write into narrow(1, 1), " + random(), Arrays.copyOfRange(got, n, 2 * n), data);
        assertNaN("row 0 (before the view)", Arrays.copyOfRange(got, 0, n));
        assertNaN("row 2 (after the view)", Arrays.copyOfRange(got, 2 * n, 3 * n));
        assertExact("the view read back", middle.toArray(), data);
        float[] into = new float[n];
        device().read(middle, into);
        assertExact("Device.read of the view", into, data);
        assertEquals(data[n - 1], whole.get(1, n - 1), "get(1, n-1) through the whole tensor");
    }

    @ParameterizedTest(name = "row width {0}")
    @MethodSource("io.rnn4j.engine.testing.Sizes#awkwardAndLarge")
    default void fillWritesOnlyTheView(int n) {
        Tensor whole = filled(-7f, 4, n);
        device().fill(whole.narrow(1, 2), 2.5f);
        float[] got = whole.toArray();
        for (int i = 0; i < got.length; i++) {
            float want = i >= n && i < 3 * n ? 2.5f : -7f;
            assertEquals(want, got[i], "element " + i + " of (4, " + n + ") after fill of rows 1..2");
        }
    }

    @ParameterizedTest(name = "row width {0}")
    @MethodSource("io.rnn4j.engine.testing.Sizes#awkwardAndLarge")
    default void copyBetweenViewsWithOffsets(int n) {
        float[] data = random().normal(3 * n, 1);
        Tensor src = tensor(data, 3, n);
        Tensor dst = filled(Float.NaN, 4, n);
        device().copy(src.narrow(1, 2), dst.narrow(2, 2));
        float[] got = dst.toArray();
        assertNaN("rows 0..1 of dst (outside the view)", Arrays.copyOfRange(got, 0, 2 * n));
        assertExact("rows 2..3 of dst = rows 1..2 of src, " + random(), Arrays.copyOfRange(got, 2 * n, 4 * n),
                Arrays.copyOfRange(data, n, 3 * n));
    }

    @ParameterizedTest(name = "size {0}")
    @MethodSource("io.rnn4j.engine.testing.Sizes#awkward")
    default void copyKeepsRowMajorOrderAcrossShapes(int n) {
        float[] data = random().normal(6 * n, 1);
        Tensor dst = device().zeros(3, 2 * n);
        device().copy(tensor(data, 2, 3 * n), dst);
        assertExact("copy of (2, 3n) into (3, 2n), " + random(), dst.toArray(), data);
        assertExact("Tensor.copy()", dst.copy().toArray(), data);
    }

    @ParameterizedTest(name = "size {0}")
    @MethodSource("io.rnn4j.engine.testing.Sizes#awkward")
    default void tensorsMoveToAnotherDeviceAndBack(int n) {
        Device scalar = Devices.get("scalar");
        float[] data = random().normal(2 * n, 1);
        Tensor t = tensor(data, 2, n);
        assertSame(t, t.to(device()), "to(its own device) is the tensor itself");
        if (scalar == device()) {
            return;
        }
        Tensor there = t.narrow(1, 1).to(scalar);
        assertSame(scalar, there.device());
        assertExact("row 1 moved to scalar", there.toArray(), Arrays.copyOfRange(data, n, 2 * n));
        Tensor back = there.to(device());
        assertSame(device(), back.device());
        assertExact("row 1 moved back", back.toArray(), Arrays.copyOfRange(data, n, 2 * n));
    }

    @ParameterizedTest(name = "size {0}")
    @MethodSource("io.rnn4j.engine.testing.Sizes#awkward")
    default void everyWriteBumpsTheStorageVersion(int n) {
        Tensor t = device().zeros(n);
        long v0 = t.storage().version();
        device().fill(t, 1f);
        long v1 = t.storage().version();
        device().write(new float[n], t);
        long v2 = t.storage().version();
        device().copy(device().zeros(n), t);
        long v3 = t.storage().version();
        assertTrue(v0 < v1 && v1 < v2 && v2 < v3, "fill, write, copy each bump the version: " + v0 + ", " + v1
                + ", " + v2 + ", " + v3);
    }

    private static void assertNaN(String what, float[] values) {
        for (int i = 0; i < values.length; i++) {
            assertTrue(Float.isNaN(values[i]), what + " must keep its NaN sentinel; element " + i + " is "
                    + values[i]);
        }
    }
}
