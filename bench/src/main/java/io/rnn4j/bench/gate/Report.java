package io.rnn4j.bench.gate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Writes a gate run as markdown (for people and CI logs) and JSON (for tools). */
public final class Report {
    private Report() {
    }

    /** One line naming the machine and JVM the numbers came from. */
    public static String machine() {
        String cpu = System.getProperty("os.arch");
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).strip();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the architecture name will do
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name")
                + ", JDK " + System.getProperty("java.version");
    }

    /** The checks table and the results table. */
    public static String markdown(List<Verdict> verdicts, List<BenchResult> results, String machine, String date) {
        StringBuilder b = new StringBuilder();
        b.append("# rnn4j benchmark gate\n\n").append(date).append(" on ").append(machine).append("\n\n");
        b.append("| check | value | bound | verdict | detail |\n|---|---:|---:|---|---|\n");
        for (Verdict v : verdicts) {
            b.append("| ").append(v.check().name()).append(" | ").append(Check.format(v.value())).append(" | ")
                    .append(v.check().atLeast() ? ">= " : "<= ").append(Check.format(v.check().bound()))
                    .append(" | ").append(v.status()).append(" | ").append(cell(v.detail())).append(" |\n");
        }
        b.append("\n| benchmark | parameters | mean | gated | unit | secondary (mean) |\n|---|---|---:|---:|---|---|\n");
        for (BenchResult r : results) {
            String params = r.params().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
            String secondary = r.secondary().entrySet().stream()
                    .filter(e -> !e.getKey().startsWith("gc.") || e.getKey().equals("gc.alloc.rate.norm"))
                    .sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + " " + Check.format(e.getValue().value()) + " " + e.getValue().unit())
                    .collect(Collectors.joining("; "));
            b.append("| ").append(r.shortName()).append(" | ").append(params).append(" | ")
                    .append(Check.format(r.score().value())).append(" | ")
                    .append(Check.format(r.score().gateValue())).append(" | ").append(r.score().unit()).append(" | ")
                    .append(secondary).append(" |\n");
        }
        return b.toString();
    }

    /**
     * The verdicts and JMH's own result rows ({@code jmhRows}: the contents of JMH's JSON arrays,
     * joined) as one JSON document.
     */
    public static String json(List<Verdict> verdicts, String jmhRows, String machine, String date) {
        StringBuilder b = new StringBuilder("{\n  \"date\": ").append(Json.quote(date)).append(",\n  \"machine\": ")
                .append(Json.quote(machine)).append(",\n  \"passed\": ")
                .append(verdicts.stream().noneMatch(v -> v.status() == Verdict.Status.FAIL))
                .append(",\n  \"checks\": [");
        for (int i = 0; i < verdicts.size(); i++) {
            Verdict v = verdicts.get(i);
            b.append(i == 0 ? "\n" : ",\n").append("    {\"name\": ").append(Json.quote(v.check().name()))
                    .append(", \"expression\": ").append(Json.quote(v.check().expression()))
                    .append(", \"value\": ").append(Double.isFinite(v.value())
                            ? String.format(Locale.ROOT, "%.6g", v.value()) : "null")
                    .append(", \"status\": ").append(Json.quote(v.status().name()))
                    .append(", \"detail\": ").append(Json.quote(v.detail()))
                    .append(", \"source\": ").append(Json.quote(v.check().source())).append("}");
        }
        b.append("\n  ],\n  \"results\": [").append(jmhRows.isBlank() ? "" : "\n" + jmhRows).append("\n  ]\n}\n");
        return b.toString();
    }

    /** The rows of a JMH JSON array file without its brackets, for joining several files. */
    static String rowsOf(String jmhJson) {
        String t = jmhJson.strip();
        if (!t.startsWith("[") || !t.endsWith("]")) {
            throw new IllegalArgumentException("jmh results: expected a JSON array");
        }
        return t.substring(1, t.length() - 1).strip();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
