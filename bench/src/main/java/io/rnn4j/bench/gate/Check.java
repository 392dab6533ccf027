package io.rnn4j.bench.gate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of the floors file: a measured value — one metric, or the ratio of two measured in the
 * same run — and the bound it must keep.
 *
 * <pre>
 * # where the bound came from (required: measured where, when, what it was)
 * simd-speedup-L2 = RnnLatencyBench.forward[rnnCase=L2,device=scalar] / RnnLatencyBench.forward[rnnCase=L2,device=simd] &gt;= 3.0
 * streaming-alloc-L2 = StreamingStepBench.step[rnnCase=L2,device=simd]:gc.alloc.rate.norm &lt;= 0.5
 * </pre>
 *
 * @param name        a short unique name
 * @param numerator   the metric, or the ratio's numerator
 * @param denominator the ratio's denominator, or null for a single metric
 * @param atLeast     true for {@code >=} (a floor), false for {@code <=} (a ceiling)
 * @param bound       the floor or ceiling
 * @param source      the comment above the line: where the bound came from
 */
public record Check(String name, MetricRef numerator, MetricRef denominator, boolean atLeast, double bound,
        String source) {
    /** A metric as it stands in a line: name, optional [params] (spaces allowed inside), optional :secondary. */
    private static final String METRIC = "[^\\s\\[/=<>]+(?:\\[[^\\]]*\\])?(?::[^\\s/=<>]+)?";
    private static final Pattern LINE = Pattern.compile("([\\w.\\-]+)\\s*=\\s*(" + METRIC + ")(?:\\s*/\\s*("
            + METRIC + "))?\\s*(>=|<=)\\s*(\\S+)\\s*");

    /** Every metric the check reads. */
    public List<MetricRef> metrics() {
        return denominator == null ? List.of(numerator) : List.of(numerator, denominator);
    }

    /** The expression as written: {@code a / b >= 3}. */
    public String expression() {
        return numerator + (denominator == null ? "" : " / " + denominator) + (atLeast ? " >= " : " <= ")
                + format(bound);
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /**
     * The checks of a floors file. Blank lines separate; {@code #} lines are the comment of the check
     * below them, which every check must have. Errors name the line.
     */
    public static List<Check> parse(List<String> lines) {
        List<Check> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        StringBuilder comment = new StringBuilder();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            String where = "floors line " + (n + 1);
            if (line.isEmpty()) {
                comment.setLength(0);
                continue;
            }
            if (line.startsWith("#")) {
                comment.append(comment.isEmpty() ? "" : " ").append(line.substring(1).strip());
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException(where + ": expected 'name = metric [/ metric] >= number' or "
                        + "'<= number', got '" + line + "'");
            }
            if (comment.isEmpty()) {
                throw new IllegalArgumentException(where + ": check '" + m.group(1) + "' needs a comment above it "
                        + "saying where its bound came from (measured where, when, and what)");
            }
            if (!names.add(m.group(1))) {
                throw new IllegalArgumentException(where + ": check '" + m.group(1) + "' is defined twice");
            }
            double bound;
            try {
                bound = Double.parseDouble(m.group(5));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": bound '" + m.group(5) + "' is not a number");
            }
            try {
                out.add(new Check(m.group(1), MetricRef.parse(m.group(2)),
                        m.group(3) == null ? null : MetricRef.parse(m.group(3)), m.group(4).equals(">="), bound,
                        comment.toString()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
            comment.setLength(0);
        }
        return out;
    }
}
