package io.rnn4j.layers.metrics;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.KerasConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Keras's AUC metric (keras/src/metrics/confusion_metrics.py): the area under the ROC (default),
 * PR or PR-gain curve, approximated from weighted confusion counts at fixed thresholds kept across
 * batches until {@link #reset()}. The thresholds are {@code −ε, 1/(n−1), …, (n−2)/(n−1), 1 + ε}
 * for num_thresholds n (200 by default; ε = 1e-7), or the given ones, sorted, between the same
 * endpoints. On evenly spaced thresholds Keras counts through buckets (metrics_utils
 * {@code _update_confusion_matrix_variables_optimized}): a prediction clipped to [0, 1] falls in
 * bucket {@code max(ceil(p·(n−1)) − 1, 0)}, computed in float32, and is positive at every threshold
 * up to it; otherwise a prediction is positive where it is greater than the threshold. Both are
 * done here as Keras does them. The summation method is "interpolation" (trapezoids for ROC, Davis
 * and Goadrich's interpolation for PR), "minoring" or "majoring". With multi_label each column has
 * its own curve and the result is their mean (weighted by label_weights); without it,
 * label_weights weight each column's predictions. The predictions' mask is not read, as Keras's.
 */
public final class Auc implements Metric {
    /** Keras's AUCCurve. */
    public enum Curve { ROC, PR, PRGAIN }

    /** Keras's AUCSummationMethod. */
    public enum Summation { INTERPOLATION, MINORING, MAJORING }

    private static final double EPSILON = 1e-7;

    private final String name;
    private final int numThresholds;
    private final Curve curve;
    private final Summation summation;
    private final double[] given;
    private final float[] thresholds;
    private final boolean evenly;
    private final boolean multiLabel;
    private final Integer numLabels;
    private final double[] labelWeights;
    private final boolean fromLogits;
    /** One column's counts per label with multi_label, else one; null until the label count is known. */
    private ThresholdCounts[] counts;

    private Auc(Builder b) {
        this.name = b.name;
        this.curve = b.curve;
        this.summation = b.summation;
        this.multiLabel = b.multiLabel;
        this.numLabels = b.numLabels;
        this.labelWeights = b.labelWeights;
        this.fromLogits = b.fromLogits;
        List<Double> inner = new ArrayList<>();
        if (b.thresholds != null) {
            given = b.thresholds.clone();
            Arrays.sort(given);
            for (double t : given) {
                if (!(t >= 0 && t <= 1)) {
                    throw new IllegalArgumentException("AUC: thresholds must be in [0, 1], got " + t);
                }
                inner.add(t);
            }
            numThresholds = given.length + 2;
            double[] withEnds = new double[numThresholds];
            withEnds[numThresholds - 1] = 1.0;
            System.arraycopy(given, 0, withEnds, 1, given.length);
            evenly = ThresholdCounts.evenlyDistributed(withEnds);
        } else {
            if (b.numThresholds <= 1) {
                throw new IllegalArgumentException("AUC: num_thresholds must be an integer > 1, got "
                        + b.numThresholds);
            }
            given = null;
            numThresholds = b.numThresholds;
            for (int i = 0; i < numThresholds - 2; i++) {
                inner.add((i + 1) * 1.0 / (numThresholds - 1));
            }
            evenly = true;
        }
        if (!multiLabel && numLabels != null) {
            throw new IllegalArgumentException("AUC: num_labels is needed only when multi_label is True, got "
                    + numLabels);
        }
        if (numLabels != null && numLabels < 1) {
            throw new IllegalArgumentException("AUC: num_labels must be >= 1, got " + numLabels);
        }
        if (labelWeights != null) {
            for (double w : labelWeights) {
                if (!(w >= 0) || Double.isInfinite(w)) {
                    throw new IllegalArgumentException("AUC: label_weights must be finite and >= 0, got "
                            + Arrays.toString(labelWeights));
                }
            }
            if (numLabels != null && labelWeights.length != numLabels) {
                throw new IllegalArgumentException("AUC: label_weights holds " + labelWeights.length + " weights for "
                        + "num_labels " + numLabels);
            }
        }
        thresholds = new float[numThresholds];
        thresholds[0] = (float) (0.0 - EPSILON);
        for (int i = 0; i < inner.size(); i++) {
            thresholds[i + 1] = inner.get(i).floatValue();
        }
        thresholds[numThresholds - 1] = (float) (1.0 + EPSILON);
        if (!multiLabel) {
            allocate(1);
        } else if (numLabels != null) {
            allocate(numLabels);
        }
    }

    private void allocate(int columns) {
        counts = new ThresholdCounts[columns];
        for (int c = 0; c < columns; c++) {
            counts[c] = new ThresholdCounts(thresholds, evenly);
        }
    }

    /** Keras's AUC() defaults: ROC, 200 thresholds, interpolation, named "auc". */
    public static Builder builder() {
        return new Builder();
    }

    /** The thresholds in use, endpoints included (Keras's {@code thresholds} property), as float32. */
    public float[] thresholds() {
        return thresholds.clone();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<KerasConfig> kerasConfig() {
        boolean plain = name.equals("auc") && numThresholds == 200 && curve == Curve.ROC
                && summation == Summation.INTERPOLATION && given == null && !multiLabel && labelWeights == null
                && !fromLogits;
        if (plain) {
            return Optional.empty();
        }
        List<Object> lw = null;
        if (labelWeights != null) {
            lw = new ArrayList<>();
            for (double w : labelWeights) {
                lw.add(w);
            }
        }
        KerasConfig k = KerasConfig.of("AUC", "name", name, "dtype", "float32", "num_thresholds", numThresholds,
                "curve", curve.name(), "summation_method", summation.name().toLowerCase(Locale.ROOT),
                "multi_label", multiLabel, "num_labels", numLabels, "label_weights", lw, "from_logits", fromLogits);
        if (given != null) {
            List<Object> t = new ArrayList<>();
            for (double v : given) {
                t.add(v);
            }
            Map<String, Object> c = new LinkedHashMap<>(k.config());
            c.put("thresholds", t);
            k = new KerasConfig("AUC", c);
        }
        return Optional.of(k);
    }

    @Override
    public void reset() {
        if (counts != null) {
            for (ThresholdCounts c : counts) {
                c.reset();
            }
        }
    }

    @Override
    public void update(Tensor labels, Tensor predictions) {
        update(labels, predictions, null, null);
    }

    @Override
    public void update(Tensor y, Tensor predictions, Tensor mask, Tensor sampleWeight) {
        if (multiLabel && predictions.rank() != 2) {
            throw new IllegalArgumentException(name + ": with multi_label predictions must have rank 2 (batch, labels),"
                    + " got " + predictions.shape());
        }
        ConfusionInput in = ConfusionInput.of(name, y, predictions, sampleWeight);
        int columns = multiLabel ? in.last : 1;
        if (counts == null) {
            allocate(columns);
        } else if (columns != counts.length) {
            throw new IllegalArgumentException(name + ": multi_label AUC was built for " + counts.length
                    + " labels, got predictions " + predictions.shape());
        }
        if (labelWeights != null && labelWeights.length != in.last) {
            throw new IllegalArgumentException(name + ": label_weights holds " + labelWeights.length + " weights for "
                    + "predictions " + predictions.shape());
        }
        float[] p = in.predictions.clone();
        if (fromLogits) {
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) (1 / (1 + Math.exp(-(double) p[i])));
            }
        }
        int last = in.last;
        for (int c = 0; c < columns; c++) {
            counts[c].add(p, in.labels, i -> in.weight(i) * (labelWeights != null && !multiLabel
                    ? labelWeights[i % last] : 1), c, multiLabel ? columns : 1);
        }
    }

    @Override
    public double result() {
        if (counts == null) {
            return 0;
        }
        int labels = counts.length;
        double[] byLabel = new double[labels];
        for (int c = 0; c < labels; c++) {
            byLabel[c] = curve == Curve.PR && summation == Summation.INTERPOLATION ? interpolatedPr(counts[c])
                    : riemann(counts[c]);
        }
        if (!multiLabel) {
            return byLabel[0];
        }
        if (labelWeights == null) {
            return Arrays.stream(byLabel).sum() / labels;
        }
        double num = 0;
        double den = 0;
        for (int c = 0; c < labels; c++) {
            num += byLabel[c] * labelWeights[c];
            den += labelWeights[c];
        }
        return divideNoNan(num, den);
    }

    private double riemann(ThresholdCounts k) {
        double[] x = new double[numThresholds];
        double[] y = new double[numThresholds];
        for (int t = 0; t < numThresholds; t++) {
            double recall = divideNoNan(k.tp[t], k.tp[t] + k.fn[t]);
            switch (curve) {
                case ROC -> {
                    x[t] = divideNoNan(k.fp[t], k.fp[t] + k.tn[t]);
                    y[t] = recall;
                }
                case PR -> {
                    x[t] = recall;
                    y[t] = divideNoNan(k.tp[t], k.tp[t] + k.fp[t]);
                }
                case PRGAIN -> {
                    double scale = divideNoNan(k.tp[t] + k.fn[t], k.tn[t] + k.fp[t]);
                    double recallGain = k.tp[t] == 0 ? 0 : 1 - scale * divideNoNan(k.fn[t], k.tp[t]);
                    double precisionGain = k.tp[t] == 0 ? 1 : 1 - scale * divideNoNan(k.fp[t], k.tp[t]);
                    x[t] = Math.max(recallGain, 0);
                    y[t] = precisionGain;
                }
            }
        }
        double area = 0;
        for (int t = 0; t < numThresholds - 1; t++) {
            double height = switch (summation) {
                case INTERPOLATION -> (y[t] + y[t + 1]) / 2;
                case MINORING -> Math.min(y[t], y[t + 1]);
                case MAJORING -> Math.max(y[t], y[t + 1]);
            };
            area += (x[t] - x[t + 1]) * height;
        }
        return area;
    }

    /** Keras's interpolate_pr_auc (Davis and Goadrich 2006, in closed form). */
    private double interpolatedPr(ThresholdCounts k) {
        double area = 0;
        for (int t = 0; t < numThresholds - 1; t++) {
            double dtp = k.tp[t] - k.tp[t + 1];
            double pA = k.tp[t] + k.fp[t];
            double pB = k.tp[t + 1] + k.fp[t + 1];
            double slope = divideNoNan(dtp, Math.max(pA - pB, 0));
            double intercept = k.tp[t + 1] - slope * pB;
            double ratio = pA > 0 && pB > 0 ? divideNoNan(pA, Math.max(pB, 0)) : 1;
            area += divideNoNan(slope * (dtp + intercept * Math.log(ratio)), Math.max(k.tp[t + 1] + k.fn[t + 1], 0));
        }
        return area;
    }

    private static double divideNoNan(double a, double b) {
        return b == 0 ? 0 : a / b;
    }

    @Override
    public Direction direction() {
        return Direction.UP;
    }

    /** Keras's AUC arguments; each setter returns this builder. */
    public static final class Builder {
        private String name = "auc";
        private int numThresholds = 200;
        private Curve curve = Curve.ROC;
        private Summation summation = Summation.INTERPOLATION;
        private double[] thresholds;
        private boolean multiLabel;
        private Integer numLabels;
        private double[] labelWeights;
        private boolean fromLogits;

        private Builder() {
        }

        /** The name in logs ("auc"). */
        public Builder name(String n) {
            if (n == null || n.isEmpty()) {
                throw new IllegalArgumentException("AUC: name must be a non-empty string, got " + n);
            }
            this.name = n;
            return this;
        }

        /** num_thresholds (> 1), ignored when {@link #thresholds} are given. */
        public Builder numThresholds(int n) {
            this.numThresholds = n;
            return this;
        }

        /** The curve whose area is computed (Keras's curve; ROC by default). */
        public Builder curve(Curve c) {
            this.curve = Objects.requireNonNull(c, "curve");
            return this;
        }

        /** How the area is summed between thresholds (Keras's summation_method; interpolation by default). */
        public Builder summationMethod(Summation s) {
            this.summation = Objects.requireNonNull(s, "summation_method");
            return this;
        }

        /** Thresholds in [0, 1] used instead of evenly spaced ones; the endpoints −ε and 1 + ε are added. */
        public Builder thresholds(double... t) {
            this.thresholds = t == null ? null : t.clone();
            return this;
        }

        /** Whether each column is a label with its own curve, the result their mean (Keras's multi_label). */
        public Builder multiLabel(boolean m) {
            this.multiLabel = m;
            return this;
        }

        /** The number of labels with multi_label (null: taken from the first batch). */
        public Builder numLabels(Integer n) {
            this.numLabels = n;
            return this;
        }

        /**
         * Non-negative weights, one per label (Keras's label_weights): of each curve in the mean with
         * multi_label, of each column's predictions without it; null for equal weights.
         */
        public Builder labelWeights(double... w) {
            this.labelWeights = w == null ? null : w.clone();
            return this;
        }

        /** Whether predictions are logits, put through a sigmoid first. */
        public Builder fromLogits(boolean f) {
            this.fromLogits = f;
            return this;
        }

        /**
         * The metric.
         *
         * @throws IllegalArgumentException for options Keras refuses (num_thresholds <= 1, thresholds
         *                                  outside [0, 1], num_labels without multi_label)
         */
        public Auc build() {
            return new Auc(this);
        }
    }
}
