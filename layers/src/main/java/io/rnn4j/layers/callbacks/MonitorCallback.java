package io.rnn4j.layers.callbacks;

import io.rnn4j.layers.metrics.Metric;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Keras 3's MonitorCallback: watches one logged quantity ({@code monitor}, "val_loss" by default)
 * and decides whether a value improves on a reference by more than {@code min_delta}. In mode
 * AUTO the direction comes from the quantity: a loss goes down; a metric goes the way its
 * {@link Metric#direction()} says (accuracies up, errors down), also under a model output's
 * prefix ("dense_1_mae"); anything else needs MIN or MAX, and fit refuses to start without it,
 * naming the quantities it logs (Keras raises at the first epoch's end). An epoch whose logs lack
 * the quantity is left out of the monitoring, with Keras's warning naming what the logs hold.
 */
public abstract class MonitorCallback extends Callback {
    private static final System.Logger LOG = System.getLogger("io.rnn4j.layers.callbacks");

    /** Whether lower or higher values of the monitored quantity are better. */
    public enum Mode {
        AUTO, MIN, MAX;

        /**
         * Keras's mode string: "auto", "min" or "max", in any case.
         *
         * @throws IllegalArgumentException for another string (Keras warns and takes "auto")
         */
        public static Mode of(String keras) {
            return switch (String.valueOf(keras).toLowerCase(Locale.ROOT)) {
                case "auto" -> AUTO;
                case "min" -> MIN;
                case "max" -> MAX;
                default -> throw new IllegalArgumentException("mode: expected \"auto\", \"min\" or \"max\", got '"
                        + keras + "'");
            };
        }
    }

    private String monitor;
    private Mode mode = Mode.AUTO;
    private double minDelta;
    private Boolean lowerIsBetter;
    private boolean warnedMissing;
    /** The best value seen so far (Keras's {@code self.best}); null before the first. */
    protected Double best;

    protected MonitorCallback(String monitor, double minDelta) {
        this.monitor = checkMonitor(monitor);
        this.minDelta = checkDelta(minDelta);
    }

    private String checkMonitor(String m) {
        if (m == null || m.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": monitor must name a logged quantity "
                    + "(\"val_loss\", \"loss\", \"val_accuracy\", ...), got " + (m == null ? "null" : "\"\""));
        }
        return m;
    }

    private double checkDelta(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": min_delta must be finite, got " + d);
        }
        return Math.abs(d);
    }

    /** The monitored quantity's name in the logs. */
    public String monitor() {
        return monitor;
    }

    protected void setMonitor(String m) {
        this.monitor = checkMonitor(m);
        lowerIsBetter = null;
    }

    protected void setMode(Mode m) {
        this.mode = Objects.requireNonNull(m, "mode");
        lowerIsBetter = null;
    }

    protected void setMinDelta(double d) {
        this.minDelta = checkDelta(d);
    }

    /** The best value seen in this run, or null before any. */
    public Double best() {
        return best;
    }

    /** Resets the per-run state; subclasses call it from onTrainBegin. */
    protected void resetMonitor() {
        best = null;
        warnedMissing = false;
    }

    /**
     * Keras's {@code _set_monitor_op}, called on first use.
     *
     * @throws IllegalArgumentException in mode AUTO for a quantity whose direction is unknown
     */
    private boolean lowerIsBetter() {
        if (lowerIsBetter == null) {
            lowerIsBetter = switch (mode) {
                case MIN -> true;
                case MAX -> false;
                case AUTO -> autoDirection();
            };
        }
        return lowerIsBetter;
    }

    private boolean autoDirection() {
        String name = monitor.startsWith("val_") ? monitor.substring(4) : monitor;
        // A model of several outputs logs "<output>_loss" and "<output>_<metric>".
        Boolean lower = name.equals("loss") || name.endsWith("_loss") ? Boolean.TRUE : null;
        if (model() != null && model().metrics() != null) {
            List<Metric> all = new ArrayList<>(model().metrics());
            all.addAll(model().weightedMetrics());
            for (Metric m : all) {
                boolean named = name.equals(m.name()) || name.endsWith("_" + m.name());
                if (named && m.direction() != Metric.Direction.UNKNOWN) {
                    lower = m.direction() == Metric.Direction.DOWN;
                }
            }
        }
        if (lower == null) {
            // Keras says this at the first epoch's end; here fit has not started, but it has told the
            // callbacks what it will log: a misspelt name shows next to the right one.
            List<String> logged = params() == null ? List.of() : params().logNames();
            String names = logged.isEmpty() ? "" : ". The quantities fit logs: " + String.join(", ", logged)
                    + " (callbacks may add more)";
            throw new IllegalArgumentException(getClass().getSimpleName() + " callback received monitor=" + monitor
                    + ", but cannot tell whether that quantity should be maximized or minimized; pass mode MAX to "
                    + "monitor the highest value or MIN for the lowest" + names);
        }
        return lower;
    }

    /** Keras's {@code _is_improvement}: beats the reference by more than min_delta (anything beats null). */
    protected boolean isImprovement(double current, Double reference) {
        if (reference == null) {
            return true;
        }
        return lowerIsBetter() ? current + minDelta < reference : current - minDelta > reference;
    }

    /** Settles the direction now (Keras does it at the first epoch end); errors surface early. */
    protected void resolveDirection() {
        lowerIsBetter();
    }

    /**
     * The monitored value in {@code logs}, or null when it is absent, with a warning naming the
     * quantities there are ({@link #missingMonitorWarning}) once per run (once in all for a
     * ModelCheckpoint, which keeps its state across runs): Keras warns each epoch through Python's
     * warnings, which show one text once.
     */
    protected Double monitorValue(Map<String, Double> logs) {
        Double v = logs.get(monitor);
        if (v == null && !warnedMissing) {
            warnedMissing = true;
            LOG.log(Level.WARNING, missingMonitorWarning(String.join(",", logs.keySet())));
        }
        return v;
    }

    /**
     * The warning for an epoch whose logs lack the monitored quantity; subclasses give Keras's
     * own sentence.
     *
     * @param available the logged names, comma-separated as Keras joins them
     */
    protected String missingMonitorWarning(String available) {
        return getClass().getSimpleName() + " is conditioned on metric `" + monitor + "` which is not available. "
                + "Available metrics are: " + available;
    }
}
