package io.rnn4j.layers.metrics;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.KerasConfig;
import java.util.List;
import java.util.Optional;

/**
 * Keras's Precision ({@code tp / (tp + fp)}) and Recall ({@code tp / (tp + fn)}), 0 when nothing
 * was counted (divide_no_nan), from weighted confusion counts kept across batches until
 * {@link #reset()} (keras/src/metrics/confusion_metrics.py). A prediction is positive when it is
 * greater than the threshold (0.5 by default; −1e10 with top_k, so that exactly the top k count);
 * with top_k only each row's k largest predictions can be positive; with class_id only that column
 * counts (a negative id from the last, as a Python index). Keras's list of several thresholds (a
 * vector result) is not taken; a list of one is, and is written back as a list, as Keras's
 * get_config writes the thresholds as given. The predictions' mask is not read, as Keras's
 * confusion metrics do not read it.
 */
final class PrecisionRecall implements Metric {
    private final String name;
    private final boolean recall;
    private final Double threshold;
    /** Whether the threshold was given as a list of one, which get_config writes back as a list. */
    private final boolean thresholdListed;
    private final float effectiveThreshold;
    private final Integer topK;
    private final Integer classId;
    private double truePositives;
    private double otherCount;

    PrecisionRecall(String name, boolean recall, Double threshold, Integer topK, Integer classId) {
        this(name, recall, threshold, false, topK, classId);
    }

    /** @param thresholdListed the threshold came as a list of one (Keras's init_thresholds), written back so */
    PrecisionRecall(String name, boolean recall, Double threshold, boolean thresholdListed, Integer topK,
            Integer classId) {
        this.name = name;
        this.recall = recall;
        String what = recall ? "Recall" : "Precision";
        if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException(what + ": thresholds must be in [0, 1], got " + threshold);
        }
        if (topK != null && topK < 1) {
            throw new IllegalArgumentException(what + ": top_k must be >= 1 or None, got " + topK);
        }
        this.threshold = threshold;
        this.thresholdListed = threshold != null && thresholdListed;
        // Keras compares in float32 against the thresholds as float32
        this.effectiveThreshold = threshold != null ? threshold.floatValue()
                : topK != null ? ConfusionInput.NEG_INF : 0.5f;
        this.topK = topK;
        this.classId = classId;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<KerasConfig> kerasConfig() {
        String cls = recall ? "Recall" : "Precision";
        boolean plain = threshold == null && topK == null && classId == null && name.equals(cls.toLowerCase());
        return plain ? Optional.empty() : Optional.of(KerasConfig.of(cls, "name", name, "dtype", "float32",
                "thresholds", thresholdListed ? List.of(threshold) : threshold, "top_k", topK, "class_id", classId));
    }

    @Override
    public void reset() {
        truePositives = 0;
        otherCount = 0;
    }

    @Override
    public void update(Tensor labels, Tensor predictions) {
        update(labels, predictions, null, null);
    }

    @Override
    public void update(Tensor labels, Tensor predictions, Tensor mask, Tensor sampleWeight) {
        ConfusionInput in = ConfusionInput.of(name, labels, predictions, sampleWeight, topK, classId);
        double tp = 0;
        double other = 0;
        for (int i = 0; i < in.predictions.length; i++) {
            boolean positive = in.predictions[i] > effectiveThreshold;
            if (positive && in.labels[i]) {
                tp += in.weight(i);
            } else if (recall ? !positive && in.labels[i] : positive && !in.labels[i]) {
                other += in.weight(i);
            }
        }
        truePositives += tp;
        otherCount += other;
    }

    @Override
    public double result() {
        double denominator = truePositives + otherCount;
        return denominator == 0 ? 0 : truePositives / denominator;
    }

    @Override
    public Direction direction() {
        return Direction.UP;
    }
}
