package io.rnn4j.cli.bench;

import java.util.List;
import java.util.Locale;

/** Formats bench results: one markdown table (rnn-cases.md's columns) and the same rows as JSON. */
public final class BenchTable {
    private BenchTable() {
    }

    /** A row's thread count as known to the CLI ("n/a" where the backend does not report one). */
    public record Row(BenchResult result, String threads) {
    }

    /** {@code case | device | threads | median ms | min ms | sum | lastH}, one row per result. */
    public static String markdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| case | device | threads | median ms | min ms | sum | lastH |\n");
        sb.append("|---|---|---|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            BenchResult r = row.result();
            sb.append("| ").append(r.rnnCase()).append(" | ").append(r.device()).append(" | ").append(row.threads())
                    .append(" | ").append(ms(r.medianMs())).append(" | ").append(ms(r.minMs())).append(" | ")
                    .append(num(r.sum())).append(" | ").append(num(r.lastH())).append(" |\n");
        }
        return sb.toString();
    }

    /** For each training case, the sums of its gradients (rnn-cases.md lists the expected ones). */
    public static String gradientLines(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        for (Row row : rows) {
            BenchResult r = row.result();
            double[] g = r.gradientSums();
            if (g != null) {
                sb.append(r.rnnCase()).append(" on ").append(r.device()).append(": sum dL/dW ").append(num(g[0]))
                        .append(", dL/dU ").append(num(g[1])).append(", dL/db ").append(num(g[2]))
                        .append(", dL/dx ").append(num(g[3])).append('\n');
            }
        }
        return sb.toString();
    }

    /** The rows as a JSON array, with the expected checksums beside the measured ones. */
    public static String json(List<Row> rows, String machine) {
        StringBuilder sb = new StringBuilder("{\n  \"machine\": ").append(quote(machine)).append(",\n  \"results\": [");
        for (int i = 0; i < rows.size(); i++) {
            BenchResult r = rows.get(i).result();
            sb.append(i == 0 ? "\n" : ",\n").append("    {\"case\": ").append(quote(r.rnnCase().name()))
                    .append(", \"device\": ").append(quote(r.device()))
                    .append(", \"threads\": ").append(quote(rows.get(i).threads()))
                    .append(", \"runs\": ").append(r.runs())
                    .append(", \"medianMs\": ").append(r.medianMs())
                    .append(", \"minMs\": ").append(r.minMs())
                    .append(", \"sum\": ").append(r.sum())
                    .append(", \"lastH\": ").append(r.lastH())
                    .append(", \"expectedSum\": ").append(r.rnnCase().expectedSum)
                    .append(", \"expectedLastH\": ").append(r.rnnCase().expectedLastH);
            if (r.gradientSums() != null) {
                double[] g = r.gradientSums();
                sb.append(", \"gradientSums\": [").append(g[0]).append(", ").append(g[1]).append(", ").append(g[2])
                        .append(", ").append(g[3]).append("]");
            }
            sb.append("}");
        }
        return sb.append("\n  ]\n}\n").toString();
    }

    static String ms(double v) {
        return String.format(Locale.ROOT, v < 10 ? "%.3f" : "%.1f", v);
    }

    /** Six significant digits, as rnn-cases.md gives its checksums. */
    static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
