package io.rnn4j.bench.gate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one check on one run's results.
 *
 * @param check  the check
 * @param status PASS, FAIL, or SKIP (a device it reads cannot run here)
 * @param value  the measured value or ratio; NaN when there is none
 * @param detail why it failed or was skipped; empty when it passed
 */
public record Verdict(Check check, Status status, double value, String detail) {

    public enum Status {
        PASS, FAIL, SKIP
    }

    /**
     * Evaluates every check on {@code results}. A check that reads a device named in
     * {@code unavailable} (device → reason) is skipped; one whose results are missing, ambiguous or
     * have different units in a ratio fails with the reason. Speeds are compared by their best
     * iteration ({@link BenchResult.Score#gateValue}).
     */
    public static List<Verdict> evaluate(List<Check> checks, List<BenchResult> results,
            Map<String, String> unavailable) {
        List<Verdict> out = new ArrayList<>();
        for (Check c : checks) {
            out.add(evaluate(c, results, unavailable));
        }
        return out;
    }

    static Verdict evaluate(Check c, List<BenchResult> results, Map<String, String> unavailable) {
        for (MetricRef m : c.metrics()) {
            String dev = m.params().get("device");
            if (dev != null && unavailable.containsKey(dev)) {
                return new Verdict(c, Status.SKIP, Double.NaN, "device " + dev + " unavailable: "
                        + unavailable.get(dev));
            }
        }
        double value;
        try {
            BenchResult.Score num = c.numerator().find(results);
            if (c.denominator() == null) {
                value = num.gateValue();
            } else {
                BenchResult.Score den = c.denominator().find(results);
                if (!num.unit().equals(den.unit())) {
                    return new Verdict(c, Status.FAIL, Double.NaN, "the ratio's units differ: " + num.unit() + " / "
                            + den.unit());
                }
                value = num.gateValue() / den.gateValue();
            }
        } catch (IllegalStateException e) {
            return new Verdict(c, Status.FAIL, Double.NaN, e.getMessage());
        }
        boolean ok = c.atLeast() ? value >= c.bound() : value <= c.bound();
        if (ok) {
            return new Verdict(c, Status.PASS, value, "");
        }
        return new Verdict(c, Status.FAIL, value, Check.format(value) + (c.atLeast() ? " is below the floor "
                : " is above the ceiling ") + Check.format(c.bound()));
    }
}
