package io.rnn4j.layers.metrics;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.KerasConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Keras's TruePositives, FalsePositives, TrueNegatives and FalseNegatives
 * (keras/src/metrics/confusion_metrics.py {@code _ConfusionMatrixConditionCount}): the weighted
 * number of predictions in one cell of the confusion matrix, summed across batches until
 * {@link #reset()}. Every prediction element counts, with its label cast to bool (non-zero is
 * positive) and its sample weight; a prediction is positive where it is greater than the threshold
 * (0.5 by default). Several thresholds give one count each ({@link #perThreshold()}), placed as
 * Keras places them (through buckets when they are evenly spaced: {@link ThresholdCounts}); rnn4j's
 * logs hold one number per metric, so compile takes only one threshold. Its Keras config writes the
 * thresholds as given (Keras's init_thresholds): a number as a number, a list (even of one) as a
 * list. The predictions' mask is not read, as Keras's confusion metrics do not read it.
 */
public final class ConfusionCount implements Metric {
    /** Which cell is counted: Keras's class name and default name. */
    enum Kind {
        TRUE_POSITIVES("TruePositives", "true_positives"),
        FALSE_POSITIVES("FalsePositives", "false_positives"),
        TRUE_NEGATIVES("TrueNegatives", "true_negatives"),
        FALSE_NEGATIVES("FalseNegatives", "false_negatives");

        final String className;
        final String kerasName;

        Kind(String className, String kerasName) {
            this.className = className;
            this.kerasName = kerasName;
        }
    }

    private final String name;
    private final Kind kind;
    /** The thresholds as given, or null for Keras's None (0.5). */
    private final double[] given;
    /** Whether they were given as a list: get_config writes a list of one back as a list, a number as a number. */
    private final boolean listed;
    private final ThresholdCounts counts;

    /**
     * @param thresholds null for Keras's default (0.5), else one or more values in [0, 1]
     * @throws IllegalArgumentException for an empty list or a threshold outside [0, 1], naming them
     */
    ConfusionCount(String name, Kind kind, double[] thresholds) {
        this(name, kind, thresholds, thresholds != null && thresholds.length > 1);
    }

    /**
     * @param listed the thresholds came as a list (Keras's init_thresholds), which get_config writes
     *               back as a list even of one value
     */
    ConfusionCount(String name, Kind kind, double[] thresholds, boolean listed) {
        if (thresholds != null && thresholds.length == 0) {
            throw new IllegalArgumentException(kind.className + ": thresholds must hold at least one value, got []");
        }
        double[] t = thresholds == null ? new double[] {0.5} : thresholds.clone();
        List<Double> invalid = new ArrayList<>();
        for (double v : t) {
            if (!(v >= 0 && v <= 1)) {
                invalid.add(v);
            }
        }
        if (!invalid.isEmpty()) {
            // metrics_utils.assert_thresholds_range's message
            throw new IllegalArgumentException(kind.className + ": threshold values must be in [0, 1], got " + invalid);
        }
        float[] f = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            f[i] = (float) t[i];  // Keras compares in float32
        }
        this.name = name;
        this.kind = kind;
        this.given = thresholds == null ? null : t;
        this.listed = thresholds != null && (listed || thresholds.length > 1);
        this.counts = new ThresholdCounts(f, ThresholdCounts.evenlyDistributed(t));
    }

    @Override
    public String name() {
        return name;
    }

    /** The thresholds in use, in the order given (Keras's {@code thresholds}). */
    public double[] thresholds() {
        return given == null ? new double[] {0.5} : given.clone();
    }

    /** Whether the metric gives one number per threshold (several thresholds), which rnn4j's logs cannot hold. */
    boolean isVector() {
        return counts.size() > 1;
    }

    @Override
    public Optional<KerasConfig> kerasConfig() {
        if (given == null && name.equals(kind.kerasName)) {
            return Optional.empty();  // the name alone rebuilds it, as compile(metrics=["true_positives"])
        }
        Object thresholds = null;
        if (given != null && !listed) {
            thresholds = given[0];
        } else if (given != null) {
            List<Object> l = new ArrayList<>();
            for (double v : given) {
                l.add(v);
            }
            thresholds = l;
        }
        return Optional.of(KerasConfig.of(kind.className, "name", name, "dtype", "float32", "thresholds", thresholds));
    }

    @Override
    public void reset() {
        counts.reset();
    }

    @Override
    public void update(Tensor labels, Tensor predictions) {
        update(labels, predictions, null, null);
    }

    /**
     * Adds one batch. Sample weights broadcast as Keras broadcasts them: a scalar or one weight (1,)
     * for every value, the labels' shape without its last axis (one per sample for (batch, classes)),
     * or the labels' rank with each axis 1 or the predictions'.
     *
     * @throws IllegalArgumentException for labels or weights that do not fit the predictions, naming the shapes
     */
    @Override
    public void update(Tensor labels, Tensor predictions, Tensor mask, Tensor sampleWeight) {
        ConfusionInput in = ConfusionInput.of(name, labels, predictions, sampleWeight);
        counts.add(in.predictions, in.labels, in::weight, 0, 1);
    }

    /** The weighted count at each threshold, in the order given (Keras's result with several thresholds). */
    public double[] perThreshold() {
        return switch (kind) {
            case TRUE_POSITIVES -> counts.tp.clone();
            case FALSE_POSITIVES -> counts.fp.clone();
            case TRUE_NEGATIVES -> counts.tn.clone();
            case FALSE_NEGATIVES -> counts.fn.clone();
        };
    }

    /**
     * The weighted count (0 before any update).
     *
     * @throws IllegalStateException with several thresholds, whose result is one count each
     *                               ({@link #perThreshold()}): rnn4j's logs hold one number per name
     */
    @Override
    public double result() {
        if (isVector()) {
            throw new IllegalStateException(name + " with thresholds " + Arrays.toString(given) + " gives one count "
                    + "per threshold; read them with perThreshold(), or use one threshold for one number");
        }
        return perThreshold()[0];
    }
}
