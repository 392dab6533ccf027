package io.rnn4j.bench.gate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reference to one measured number: {@code Class.method[param=value,...]} for the primary score,
 * with {@code :secondary} for a secondary one, e.g.
 * {@code RnnLatencyBench.forward[rnnCase=L2,device=simd]} or
 * {@code StreamingStepBench.step[rnnCase=L2,device=simd]:gc.alloc.rate.norm}.
 *
 * @param benchmark  {@code Class.method}, matched against the end of JMH's full name
 * @param params     parameters the result must have (others are free, but exactly one result may match)
 * @param secondary  a secondary metric's name, or null for the primary score
 */
public record MetricRef(String benchmark, Map<String, String> params, String secondary) {
    private static final Pattern SYNTAX = Pattern.compile(
            "([A-Za-z_$][\\w$]*\\.[A-Za-z_$][\\w$]*)(?:\\[([^\\]]*)\\])?(?::([\\w.\\-·]+))?");

    public MetricRef {
        params = Map.copyOf(params);
    }

    public static MetricRef parse(String text) {
        Matcher m = SYNTAX.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("metric: expected Class.method[param=value,...] with an optional "
                    + ":secondary, got '" + text.trim() + "'");
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (m.group(2) != null && !m.group(2).isBlank()) {
            for (String kv : m.group(2).split(",")) {
                int eq = kv.indexOf('=');
                if (eq <= 0 || eq == kv.length() - 1) {
                    throw new IllegalArgumentException("metric: expected param=value in '" + text.trim() + "', got '"
                            + kv.trim() + "'");
                }
                params.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
        }
        return new MetricRef(m.group(1), params, m.group(3));
    }

    /** The benchmark's class name without the method. */
    public String className() {
        return benchmark.substring(0, benchmark.indexOf('.'));
    }

    /** The method name. */
    public String method() {
        return benchmark.substring(benchmark.indexOf('.') + 1);
    }

    /** Whether {@code r} is this benchmark with these parameters. */
    public boolean matches(BenchResult r) {
        if (!r.shortName().equals(benchmark)) {
            return false;
        }
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!e.getValue().equals(r.params().get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The referenced score among {@code results}; {@link IllegalStateException} with a reason when
     * no result or more than one matches, or the secondary metric is missing.
     */
    public BenchResult.Score find(List<BenchResult> results) {
        List<BenchResult> hits = new ArrayList<>();
        for (BenchResult r : results) {
            if (matches(r)) {
                hits.add(r);
            }
        }
        if (hits.isEmpty()) {
            throw new IllegalStateException("no result for " + this);
        }
        if (hits.size() > 1) {
            throw new IllegalStateException(hits.size() + " results match " + this + "; name more parameters");
        }
        BenchResult r = hits.get(0);
        if (secondary == null) {
            return r.score();
        }
        BenchResult.Score s = r.secondary().get(secondary);
        if (s == null) {
            throw new IllegalStateException("no secondary metric '" + secondary + "' in the result of " + this
                    + " (has " + r.secondary().keySet() + "; gc.* needs the GC profiler)");
        }
        return s;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(benchmark);
        if (!params.isEmpty()) {
            b.append('[');
            params.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> b.append(e.getKey()).append('=').append(e.getValue()).append(','));
            b.setCharAt(b.length() - 1, ']');
        }
        if (secondary != null) {
            b.append(':').append(secondary);
        }
        return b.toString();
    }
}
