package io.rnn4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Devices;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnn4j bench} end to end on the scalar backend: the small cases run, and the table carries
 * rnn-cases.md's checksums to the digits given there.
 */
class BenchCommandTest {

    @Test
    void smallCasesMatchTheChecksumsOfRnnCases(@TempDir Path dir) throws Exception {
        Kernels.assume(Devices.get("scalar"));
        Path json = dir.resolve("bench.json");
        CliRun r = CliRun.of("bench", "--device", "scalar", "--case", "S1,L1,G1", "--runs", "2", "--warmup-seconds",
                "0", "--json", json.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("| case | device | threads | median ms | min ms | sum | lastH |");
        assertThat(r.out()).containsPattern("\\| S1 \\| scalar \\| 1 \\| [0-9.]+ \\| [0-9.]+ \\| -16\\.1584 \\| -2\\.77851 \\|");
        assertThat(r.out()).containsPattern("\\| L1 \\| scalar \\| 1 \\| [0-9.]+ \\| [0-9.]+ \\| 17\\.1453 \\| 0\\.903905 \\|");
        assertThat(r.out()).containsPattern("\\| G1 \\| scalar \\| 1 \\| [0-9.]+ \\| [0-9.]+ \\| -25\\.7064 \\| 1\\.38198 \\|");
        assertThat(Files.readString(json)).contains("\"case\": \"G1\"").contains("\"expectedLastH\": 1.38198");
    }

    @Test
    void aJsonPathThatCannotBeWrittenIsRefusedBeforeBenchmarking(@TempDir Path dir) {
        CliRun r = CliRun.of("bench", "--device", "scalar", "--case", "S1", "--runs", "1", "--warmup-seconds", "0",
                "--json", dir.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("rnn4j bench: cannot write --json " + dir
                + ": it is a directory; give a file name");
        assertThat(r.out()).as("nothing was benchmarked").isEmpty();
    }
}
