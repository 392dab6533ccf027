package io.rnn4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Devices;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Option and usage errors: one line naming what is wrong and where to look, exit code 2, no stack
 * trace; --help and --version work on every command.
 */
class MainTest {

    @Test
    void noCommandListsTheCommands() {
        CliRun r = CliRun.of();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("rnn4j: missing command: one of forecast, textgen, sentiment, translate, predict, info, bench");
        assertThat(r.err()).contains("(see 'rnn4j --help')");
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        CliRun r = CliRun.of("frobnicate");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Unmatched argument at index 0: 'frobnicate'");
    }

    @Test
    void aMalformedDeviceNameIsRefusedWhileParsing() {
        CliRun r = CliRun.of("info", "--device", "gpu");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("rnn4j info: Invalid value for option '--device': expected scalar, simd, "
                + "cuda or cuda:N, got 'gpu' (see 'rnn4j info --help')");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aDeviceThatCannotRunHereIsOneLineWithExitCode2() {
        // cuda:7 never runs on a test machine: either no CUDA backend is on the class path, or it
        // reports no such device.
        CliRun r = CliRun.of("bench", "--device", "cuda:7", "--case", "S1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("rnn4j bench: ").contains("cuda").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
    }

    @Test
    void anUnknownOptionAndABadNumberAreUsageErrors() {
        CliRun r = CliRun.of("bench", "--rnus", "3");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown options: '--rnus', '3'");
        CliRun n = CliRun.of("bench", "--runs", "many");
        assertThat(n.exitCode()).isEqualTo(2);
        assertThat(n.err()).contains("Invalid value for option '--runs': 'many' is not an int");
        CliRun c = CliRun.of("bench", "--case", "X9");
        assertThat(c.exitCode()).isEqualTo(2);
        assertThat(c.err()).contains("Invalid value for option '--case'").contains("X9");
    }

    @Test
    void aBadValueCaughtAfterParsingIsAlsoOneLine() {
        CliRun r = CliRun.of("bench", "--runs", "0", "--device", "scalar");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("rnn4j bench: --runs must be at least 1, got 0");
    }

    @Test
    void verboseAddsTheStackTrace() {
        CliRun r = CliRun.of("bench", "--runs", "0", "--verbose");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("CliException").contains("\tat ");
    }

    @Test
    void helpAndVersionWork() {
        CliRun h = CliRun.of("bench", "--help");
        assertThat(h.exitCode()).isZero();
        assertThat(h.out()).contains("Usage: rnn4j bench").contains("--case").contains("L1, L2, L3, L4, G1");
        CliRun v = CliRun.of("--version");
        assertThat(v.exitCode()).isZero();
        assertThat(v.out()).startsWith("rnn4j ");
    }

    @Test
    void infoListsTheBackendsAndTheDevice() {
        CliRun r = CliRun.of("info", "--device", "scalar");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("backends (highest priority first):").contains("scalar  priority 100  available")
                .contains("device:     scalar (--device)").contains("processors available to the JVM");
    }

    @Test
    void infoPrintsEveryEntryEachAvailableBackendDescribes() {
        CliRun r = CliRun.of("info");
        assertThat(r.exitCode()).isZero();
        int entries = 0;
        for (Devices.Probe p : Devices.probes()) {
            if (p.available()) {
                for (Map.Entry<String, String> e : Devices.get(p.kind()).describe().entrySet()) {
                    assertThat(r.out()).as("%s's entry %s", p.kind(), e.getKey())
                            .contains("          " + e.getKey() + ": " + e.getValue() + "\n");
                    entries++;
                }
            }
        }
        // The scalar backend is always there and describes itself, so the loop above checked something.
        assertThat(entries).isGreaterThanOrEqualTo(Devices.get("scalar").describe().size()).isPositive();
    }

    @Test
    void aFailedWriteToStandardOutputIsAnErrorNotExitZero() {
        CliRun r = CliRun.withFailingOutput("info", "--device", "scalar");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("rnn4j info: could not write to standard output (closed, or the disk is "
                + "full): what it printed is incomplete");
        CliRun help = CliRun.withFailingOutput("bench", "--help");
        assertThat(help.exitCode()).isEqualTo(2);
    }
}
