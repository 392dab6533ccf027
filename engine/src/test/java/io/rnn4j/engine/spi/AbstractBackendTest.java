package io.rnn4j.engine.spi;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Devices;
import io.rnn4j.engine.testing.TestRandom;
import java.lang.reflect.Method;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract every backend meets on the generic (non-recurrent) ops, checked against float64
 * references written in the tests: memory and views, GEMM, pointwise ops and their backward,
 * broadcasting, reductions and softmax, gather/scatter-add, concat/split/reverse. Sizes are the
 * awkward ones of {@link io.rnn4j.engine.testing.Sizes}; tolerances scale with reduction lengths and
 * each failure message states its bar and the random seed.
 *
 * <p>A backend's test is one line:
 * <pre>{@code
 * class SimdBackendTest extends AbstractBackendTest {
 *     protected Backend newBackend() { return new SimdBackend(); }
 * }
 * }</pre>
 * The backend is created once per test class, wrapped in a {@link Device} (so every call is
 * validated as in production) and closed after the class.
 */
// Tests are compiled into the engine module: JUnit and the test-only packages are not exported from it.
@SuppressWarnings("exports")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractBackendTest implements MemoryContract, GemmContract, PointwiseContract,
        BroadcastContract, ReductionContract, IndexingContract, LayoutContract {

    private Device device;
    private long seed;
    private TestRandom random;

    protected AbstractBackendTest() {
    }

    /** A new instance of the backend under test. */
    protected abstract Backend newBackend();

    @BeforeAll
    final void openDevice() {
        seed = TestRandom.classSeed(getClass());
        device = Devices.wrap(newBackend());
    }

    @BeforeEach
    final void seedTest(TestInfo info) {
        String method = info.getTestMethod().map(Method::getName).orElse("");
        random = TestRandom.of(seed, method + " " + info.getDisplayName());
    }

    @AfterAll
    final void closeDevice() {
        if (device != null) {
            device.close();
        }
    }

    @Override
    public final Device device() {
        return device;
    }

    @Override
    public final TestRandom random() {
        return random;
    }
}
