package io.rnn4j.layers.metrics;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.KerasConfig;
import java.util.Optional;

/**
 * Keras 3's FBetaScore and F1Score (keras/src/metrics/f_score_metrics.py) on (batch, classes)
 * labels and predictions: a prediction is 1 where it is greater than {@code threshold}, or, with
 * threshold None, where it is its row's maximum and {@code |ŷ| > 1e-9}; per class (all classes
 * together with average "micro") weighted true positives, false positives, false negatives and
 * label support accumulate across batches. Then with ε = 1e-7:
 * {@code P = tp/(tp + fp + ε)}, {@code R = tp/(tp + fn + ε)},
 * {@code F = (1 + β²)·P·R/(β²·P + R + ε)}; average None gives one score per class
 * ({@link #perClass()}), "micro" and "macro" their mean, "weighted" their mean weighted by support
 * (divided by its sum + ε).
 */
public final class FBetaScore implements Metric {
    private static final double EPSILON = 1e-7;

    private final String name;
    private final String average;
    private final double beta;
    private final Double threshold;
    private final boolean f1;
    private double[] tp;
    private double[] fp;
    private double[] fn;
    private double[] support;

    FBetaScore(String name, String average, double beta, Double threshold, boolean f1) {
        String what = f1 ? "F1Score" : "FBetaScore";
        if (average != null && !average.equals("micro") && !average.equals("macro") && !average.equals("weighted")) {
            throw new IllegalArgumentException(what + ": average must be one of None, 'micro', 'macro', 'weighted', "
                    + "got '" + average + "'");
        }
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException(what + ": beta must be > 0, got " + beta);
        }
        if (threshold != null && !(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException(what + ": threshold must verify 0 < threshold <= 1, got " + threshold);
        }
        this.name = name;
        this.average = average;
        this.beta = beta;
        this.threshold = threshold;
        this.f1 = f1;
    }

    @Override
    public String name() {
        return name;
    }

    /** Keras's {@code average} option: null (one score per class), "micro", "macro" or "weighted". */
    public String average() {
        return average;
    }

    @Override
    public Optional<KerasConfig> kerasConfig() {
        if (f1) {
            return Optional.of(KerasConfig.of("F1Score", "name", name, "dtype", "float32", "average", average,
                    "threshold", threshold));
        }
        return Optional.of(KerasConfig.of("FBetaScore", "name", name, "dtype", "float32", "average", average,
                "beta", beta, "threshold", threshold));
    }

    @Override
    public void reset() {
        if (tp != null) {
            allocate(tp.length);
        }
    }

    private void allocate(int n) {
        tp = new double[n];
        fp = new double[n];
        fn = new double[n];
        support = new double[n];
    }

    @Override
    public void update(Tensor labels, Tensor predictions) {
        update(labels, predictions, null, null);
    }

    /**
     * Adds one batch; sample weights are one per sample ((batch,) or (batch, 1)) or one per value.
     *
     * @throws IllegalArgumentException for labels or predictions that are not (batch, classes) of one
     *                                  shape, or classes that differ from the first batch's
     */
    @Override
    public void update(Tensor labels, Tensor predictions, Tensor mask, Tensor sampleWeight) {
        if (predictions.rank() != 2 || !labels.shape().equals(predictions.shape())) {
            throw new IllegalArgumentException(name + ": expects labels and predictions of shape (batch_size, "
                    + "output_dim), got labels " + labels.shape() + " and predictions " + predictions.shape());
        }
        int classes = predictions.dim(1);
        int cells = average != null && average.equals("micro") ? 1 : classes;
        if (tp == null) {
            allocate(cells);
        } else if (tp.length != cells) {
            throw new IllegalArgumentException(name + ": was built for " + tp.length + " classes, got predictions "
                    + predictions.shape());
        }
        float[] y = labels.toArray();
        float[] p = predictions.toArray();
        int rows = predictions.dim(0);
        float[] w = sampleWeight == null ? null : sampleWeight.toArray();
        if (w != null && w.length != rows && w.length != p.length) {
            throw new IllegalArgumentException(name + ": sample weights " + sampleWeight.shape() + " must be one per "
                    + "sample (" + rows + ") or one per value of predictions " + predictions.shape());
        }
        for (int r = 0; r < rows; r++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) {
                max = Math.max(max, p[r * classes + j]);
            }
            for (int j = 0; j < classes; j++) {
                int i = r * classes + j;
                double predicted = threshold == null ? (p[i] >= max && Math.abs(p[i]) > 1e-9f ? 1 : 0)
                        : p[i] > threshold.floatValue() ? 1 : 0;
                double truth = y[i];
                double weight = w == null ? 1 : w.length == rows ? w[r] : w[i];
                int cell = cells == 1 ? 0 : j;
                tp[cell] += weight * predicted * truth;
                fp[cell] += weight * predicted * (1 - truth);
                fn[cell] += weight * (1 - predicted) * truth;
                support[cell] += weight * truth;
            }
        }
    }

    /** The score of each class (one value with average "micro"); zeros before any update. */
    public double[] perClass() {
        if (tp == null) {
            return new double[0];
        }
        double b2 = beta * beta;
        double[] f = new double[tp.length];
        for (int c = 0; c < f.length; c++) {
            double precision = tp[c] / (tp[c] + fp[c] + EPSILON);
            double recall = tp[c] / (tp[c] + fn[c] + EPSILON);
            f[c] = precision * recall / (b2 * precision + recall + EPSILON) * (1 + b2);
        }
        return f;
    }

    /**
     * The averaged score (0 before any update).
     *
     * @throws IllegalStateException with average None, whose result is one score per class
     *                               ({@link #perClass()}): rnn4j's logs hold one number per name
     */
    @Override
    public double result() {
        if (average == null) {
            throw new IllegalStateException(name + " with average=None gives one score per class; read them with "
                    + "perClass(), or use average 'micro', 'macro' or 'weighted' for one number");
        }
        double[] f = perClass();
        if (f.length == 0) {
            return 0;
        }
        double sum = 0;
        if (average.equals("weighted")) {
            double total = 0;
            for (double s : support) {
                total += s;
            }
            for (int c = 0; c < f.length; c++) {
                sum += f[c] * (support[c] / (total + EPSILON));
            }
            return sum;
        }
        for (double v : f) {
            sum += v;
        }
        return sum / f.length;
    }

    @Override
    public Direction direction() {
        return Direction.UP;
    }
}
