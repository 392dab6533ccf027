package io.rnn4j.kernels.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Devices;
import io.rnn4j.engine.spi.BackendProvider.Availability;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * The provider's probe and the engine's fallback. Runs anywhere: without a GPU the probe must say
 * why in one line and the engine must choose another backend; with one, cuda must win.
 */
class CudaProviderTest {

    @Test
    void theProviderIsRegisteredAsCudaWithPriority300() {
        CudaProvider found = null;
        for (var p : ServiceLoader.load(io.rnn4j.engine.spi.BackendProvider.class)) {
            if (p instanceof CudaProvider c) {
                found = c;
            }
        }
        assertThat(found).as("CudaProvider in META-INF/services").isNotNull();
        assertThat(found.kind()).isEqualTo("cuda");
        assertThat(found.priority()).isEqualTo(300);
    }

    @Test
    void theProbeAnswersWithoutThrowingAndGivesAOneLineReasonWhenUnavailable() {
        Availability a = new CudaProvider().probe();
        System.out.println("cuda probe: " + (a.available() ? "available" : "unavailable: " + a.reason()));
        if (!a.available()) {
            assertThat(a.reason()).isNotBlank().doesNotContain("\n");
            assertThat(a.reason()).containsAnyOf("no CUDA driver", "no CUDA device", "CUDA unavailable",
                    "compute capability", "do not load");
        } else {
            assertThat(a.reason()).isEmpty();
        }
    }

    @Test
    void theEngineFallsBackWhenCudaCannotRunAndPicksItWhenItCan() {
        Availability a = CudaTestSupport.probe();
        Devices.Probe cuda = Devices.probes().stream().filter(p -> p.kind().equals("cuda")).findFirst().orElseThrow();
        assertThat(cuda.available()).isEqualTo(a.available());
        assertThat(cuda.priority()).isEqualTo(300);
        String chosen = Devices.defaultDevice().name();
        if (a.available()) {
            assertThat(chosen).isEqualTo("cuda:0");
        } else {
            assertThat(cuda.reason()).isEqualTo(a.reason());
            assertThat(chosen).as("fallback device").doesNotStartWith("cuda");
        }
    }
}
