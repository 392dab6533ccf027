package io.rnn4j.bench.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchResultTest {

    /** A file JMH 1.37 wrote on this project's benchmarks (FmaPeakBench and GemmOneThreadBench). */
    static String realJmhFile() throws IOException {
        try (InputStream in = BenchResultTest.class.getResourceAsStream("jmh-fma-gemm.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void parsesARealJmhResultFile() throws IOException {
        List<BenchResult> rows = BenchResult.parseJmhJson(realJmhFile());

        assertThat(rows).hasSize(2);
        BenchResult fma = rows.get(0);
        assertThat(fma.shortName()).isEqualTo("FmaPeakBench.fma");
        assertThat(fma.mode()).isEqualTo("thrpt");
        assertThat(fma.params()).isEmpty();
        assertThat(fma.score().unit()).isEqualTo("ops/s");
        assertThat(fma.secondary()).containsKey("flops");
        assertThat(fma.secondary().get("flops").value()).isGreaterThan(fma.score().value());
        // the iterations' range, from scorePercentiles: the gate compares a throughput's best (highest)
        assertThat(fma.score().min()).isEqualTo(150993.00731717932);
        assertThat(fma.score().max()).isEqualTo(151138.1186980387);
        assertThat(fma.score().gateValue()).isEqualTo(fma.score().max());
        BenchResult gemm = rows.get(1);
        assertThat(gemm.shortName()).isEqualTo("GemmOneThreadBench.gemm");
        assertThat(gemm.params()).isEqualTo(Map.of("device", "scalar", "shape", "64x1024x256"));
        // flops per second = calls per second x 2·M·N·K
        assertThat(gemm.secondary().get("flops").value() / gemm.score().value())
                .isCloseTo(2.0 * 64 * 1024 * 256, org.assertj.core.data.Percentage.withPercentage(1));
    }

    @Test
    void readsSecondaryMetricsAndNaNScores() {
        String json = new JmhJson().row("StreamingStepBench.step", Map.of("device", "simd"), 812.5, "ns/op",
                Map.of("gc.alloc.rate.norm", 0.0)).build().replace("\"score\": 812.5", "\"score\": \"NaN\"");
        BenchResult r = BenchResult.parseJmhJson(json).get(0);
        assertThat(r.score().value()).isNaN();
        assertThat(r.secondary().get("gc.alloc.rate.norm")).isEqualTo(new BenchResult.Score(0.0, "B/op"));
    }

    @Test
    void rejectsWhatIsNotAJmhResultFile() {
        assertThatThrownBy(() -> BenchResult.parseJmhJson("{}")).hasMessageContaining("expected a JSON array");
        assertThatThrownBy(() -> BenchResult.parseJmhJson("[{\"benchmark\": \"a.B.c\", \"mode\": \"avgt\"}]"))
                .hasMessageContaining("primaryMetric");
        assertThatThrownBy(() -> BenchResult.parseJmhJson("[{\"mode\": \"avgt\"}]"))
                .hasMessageContaining("'benchmark'");
    }

    @Test
    void theGateComparesTheBestIterationOfASpeedAndTheMeanOfAnythingElse() {
        assertThat(new BenchResult.Score(10, "us/op", 8, 15).gateValue()).isEqualTo(8);
        assertThat(new BenchResult.Score(10, "ns/op", 8, 15).gateValue()).isEqualTo(8);
        assertThat(new BenchResult.Score(10, "ms/op", 8, 15).gateValue()).isEqualTo(8);
        assertThat(new BenchResult.Score(10, "ops/s", 8, 15).gateValue()).isEqualTo(15);
        assertThat(new BenchResult.Score(10, "ops/us", 8, 15).gateValue()).isEqualTo(15);
        assertThat(new BenchResult.Score(10, "B/op", 8, 15).gateValue()).isEqualTo(10);
    }
}
