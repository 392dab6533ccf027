package io.rnn4j.engine.spi;

import io.rnn4j.engine.Device;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The root of the recurrent contract tests: holds the device under test for the class, and the
 * base seed of every random problem, printed once so that a failure can be replayed with
 * {@code -Drnn4j.tests.seed=<seed>}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractRnnDeviceTest {
    static final long BASE_SEED = Long.getLong("rnn4j.tests.seed", new SplittableRandom().nextLong());

    private Device device;

    /** The device under test, over a fresh backend. */
    abstract Device createDevice();

    final Device device() {
        return device;
    }

    @BeforeAll
    void openDevice() {
        device = createDevice();
        System.out.println(getClass().getSimpleName() + " on " + device.name() + ": random problems use seed "
                + BASE_SEED + " (rerun with -Drnn4j.tests.seed=" + BASE_SEED + ")");
    }

    @AfterAll
    void closeDevice() {
        if (device != null) {
            device.close();
        }
    }

    /** A seed for one test case, derived from the printed base seed and the case's parameters. */
    static long seedFor(Object... parts) {
        // Enums hash by identity, which differs between JVMs: hash their names so a printed seed replays.
        Object[] stable = Arrays.stream(parts).map(p -> p instanceof Enum<?> e ? e.name() : p).toArray();
        return BASE_SEED * 0x9E3779B97F4A7C15L + Arrays.deepHashCode(stable);
    }
}
