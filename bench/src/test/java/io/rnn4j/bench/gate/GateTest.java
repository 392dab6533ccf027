package io.rnn4j.bench.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate's command line on saved results (--results): what it writes and its exit code. */
class GateTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private int gate(String floors, String jmhJson, String... extra) throws IOException {
        Path f = dir.resolve("floors.properties");
        Path r = dir.resolve("jmh.json");
        Files.writeString(f, floors);
        Files.writeString(r, jmhJson);
        String[] base = {"--floors", f.toString(), "--results", r.toString(), "--out", dir.resolve("out").toString()};
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra))
                .toArray(String[]::new);
        return Gate.run(args, new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    private static String results(double scalarUs, double otherUs) {
        return new JmhJson()
                .row("Lat.forward", Map.of("device", "scalar", "rnnCase", "L2"), scalarUs, "us/op", Map.of())
                .row("Lat.forward", Map.of("device", "scalar", "rnnCase", "L1"), otherUs, "us/op", Map.of())
                .build();
    }

    private static final String FLOORS = """
            # L2 must stay at least 2x slower than L1 (a made-up check on the always-present scalar device)
            l2-over-l1 = Lat.forward[rnnCase=L2,device=scalar] / Lat.forward[rnnCase=L1,device=scalar] >= 2
            """;

    @Test
    void exitsZeroAndWritesBothReportsWhenEveryCheckHolds() throws IOException {
        assertThat(gate(FLOORS, results(400, 100))).isZero();

        assertThat(printed()).contains("| l2-over-l1 | 4.000 | >= 2.000 | PASS |")
                .contains("gate: OK — checks held: 1, below their bound or unmeasured: 0, skipped: 0");
        String md = Files.readString(dir.resolve("out/gate.md"));
        assertThat(md).contains("| Lat.forward | device=scalar rnnCase=L2 | 400.0 | 400.0 | us/op |");
        Object json = Json.parse(Files.readString(dir.resolve("out/gate.json")));
        assertThat(json).isInstanceOf(Map.class);
        Map<?, ?> m = (Map<?, ?>) json;
        assertThat(m.get("passed")).isEqualTo(true);
        assertThat((List<?>) m.get("results")).hasSize(2);
        assertThat(((Map<?, ?>) ((List<?>) m.get("checks")).get(0)).get("value")).isEqualTo(4.0);
    }

    @Test
    void exitsOneWhenARatioFallsBelowItsFloor() throws IOException {
        assertThat(gate(FLOORS, results(150, 100))).isEqualTo(1);
        assertThat(printed()).contains("| FAIL | 1.500 is below the floor 2.000 |").contains("gate: FAILED — checks held: 0, below their bound or unmeasured: 1");
        Map<?, ?> m = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("out/gate.json")));
        assertThat(m.get("passed")).isEqualTo(false);
    }

    @Test
    void exitsOneWhenAResultIsMissing() throws IOException {
        assertThat(gate(FLOORS, "[]")).isEqualTo(1);
        assertThat(printed()).contains("no result for Lat.forward[device=scalar,rnnCase=L2]");
    }

    @Test
    void exitsOneWhenARequiredDeviceCannotRun() throws IOException {
        assertThat(gate(FLOORS, results(400, 100), "--require", "scalar,tpu")).isEqualTo(1);
        assertThat(printed()).contains("required device tpu cannot run here: no tpu backend");
    }

    @Test
    void exitsTwoOnABadFloorsFileOrOption() throws IOException {
        assertThat(gate("l2 = Lat.forward >= 2\n", results(400, 100))).isEqualTo(2);
        assertThat(printed()).contains("floors line 1").contains("needs a comment");
        assertThat(gate(FLOORS, results(400, 100), "--warmup", "three")).isEqualTo(2);
        assertThat(gate(FLOORS, results(400, 100), "--fast", "yes")).isEqualTo(2);
        assertThat(printed()).contains("unknown option --fast");
    }

    @Test
    void exitsTwoOnAResultFileThatIsNotJmhs() throws IOException {
        assertThat(gate(FLOORS, "{\"not\": \"jmh\"}")).isEqualTo(2);
        assertThat(printed()).contains("expected a JSON array");
    }
}
