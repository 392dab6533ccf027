package io.rnn4j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rnn4j.engine.scalar.ScalarProvider;
import io.rnn4j.engine.spi.Backend;
import io.rnn4j.engine.spi.BackendProvider;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Discovery and selection: names resolve to one device each, unknown or malformed names and
 * backends that cannot run give clear errors, probes report why a backend is out, and the default
 * choice skips what cannot run and says so in one line. The selection logic is tried on
 * {@link Devices.Registry} with test-only providers, so nothing test-only is registered where the
 * backend modules (which share this module's test-jar) would see it.
 */
class DevicesTest {

    /** A backend that cannot run here, like CUDA without a driver. */
    static final class Unavailable implements BackendProvider {
        @Override
        public String kind() {
            return "moon";
        }

        @Override
        public int priority() {
            return 1000;
        }

        @Override
        public Availability probe() {
            return Availability.no("no moon in this sky (install one and pass -Dmoon=on)");
        }

        @Override
        public Backend create(int index) {
            throw new AssertionError("create must not be called after a failed probe");
        }
    }

    /** A provider whose probe itself blows up, like one touching a class that is not there. */
    static final class Broken implements BackendProvider {
        @Override
        public String kind() {
            return "broken";
        }

        @Override
        public int priority() {
            return 500;
        }

        @Override
        public Availability probe() {
            throw new NoClassDefFoundError("jcuda/driver/JCudaDriver");
        }

        @Override
        public Backend create(int index) {
            throw new AssertionError("create must not be called after a failed probe");
        }
    }

    /** A backend that probes fine but fails to start, like a CUDA context that cannot be created. */
    static final class FailsToStart implements BackendProvider {
        @Override
        public String kind() {
            return "flaky";
        }

        @Override
        public int priority() {
            return 300;
        }

        @Override
        public Availability probe() {
            return Availability.yes();
        }

        @Override
        public Backend create(int index) {
            throw new IllegalStateException("CUDA_ERROR_OUT_OF_MEMORY");
        }
    }

    private static Devices.Registry registry() {
        return new Devices.Registry(List.of(new ScalarProvider(), new Broken(), new Unavailable()));
    }

    @Test
    void scalarIsAlwaysThereAndTheSameDeviceUnderEverySpelling() {
        Device d = Devices.get("scalar");
        assertThat(d.name()).isEqualTo("scalar");
        for (String name : new String[] {"scalar", "SCALAR", " scalar ", "scalar:0", "Scalar:00"}) {
            assertThat(Devices.get(name)).as("Devices.get(\"%s\")", name).isSameAs(d);
        }
        assertThat(Devices.probes()).anySatisfy(p -> {
            assertThat(p.kind()).isEqualTo("scalar");
            assertThat(p.available()).isTrue();
            assertThat(p.priority()).isEqualTo(100);
        });
    }

    @Test
    void unknownNamesListTheKnownKinds() {
        assertThatThrownBy(() -> Devices.get("tpu")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("unknown device 'tpu'", "known kinds: ", "scalar");
        assertThatThrownBy(() -> registry().get("tpu:1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("unknown device 'tpu:1'", "known kinds: moon, broken, scalar");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"cuda:x", "cuda:", "cuda:-1", "cuda:+1", "cuda:1:2", "cuda:99999999999", "scalar:one"})
    void malformedIndicesAreRefusedClearly(String name) {
        assertThatThrownBy(() -> Devices.get(name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("device '" + name.trim() + "'",
                        "expected kind:index with a non-negative integer index", "cuda:1");
    }

    @Test
    void blankAndNullNamesAreRefused() {
        assertThatThrownBy(() -> Devices.get(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("expected a name such as", "scalar", "got null");
        assertThatThrownBy(() -> Devices.get("  ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got '  '");
    }

    @Test
    void scalarHasOnlyIndexZero() {
        assertThatThrownBy(() -> Devices.get("scalar:1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("scalar has one device", "got scalar:1");
    }

    @Test
    void probesReportWhyABackendCannotRun() {
        List<Devices.Probe> probes = registry().probes();
        assertThat(probes).extracting(Devices.Probe::kind).as("highest priority first")
                .containsExactly("moon", "broken", "scalar");
        assertThat(probes.get(0).available()).isFalse();
        assertThat(probes.get(0).reason()).isEqualTo("no moon in this sky (install one and pass -Dmoon=on)");
        assertThat(probes.get(1).available()).isFalse();
        assertThat(probes.get(1).reason()).contains("probe failed", "NoClassDefFoundError", "jcuda/driver/JCudaDriver");
        assertThat(probes.get(2).available()).isTrue();
    }

    @Test
    void askingForABackendThatCannotRunSaysWhy() {
        assertThatThrownBy(() -> registry().get("moon")).isInstanceOf(IllegalStateException.class)
                .hasMessageContainingAll("device 'moon' cannot run here", "no moon in this sky", "-Dmoon=on");
        assertThatThrownBy(() -> registry().get("broken")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("NoClassDefFoundError");
    }

    @Test
    void theDefaultSkipsWhatCannotRunInOneWarningLine() {
        Devices.Registry r = registry();
        Devices.Selection s = r.chooseDefault(null, null);
        assertThat(s.device()).isSameAs(r.get("scalar"));
        assertThat(s.level()).as("a fallback below better backends is a warning").isEqualTo(Level.WARNING);
        assertThat(s.line()).startsWith("rnn4j device: scalar (highest priority available)")
                .contains("skipped moon: no moon in this sky (install one and pass -Dmoon=on)")
                .contains("skipped broken: its probe failed")
                .doesNotContain("\n");
    }

    @Test
    void theDefaultAlsoSkipsABackendThatFailsToStart() {
        Devices.Registry r = new Devices.Registry(List.of(new ScalarProvider(), new FailsToStart()));
        Devices.Selection s = r.chooseDefault(null, null);
        assertThat(s.device()).isSameAs(r.get("scalar"));
        assertThat(s.level()).isEqualTo(Level.WARNING);
        assertThat(s.line()).contains("skipped flaky: device 'flaky' probed fine but failed to start",
                "CUDA_ERROR_OUT_OF_MEMORY")
                .doesNotContain("\n");
        assertThatThrownBy(() -> r.get("flaky")).isInstanceOf(IllegalStateException.class)
                .hasMessageContainingAll("device 'flaky' probed fine but failed to start", "CUDA_ERROR_OUT_OF_MEMORY");
        Devices.Selection requested = r.chooseDefault("flaky", null);
        assertThat(requested.device()).isNull();
        assertThat(requested.line()).contains("-Drnn4j.device=flaky", "CUDA_ERROR_OUT_OF_MEMORY");
    }

    @Test
    void aProjectBackendMissingFromTheClassPathIsNamedWithItsModule() {
        Devices.Registry r = new Devices.Registry(List.of(new ScalarProvider()),
                Map.of("simd", "rnn4j-kernels-simd", "scalar", "rnn4j-engine"));
        Devices.Selection s = r.chooseDefault(null, null);
        assertThat(s.device()).isSameAs(r.get("scalar"));
        assertThat(s.level()).as("running on scalar for want of a module is a fallback").isEqualTo(Level.WARNING);
        assertThat(s.line()).isEqualTo("rnn4j device: scalar (highest priority available); skipped simd: not on the "
                + "class path (add rnn4j-kernels-simd)");
    }

    @Test
    void aCleanDefaultIsInfo() {
        Devices.Registry r = new Devices.Registry(List.of(new ScalarProvider()));
        Devices.Selection s = r.chooseDefault("", "  ");
        assertThat(s.level()).isEqualTo(Level.INFO);
        assertThat(s.line()).isEqualTo("rnn4j device: scalar (highest priority available)");
    }

    @Test
    void theDefaultHonoursThePropertyThenTheEnvironment() {
        Devices.Registry r = registry();
        Devices.Selection byProperty = r.chooseDefault("scalar", "moon");
        assertThat(byProperty.device()).isSameAs(r.get("scalar"));
        assertThat(byProperty.level()).isEqualTo(Level.INFO);
        assertThat(byProperty.line()).startsWith("rnn4j device: scalar (requested by -Drnn4j.device=scalar)");
        Devices.Selection byEnv = r.chooseDefault(null, " SCALAR ");
        assertThat(byEnv.device()).isSameAs(r.get("scalar"));
        assertThat(byEnv.line()).contains("requested by RNN4J_DEVICE=SCALAR");
    }

    @Test
    void aRequestedDeviceThatCannotBeHadIsAnErrorNotAFallback() {
        Devices.Selection s = registry().chooseDefault("moon", null);
        assertThat(s.device()).isNull();
        assertThat(s.line()).contains("-Drnn4j.device=moon", "cannot run here", "no moon in this sky");
        Devices.Selection typo = registry().chooseDefault(null, "scalr");
        assertThat(typo.device()).isNull();
        assertThat(typo.line()).contains("RNN4J_DEVICE=scalr", "unknown device 'scalr'", "moon, broken, scalar");
    }

    @Test
    void noBackendAtAllIsAnError() {
        Devices.Selection s = new Devices.Registry(List.of(new Unavailable())).chooseDefault(null, null);
        assertThat(s.device()).isNull();
        assertThat(s.line()).contains("no backend can run here", "no moon in this sky");
    }

    @Test
    void withoutARequestTheDefaultDeviceHereIsScalar() {
        String property = System.getProperty("rnn4j.device");
        String env = System.getenv("RNN4J_DEVICE");
        assumeTrue((property == null || property.isBlank()) && (env == null || env.isBlank()),
                "skipped: a device was requested by -Drnn4j.device or RNN4J_DEVICE");
        // The engine's own class path has only the scalar backend.
        assertThat(Devices.defaultDevice()).isSameAs(Devices.get("scalar"));
    }
}
