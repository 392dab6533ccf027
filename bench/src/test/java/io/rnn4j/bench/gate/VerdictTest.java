package io.rnn4j.bench.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerdictTest {
    private static final List<Check> CHECKS = Check.parse(List.of(
            "# speedup",
            "speedup = Lat.forward[rnnCase=L2,device=scalar] / Lat.forward[rnnCase=L2,device=simd] >= 3",
            "# alloc",
            "alloc = Step.step[device=simd]:gc.alloc.rate.norm <= 0.5"));

    private static List<BenchResult> results(double scalarUs, double simdUs, double bytes) {
        return BenchResult.parseJmhJson(new JmhJson()
                .row("Lat.forward", Map.of("rnnCase", "L2", "device", "scalar"), scalarUs, "us/op", Map.of())
                .row("Lat.forward", Map.of("rnnCase", "L2", "device", "simd"), simdUs, "us/op", Map.of())
                .row("Lat.forward", Map.of("rnnCase", "G2", "device", "simd"), 1.0, "us/op", Map.of())
                .row("Step.step", Map.of("device", "simd"), 900, "ns/op", Map.of("gc.alloc.rate.norm", bytes))
                .build());
    }

    @Test
    void passesWhenRatiosHoldTheirBounds() {
        List<Verdict> v = Verdict.evaluate(CHECKS, results(800, 100, 0.0), Map.of());
        assertThat(v).extracting(Verdict::status).containsExactly(Verdict.Status.PASS, Verdict.Status.PASS);
        assertThat(v.get(0).value()).isEqualTo(8.0);
        assertThat(v.get(1).value()).isEqualTo(0.0);
    }

    @Test
    void failsBelowAFloorAndAboveACeilingSayingSo() {
        List<Verdict> v = Verdict.evaluate(CHECKS, results(250, 100, 96), Map.of());
        assertThat(v).extracting(Verdict::status).containsExactly(Verdict.Status.FAIL, Verdict.Status.FAIL);
        assertThat(v.get(0).detail()).isEqualTo("2.500 is below the floor 3.000");
        assertThat(v.get(1).detail()).isEqualTo("96.00 is above the ceiling 0.5000");
    }

    @Test
    void exactlyTheBoundPasses() {
        assertThat(Verdict.evaluate(CHECKS, results(300, 100, 0.5), Map.of()))
                .extracting(Verdict::status).containsExactly(Verdict.Status.PASS, Verdict.Status.PASS);
    }

    @Test
    void aMissingResultFailsNamingIt() {
        List<BenchResult> onlyScalar = results(800, 100, 0).subList(0, 1);
        Verdict v = Verdict.evaluate(CHECKS, onlyScalar, Map.of()).get(0);
        assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
        assertThat(v.detail()).isEqualTo("no result for Lat.forward[device=simd,rnnCase=L2]");
    }

    @Test
    void anAmbiguousReferenceFails() {
        List<Check> loose = Check.parse(List.of("# c", "x = Lat.forward[device=simd] <= 1000"));
        Verdict v = Verdict.evaluate(loose, results(800, 100, 0), Map.of()).get(0);
        assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
        assertThat(v.detail()).contains("2 results match").contains("name more parameters");
    }

    @Test
    void aMissingSecondaryMetricPointsAtTheProfiler() {
        List<Check> c = Check.parse(List.of("# c", "x = Lat.forward[rnnCase=L2,device=simd]:gc.alloc.rate.norm <= 1"));
        Verdict v = Verdict.evaluate(c, results(800, 100, 0), Map.of()).get(0);
        assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
        assertThat(v.detail()).contains("gc.* needs the GC profiler");
    }

    @Test
    void aRatioOfDifferentUnitsFails() {
        List<Check> c = Check.parse(List.of("# c", "x = Lat.forward[rnnCase=L2,device=simd] / Step.step[device=simd] >= 0"));
        Verdict v = Verdict.evaluate(c, results(800, 100, 0), Map.of()).get(0);
        assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
        assertThat(v.detail()).isEqualTo("the ratio's units differ: us/op / ns/op");
    }

    @Test
    void checksOnAnUnavailableDeviceAreSkippedWithTheReason() {
        List<Verdict> v = Verdict.evaluate(CHECKS, List.of(), Map.of("simd", "pass --add-modules jdk.incubator.vector"));
        assertThat(v).extracting(Verdict::status).containsExactly(Verdict.Status.SKIP, Verdict.Status.SKIP);
        assertThat(v.get(0).detail()).isEqualTo("device simd unavailable: pass --add-modules jdk.incubator.vector");
    }

    @Test
    void thePlanRunsOnlyWhatTheChecksName() {
        List<GatePlan> plans = GatePlan.of(CHECKS, java.util.Set.of());
        assertThat(plans).containsExactly(
                new GatePlan("Lat.forward", Map.of("rnnCase", List.of("L2"), "device", List.of("scalar", "simd")), false),
                new GatePlan("Step.step", Map.of("device", List.of("simd")), true));
        assertThat(plans.get(0).includePattern()).isEqualTo("\\.Lat\\.forward$");
        // The speedup check reads simd too: without simd, its scalar side is not measured either.
        assertThat(GatePlan.of(CHECKS, java.util.Set.of("simd"))).isEmpty();
        List<Check> mixed = Check.parse(List.of("# a", "a = Lat.forward[device=scalar] <= 1", "# b",
                "b = Lat.forward[device=scalar] / Lat.forward[device=simd] >= 1"));
        assertThat(GatePlan.of(mixed, java.util.Set.of("simd"))).containsExactly(
                new GatePlan("Lat.forward", Map.of("device", List.of("scalar")), false));
    }

    @Test
    void ratiosOfSpeedsUseEachSidesBestIteration() {
        // scalar 800 us on average but 600 at best; simd 250 on average (one slow iteration), 150 at best
        List<BenchResult> r = BenchResult.parseJmhJson(new JmhJson()
                .row("Lat.forward", Map.of("rnnCase", "L2", "device", "scalar"), 800, 600, 900, "us/op", Map.of())
                .row("Lat.forward", Map.of("rnnCase", "L2", "device", "simd"), 250, 150, 450, "us/op", Map.of())
                .build());
        Verdict v = Verdict.evaluate(CHECKS.subList(0, 1), r, Map.of()).get(0);
        assertThat(v.value()).isEqualTo(4.0);
        assertThat(v.status()).isEqualTo(Verdict.Status.PASS);
    }
}
