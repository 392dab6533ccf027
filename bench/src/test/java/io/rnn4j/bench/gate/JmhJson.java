package io.rnn4j.bench.gate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds JMH-shaped JSON result files for the gate's tests. */
final class JmhJson {
    private final List<String> rows = new ArrayList<>();

    JmhJson row(String benchmark, Map<String, String> params, double score, String unit,
            Map<String, Double> secondary) {
        return row(benchmark, params, score, score, score, unit, secondary);
    }

    /** A row whose measurement iterations ranged from {@code min} to {@code max}. */
    JmhJson row(String benchmark, Map<String, String> params, double score, double min, double max, String unit,
            Map<String, Double> secondary) {
        StringBuilder b = new StringBuilder("{\"jmhVersion\": \"1.37\", \"benchmark\": \"io.rnn4j.bench.")
                .append(benchmark).append("\", \"mode\": \"avgt\", \"threads\": 1, \"forks\": 1");
        if (!params.isEmpty()) {
            b.append(", \"params\": {");
            params.forEach((k, v) -> b.append(Json.quote(k)).append(": ").append(Json.quote(v)).append(", "));
            b.setLength(b.length() - 2);
            b.append('}');
        }
        b.append(", \"primaryMetric\": ").append(metric(score, min, max, unit));
        b.append(", \"secondaryMetrics\": {");
        secondary.forEach((k, v) -> b.append(Json.quote(k)).append(": ")
                .append(metric(v, v, v, k.startsWith("gc.alloc.rate.norm") ? "B/op" : unit)).append(", "));
        if (!secondary.isEmpty()) {
            b.setLength(b.length() - 2);
        }
        rows.add(b.append("}}").toString());
        return this;
    }

    private static String metric(double score, double min, double max, String unit) {
        return String.format(Locale.ROOT, "{\"score\": %s, \"scoreError\": \"NaN\", \"scorePercentiles\": "
                + "{\"0.0\": %s, \"50.0\": %s, \"100.0\": %s}, \"scoreUnit\": %s, \"rawData\": [[%s, %s]]}",
                score, min, score, max, Json.quote(unit), min, max);
    }

    String build() {
        return "[\n" + String.join(",\n", rows) + "\n]\n";
    }
}
