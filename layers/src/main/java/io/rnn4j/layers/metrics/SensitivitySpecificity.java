package io.rnn4j.layers.metrics;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.KerasConfig;
import java.util.Optional;

/**
 * Keras's SensitivityAtSpecificity, SpecificityAtSensitivity, PrecisionAtRecall and
 * RecallAtPrecision (keras/src/metrics/confusion_metrics.py, SensitivitySpecificityBase): weighted
 * confusion counts at num_thresholds thresholds {@code 0, 1/(n−1), …, (n−2)/(n−1), 1} (just 0.5 for
 * n = 1), kept across batches until {@link #reset()}, placed as Keras places them (buckets for
 * n ≥ 2: {@link ThresholdCounts}). The result is the largest dependent rate (sensitivity,
 * specificity, precision or recall) over the thresholds whose constrained rate is at least the
 * target, and 0 when none is (Keras's {@code _find_max_under_constraint}:
 * {@code max(where(feasible, dependent, 0), initial=0)}). Rates are {@code divide_no_nan}
 * quotients; the feasibility test is done in float32 as Keras does it (counts, quotient and target
 * as float32), so that a rate equal to the target in float32 counts as reaching it; the value
 * returned is the dependent rate in double. With class_id only that column of (batch, classes)
 * predictions counts (a negative id from the last, as a Python index). The predictions' mask is
 * not read, as Keras's.
 */
final class SensitivitySpecificity implements Metric {
    /** A rate of the confusion counts at one threshold: numerator / (numerator + rest). */
    enum Rate {
        /** tp / (tp + fn), also recall. */
        SENSITIVITY,
        /** tn / (tn + fp). */
        SPECIFICITY,
        /** tp / (tp + fp). */
        PRECISION;

        double numerator(ThresholdCounts c, int t) {
            return this == SPECIFICITY ? c.tn[t] : c.tp[t];
        }

        double rest(ThresholdCounts c, int t) {
            return this == SENSITIVITY ? c.fn[t] : c.fp[t];
        }
    }

    /**
     * The four metrics: Keras's class name, default name, the name of the target's argument, the
     * rate the target constrains and the rate maximized under it.
     */
    enum Kind {
        SENSITIVITY_AT_SPECIFICITY("SensitivityAtSpecificity", "sensitivity_at_specificity", "specificity",
                Rate.SPECIFICITY, Rate.SENSITIVITY),
        SPECIFICITY_AT_SENSITIVITY("SpecificityAtSensitivity", "specificity_at_sensitivity", "sensitivity",
                Rate.SENSITIVITY, Rate.SPECIFICITY),
        PRECISION_AT_RECALL("PrecisionAtRecall", "precision_at_recall", "recall", Rate.SENSITIVITY, Rate.PRECISION),
        RECALL_AT_PRECISION("RecallAtPrecision", "recall_at_precision", "precision", Rate.PRECISION, Rate.SENSITIVITY);

        final String className;
        final String kerasName;
        final String target;
        final Rate constrained;
        final Rate dependent;

        Kind(String className, String kerasName, String target, Rate constrained, Rate dependent) {
            this.className = className;
            this.kerasName = kerasName;
            this.target = target;
            this.constrained = constrained;
            this.dependent = dependent;
        }
    }

    private final String name;
    private final Kind kind;
    private final double value;
    private final int numThresholds;
    private final Integer classId;
    private final ThresholdCounts counts;

    /**
     * @throws IllegalArgumentException for a target below 0 or above 1, or num_thresholds <= 0; a NaN
     *                                  target is taken, as Keras's {@code value < 0 or value > 1}
     *                                  lets it through, and gives 0 (no rate is >= NaN)
     */
    SensitivitySpecificity(String name, Kind kind, double value, int numThresholds, Integer classId) {
        if (value < 0 || value > 1) {
            throw new IllegalArgumentException(kind.className + ": " + kind.target + " must be in the range [0, 1], "
                    + "got " + value);
        }
        if (numThresholds <= 0) {
            throw new IllegalArgumentException(kind.className + ": num_thresholds must be an integer > 0, got "
                    + numThresholds);
        }
        this.name = name;
        this.kind = kind;
        this.value = value;
        this.numThresholds = numThresholds;
        this.classId = classId;
        float[] t = new float[numThresholds];
        if (numThresholds == 1) {
            t[0] = 0.5f;
        } else {
            for (int i = 1; i < numThresholds - 1; i++) {
                t[i] = (float) (i * 1.0 / (numThresholds - 1));
            }
            t[numThresholds - 1] = 1f;
        }
        // Keras sets thresholds_distributed_evenly itself: true for n >= 2 (even [0, 1]), false for [0.5]
        this.counts = new ThresholdCounts(t, numThresholds > 1);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<KerasConfig> kerasConfig() {
        // SensitivitySpecificityBase.get_config then the subclass's: name, dtype, class_id, num_thresholds, target
        return Optional.of(KerasConfig.of(kind.className, "name", name, "dtype", "float32", "class_id", classId,
                "num_thresholds", numThresholds, kind.target, value));
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
     * Adds one batch. Sample weights broadcast as {@link ConfusionCount#update} says, but with
     * class_id to the class's column (batch, 1): per-class or per-value weights are refused then, as
     * Keras's broadcast_to refuses them.
     *
     * @throws IllegalArgumentException for labels or weights that do not fit the predictions, or a
     *                                  class_id that is not a column of (batch, classes) predictions
     */
    @Override
    public void update(Tensor labels, Tensor predictions, Tensor mask, Tensor sampleWeight) {
        ConfusionInput in = ConfusionInput.of(name, labels, predictions, sampleWeight, null, classId);
        counts.add(in.predictions, in.labels, in::weight, 0, 1);
    }

    @Override
    public double result() {
        float target = (float) value;
        double best = 0;  // Keras's initial=0: the result when no threshold is feasible
        for (int t = 0; t < numThresholds; t++) {
            // Keras's accumulators, sum and quotient are float32 and the target a float32 constant
            float num = (float) kind.constrained.numerator(counts, t);
            float den = num + (float) kind.constrained.rest(counts, t);
            float constrained = den == 0 ? 0 : num / den;
            if (constrained >= target) {
                double n = kind.dependent.numerator(counts, t);
                double d = n + kind.dependent.rest(counts, t);
                best = Math.max(best, d == 0 ? 0 : n / d);
            }
        }
        return best;
    }

    @Override
    public Direction direction() {
        return Direction.UP;
    }
}
