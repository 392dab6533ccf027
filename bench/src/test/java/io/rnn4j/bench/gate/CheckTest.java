package io.rnn4j.bench.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckTest {

    @Test
    void parsesRatiosAndCeilingsWithTheirComments() {
        List<Check> checks = Check.parse(List.of(
                "# measured here on 2025-01-01: 7.9",
                "# floor at half",
                "speedup-L2 = RnnLatencyBench.forward[rnnCase=L2,device=scalar] / "
                        + "RnnLatencyBench.forward[rnnCase=L2,device=simd] >= 3.5",
                "",
                "# zero is the goal",
                "alloc = StreamingStepBench.step[rnnCase=L2, device=simd]:gc.alloc.rate.norm <= 0.5"));

        assertThat(checks).hasSize(2);
        Check a = checks.get(0);
        assertThat(a.name()).isEqualTo("speedup-L2");
        assertThat(a.numerator()).isEqualTo(new MetricRef("RnnLatencyBench.forward",
                Map.of("rnnCase", "L2", "device", "scalar"), null));
        assertThat(a.denominator().params()).containsEntry("device", "simd");
        assertThat(a.atLeast()).isTrue();
        assertThat(a.bound()).isEqualTo(3.5);
        assertThat(a.source()).isEqualTo("measured here on 2025-01-01: 7.9 floor at half");
        Check b = checks.get(1);
        assertThat(b.denominator()).isNull();
        assertThat(b.numerator().secondary()).isEqualTo("gc.alloc.rate.norm");
        assertThat(b.numerator().params()).containsEntry("device", "simd");
        assertThat(b.atLeast()).isFalse();
        assertThat(b.source()).isEqualTo("zero is the goal");
    }

    @Test
    void everyCheckNeedsItsSourceComment() {
        assertThatThrownBy(() -> Check.parse(List.of("# about a", "", "a = X.y >= 1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("floors line 3").hasMessageContaining("needs a comment");
    }

    @Test
    void malformedLinesAreNamed() {
        assertThatThrownBy(() -> Check.parse(List.of("# c", "a = X.y > 1")))
                .hasMessageContaining("floors line 2").hasMessageContaining("expected 'name = metric");
        assertThatThrownBy(() -> Check.parse(List.of("# c", "a = Xy >= 1")))
                .hasMessageContaining("floors line 2").hasMessageContaining("Class.method");
        assertThatThrownBy(() -> Check.parse(List.of("# c", "a = X.y[device] >= 1")))
                .hasMessageContaining("param=value");
        assertThatThrownBy(() -> Check.parse(List.of("# c", "a = X.y >= 1", "# d", "a = X.z >= 1")))
                .hasMessageContaining("defined twice");
    }
}
