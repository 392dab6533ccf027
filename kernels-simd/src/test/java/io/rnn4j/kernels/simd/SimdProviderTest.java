package io.rnn4j.kernels.simd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.spi.Backend;
import io.rnn4j.engine.spi.BackendProvider;
import io.rnn4j.kernels.simd.platform.SimdConstants;
import io.rnn4j.kernels.simd.platform.SimdThreads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The provider: found by ServiceLoader, available here (tests run with the Vector API module), and
 * — in a child JVM started without {@code --add-modules jdk.incubator.vector} — unavailable with a
 * reason that names that flag (and without linking any Vector API class: that would end the child
 * with NoClassDefFoundError).
 */
class SimdProviderTest {

    @Test
    void serviceLoaderFindsTheSimdProviderWithPriority200() {
        List<BackendProvider> simd = ServiceLoader.load(BackendProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.kind().equals("simd"))
                .toList();
        assertThat(simd).as("providers of kind simd").hasSize(1);
        assertThat(simd.get(0)).isInstanceOf(SimdProvider.class);
        assertThat(simd.get(0).priority()).isEqualTo(200);
    }

    @Test
    void probeSaysYesWithTheVectorModuleAndCreateGivesTheSimdBackend() {
        SimdProvider p = new SimdProvider();
        assertThat(p.probe().available()).as("probe: " + p.probe().reason()).isTrue();
        try (Backend b = p.create(0)) {
            assertThat(b.name()).isEqualTo("simd");
            assertThat(b).isInstanceOf(SimdBackend.class);
        }
    }

    @Test
    void describeSaysTheVectorWidthTheThreadsAndTheBatchOneMode() {
        try (Backend b = new SimdProvider().create(0)) {
            assertThat(b.describe())
                    .containsEntry("vectors", SimdConstants.SPECIES.vectorBitSize() + "-bit, " + SimdConstants.LANES
                            + " floats, FMA " + (SimdConstants.FAST_FMA ? "on" : "off (multiply then add)"))
                    .containsEntry("threads", SimdThreads.threads() + " (-Drnn4j.threads)")
                    .containsKey("batch-1 on two threads");
        }
    }

    @Test
    void createRefusesAnIndexOtherThanZero() {
        assertThatThrownBy(() -> new SimdProvider().create(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("simd:0")
                .hasMessageContaining("1");
    }

    @Test
    void withoutTheVectorModuleTheProbeSaysNoAndNamesTheFlag() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // No --add-modules here: the child JVM has no jdk.incubator.vector in its boot layer.
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                ProbeWithoutVectorModule.class.getName())
                .redirectErrorStream(true)
                .start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as("child exit code; output:\n" + out).isZero();
        assertThat(out).contains("available=false")
                .contains("--add-modules jdk.incubator.vector")
                .contains("vector module in the boot layer=false");
    }

    /** Run in the child JVM: probes, and reports what it saw. */
    static final class ProbeWithoutVectorModule {
        public static void main(String[] args) {
            BackendProvider.Availability a = new SimdProvider().probe();
            boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
            System.out.println("available=" + a.available() + " reason=" + a.reason());
            System.out.println("vector module in the boot layer=" + present);
        }
    }
}
