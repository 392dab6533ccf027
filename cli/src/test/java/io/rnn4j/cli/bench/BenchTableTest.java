package io.rnn4j.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.RnnCase;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench table's layout, the median, and the checksum comparison with rnn-cases.md. */
class BenchTableTest {

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(CaseBenchmark.median(new double[] {5, 1, 3})).isEqualTo(3);
        assertThat(CaseBenchmark.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(CaseBenchmark.median(new double[] {7})).isEqualTo(7);
    }

    @Test
    void markdownHasRnnCasesColumns() {
        BenchResult r = new BenchResult(RnnCase.L1, "simd", 0.51234, 0.5, 10, 17.1453, 0.903905, null);
        String md = BenchTable.markdown(List.of(new BenchTable.Row(r, "1")));
        assertThat(md).isEqualTo("""
                | case | device | threads | median ms | min ms | sum | lastH |
                |---|---|---|---:|---:|---:|---:|
                | L1 | simd | 1 | 0.512 | 0.500 | 17.1453 | 0.903905 |
                """);
    }

    @Test
    void checksumsWithinToleranceMatchAndOthersAreNamed() {
        BenchResult good = new BenchResult(RnnCase.L4, "scalar", 1, 1, 1, 354.198 * (1 + 5e-4), 9.25378,
                new double[] {31562.5, 42219.8, 368772, -8091.40});
        assertThat(good.mismatches()).isEmpty();
        BenchResult bad = new BenchResult(RnnCase.L4, "scalar", 1, 1, 1, 354.198, 9.3,
                new double[] {31562.5, 42219.8, 368772, 0});
        assertThat(bad.mismatches()).containsExactly("L4 on scalar: lastH is 9.30000, rnn-cases.md says 9.25378",
                "L4 on scalar: sum dL/dx is 0.00000, rnn-cases.md says -8091.40");
        BenchResult nan = new BenchResult(RnnCase.S1, "simd", 1, 1, 1, Double.NaN, -2.77851, null);
        assertThat(nan.mismatches()).hasSize(1);
    }

    @Test
    void jsonCarriesMeasuredAndExpectedChecksums() {
        BenchResult r = new BenchResult(RnnCase.G1, "scalar", 2.5, 2.0, 3, -25.7, 1.38, null);
        String json = BenchTable.json(List.of(new BenchTable.Row(r, "1")), "cpu \"x\"");
        assertThat(json).contains("\"machine\": \"cpu \\\"x\\\"\"").contains("\"case\": \"G1\"")
                .contains("\"medianMs\": 2.5").contains("\"expectedSum\": -25.7064");
    }
}
