package io.rnn4j.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The launcher hands JMH only devices that can run, naming each one it leaves out and why. */
class BenchMainTest {
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    private List<String> rewrite(String... args) {
        return List.of(BenchMain.withAvailableDevices(args, new PrintStream(log, true, StandardCharsets.UTF_8)));
    }

    @Test
    void requestedDevicesThatCannotRunAreSkippedWithTheReason() {
        List<String> out = rewrite("GemmOneThreadBench", "-p", "device=scalar,tpu", "-pshape=64x1024x256");

        assertThat(out).startsWith("GemmOneThreadBench").contains("-pshape=64x1024x256");
        assertThat(out.get(out.indexOf("-p") + 1)).isEqualTo("device=scalar");
        assertThat(log.toString(StandardCharsets.UTF_8))
                .contains("skipping device tpu: no tpu backend on the class path");
    }

    @Test
    void withoutARequestEveryAvailableKindIsMeasured() {
        List<String> out = rewrite("-pdevice=scalar", "RnnLatencyBench");
        assertThat(out).containsSubsequence("-p", "device=scalar").doesNotContain("-pdevice=scalar");
        List<String> all = rewrite("RnnLatencyBench");
        String devices = all.get(all.indexOf("-p") + 1);
        assertThat(devices).startsWith("device=scalar");
        for (String k : Backends.KINDS) {
            assertThat(devices.contains(k) || log.toString(StandardCharsets.UTF_8).contains("skipping device " + k))
                    .as(k + " is either measured or reported as skipped").isTrue();
        }
    }

    @Test
    void noRunnableDeviceIsAnError() {
        assertThatThrownBy(() -> rewrite("-p", "device=tpu")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("none of the requested devices [tpu] can run here");
    }

    @Test
    void listingAndHelpPassThroughUntouched() {
        assertThat(rewrite("-l")).containsExactly("-l");
        assertThat(rewrite("-h")).containsExactly("-h");
    }
}
