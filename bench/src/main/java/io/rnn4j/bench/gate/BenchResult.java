package io.rnn4j.bench.gate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of JMH's JSON results: a benchmark with one set of parameters, its primary score and its
 * secondary scores ({@code flops}, {@code gc.alloc.rate.norm}, …).
 *
 * @param benchmark  the full name, e.g. {@code io.rnn4j.bench.RnnLatencyBench.forward}
 * @param mode       JMH's mode: thrpt, avgt, sample, ss
 * @param params     the {@code @Param} values, empty when there are none
 * @param score      the primary score
 * @param secondary  the secondary scores by name
 */
public record BenchResult(String benchmark, String mode, Map<String, String> params, Score score,
        Map<String, Score> secondary) {

    /**
     * A score with its unit, e.g. 12.5 "us/op": the mean over the measurement iterations, and the
     * lowest and highest iteration.
     */
    public record Score(double value, String unit, double min, double max) {

        /** A score whose iterations all measured {@code value}. */
        public Score(double value, String unit) {
            this(value, unit, value, value);
        }

        /**
         * What the gate compares: for a speed (a time per op, or ops per time) the best iteration —
         * on a shared machine, neighbours only ever slow a run down, so the best iteration is the
         * closest to what the code can do, and a ratio of two bests moves far less from run to run
         * than a ratio of two means; for anything else (bytes allocated per op) the mean.
         */
        public double gateValue() {
            String u = unit.trim();
            if (u.startsWith("ops/")) {
                return max;
            }
            if (u.matches("(ns|us|µs|ms|s|min|hr)/op")) {
                return min;
            }
            return value;
        }
    }

    public BenchResult {
        params = Map.copyOf(params);
        secondary = Map.copyOf(secondary);
    }

    /** {@code Class.method}: the benchmark name without its package. */
    public String shortName() {
        String[] parts = benchmark.split("\\.");
        return parts.length < 2 ? benchmark : parts[parts.length - 2] + "." + parts[parts.length - 1];
    }

    /** The rows of a JMH JSON result file ({@code -rf json}). */
    public static List<BenchResult> parseJmhJson(String json) {
        Object root = Json.parse(json);
        if (!(root instanceof List<?> rows)) {
            throw new IllegalArgumentException("jmh results: expected a JSON array of benchmark results, got "
                    + (root == null ? "null" : root.getClass().getSimpleName()));
        }
        List<BenchResult> out = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            if (!(rows.get(r) instanceof Map<?, ?> row)) {
                throw new IllegalArgumentException("jmh results: row " + r + " is not an object");
            }
            String where = "jmh results: row " + r;
            String benchmark = text(row, "benchmark", where);
            where += " (" + benchmark + ")";
            Map<String, String> params = new LinkedHashMap<>();
            if (row.get("params") instanceof Map<?, ?> p) {
                p.forEach((k, v) -> params.put(String.valueOf(k), String.valueOf(v)));
            }
            Score primary = score(object(row, "primaryMetric", where), where + " primaryMetric");
            Map<String, Score> secondary = new LinkedHashMap<>();
            if (row.get("secondaryMetrics") instanceof Map<?, ?> sm) {
                for (Map.Entry<?, ?> e : sm.entrySet()) {
                    if (e.getValue() instanceof Map<?, ?> m) {
                        secondary.put(String.valueOf(e.getKey()), score(m, where + " " + e.getKey()));
                    }
                }
            }
            out.add(new BenchResult(benchmark, text(row, "mode", where), params, primary, secondary));
        }
        return out;
    }

    private static Score score(Map<?, ?> metric, String where) {
        Object v = metric.get("score");
        double value;
        if (v instanceof Double d) {
            value = d;
        } else if (v instanceof String s && s.equals("NaN")) {
            value = Double.NaN;
        } else {
            throw new IllegalArgumentException(where + ": expected a numeric score, got " + v);
        }
        double min = value;
        double max = value;
        if (metric.get("scorePercentiles") instanceof Map<?, ?> p && p.get("0.0") instanceof Double lo
                && p.get("100.0") instanceof Double hi) {
            min = lo;
            max = hi;
        }
        return new Score(value, text(metric, "scoreUnit", where), min, max);
    }

    private static String text(Map<?, ?> m, String key, String where) {
        if (!(m.get(key) instanceof String s)) {
            throw new IllegalArgumentException(where + ": expected string field '" + key + "', got " + m.get(key));
        }
        return s;
    }

    private static Map<?, ?> object(Map<?, ?> m, String key, String where) {
        if (!(m.get(key) instanceof Map<?, ?> o)) {
            throw new IllegalArgumentException(where + ": expected object field '" + key + "'");
        }
        return o;
    }
}
