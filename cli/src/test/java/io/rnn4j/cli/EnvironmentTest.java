package io.rnn4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What the process's surroundings can get wrong, run in a JVM of their own: a device the
 * environment asks for that cannot run here is the user's error (exit 2, one line), as a bad
 * --device is, and `info` still reports; output lost on a full disk is an error, not exit 0.
 */
class EnvironmentTest {

    @Test
    void aBadDeviceFromTheEnvironmentIsAUserErrorNotAnInternalOne() throws Exception {
        CliProcess bench = CliProcess.run(Map.of("RNN4J_DEVICE", "bogus"), List.of(), null, "bench", "--case", "S1",
                "--runs", "1", "--warmup-seconds", "0");
        assertThat(bench.exitCode()).as(bench.err()).isEqualTo(2);
        assertThat(bench.err()).contains("rnn4j bench: cannot use the device requested by RNN4J_DEVICE=bogus: ")
                .doesNotContain("internal error").doesNotContain("rnn4j: cannot").doesNotContain("Exception");

        CliProcess property = CliProcess.run(Map.of(), List.of("-Drnn4j.device=bogus"), null, "translate", "--train",
                "1", "--test", "1");
        assertThat(property.exitCode()).as(property.err()).isEqualTo(2);
        assertThat(property.err()).contains("rnn4j translate: cannot use the device requested by -Drnn4j.device=bogus")
                .doesNotContain("internal error");
    }

    @Test
    void infoStillReportsWhenTheEnvironmentAsksForAnUnusableDevice() throws Exception {
        CliProcess r = CliProcess.run(Map.of("RNN4J_DEVICE", "bogus"), List.of(), null, "info");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).contains("backends (highest priority first):").contains("scalar  priority 100  available")
                .contains("device:     none: cannot use the device requested by RNN4J_DEVICE=bogus: ");
        assertThat(lastLine(r.err())).startsWith("rnn4j info: cannot use the device requested by RNN4J_DEVICE=bogus")
                .doesNotContain("run `rnn4j info`");
        assertThat(r.err()).doesNotContain("internal error");
    }

    @Test
    void anExplicitDeviceOverridesABadOneInTheEnvironment() throws Exception {
        CliProcess r = CliProcess.run(Map.of("RNN4J_DEVICE", "bogus"), List.of(), null, "info", "--device", "scalar");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("device:     scalar (--device)");
    }

    @Test
    void outputLostOnAFullDiskIsAnErrorNotExitZero() throws Exception {
        File full = new File("/dev/full");
        Assumptions.assumeTrue(full.exists(), "no /dev/full here");
        CliProcess r = CliProcess.run(Map.of(), List.of(), full, "info", "--device", "scalar");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(lastLine(r.err())).isEqualTo("rnn4j info: could not write to standard output (closed, or the disk is "
                + "full): what it printed is incomplete");
    }

    /** The child's own last line: the JVM and the engine log a few of theirs to stderr before it. */
    private static String lastLine(String err) {
        List<String> lines = err.strip().lines().toList();
        return lines.get(lines.size() - 1);
    }
}
