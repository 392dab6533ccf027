package io.rnn4j.bench.gate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the gate must run for its checks: one JMH run per benchmark method, with each parameter set
 * to the values the checks name (so nothing else is measured), checks on a device that cannot run
 * here left out whole, and the GC profiler on where a check reads a {@code gc.*} metric.
 *
 * @param benchmark  {@code Class.method}
 * @param params     parameter → values to run
 * @param gcProfiler whether to attach JMH's GC profiler
 */
public record GatePlan(String benchmark, Map<String, List<String>> params, boolean gcProfiler) {

    /** The runs for {@code checks}, in the order the checks first name them. */
    public static List<GatePlan> of(List<Check> checks, Set<String> unavailableDevices) {
        Map<String, Map<String, Set<String>>> params = new LinkedHashMap<>();
        Map<String, Boolean> gc = new LinkedHashMap<>();
        for (Check c : checks) {
            // A check that reads an unavailable device is skipped whole: nothing of it is measured.
            boolean skipped = c.metrics().stream().map(m -> m.params().get("device"))
                    .anyMatch(d -> d != null && unavailableDevices.contains(d));
            if (skipped) {
                continue;
            }
            for (MetricRef m : c.metrics()) {
                Map<String, Set<String>> p = params.computeIfAbsent(m.benchmark(), k -> new LinkedHashMap<>());
                m.params().forEach((k, v) -> p.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(v));
                gc.merge(m.benchmark(), m.secondary() != null && m.secondary().startsWith("gc."), Boolean::logicalOr);
            }
        }
        List<GatePlan> out = new ArrayList<>();
        params.forEach((bench, p) -> {
            Map<String, List<String>> lists = new LinkedHashMap<>();
            p.forEach((k, v) -> lists.put(k, List.copyOf(v)));
            out.add(new GatePlan(bench, lists, gc.get(bench)));
        });
        return out;
    }

    /** The regular expression that selects exactly this benchmark among JMH's full names. */
    public String includePattern() {
        return "\\." + benchmark.replace(".", "\\.") + "$";
    }
}
