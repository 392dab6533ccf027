package io.rnn4j.layers.metrics;

import io.rnn4j.engine.Tensor;

/**
 * One batch as Keras's {@code update_confusion_matrix_variables} sees it: every prediction element
 * with its label (cast to bool: non-zero is positive) and its weight. Labels have the predictions'
 * shape or lack a trailing axis of 1. Sample weights of the predictions' rank broadcast to them as
 * Keras's broadcast_to ({@code (batch, 1)} per sample, {@code (1, classes)} per class, or one per
 * element); otherwise they are one scalar (rank 0), one per sample {@code (batch,)} or
 * {@code (batch, 1)}, or one per row (the predictions' shape without the last axis), spread over
 * the rest.
 */
final class ConfusionInput {
    final float[] predictions;
    final boolean[] labels;
    /** One weight per element, or null for weights of 1. */
    final double[] weights;
    final int last;
    final int rows;

    private ConfusionInput(float[] predictions, boolean[] labels, double[] weights, int last) {
        this.predictions = predictions;
        this.labels = labels;
        this.weights = weights;
        this.last = last;
        this.rows = last == 0 ? 0 : predictions.length / last;
    }

    static ConfusionInput of(String metric, Tensor labels, Tensor predictions, Tensor sampleWeight) {
        float[] p = predictions.toArray();
        float[] y = labels.toArray();
        int last = predictions.rank() == 0 ? 1 : predictions.dim(-1);
        int rows = last == 0 ? 0 : p.length / last;
        boolean full = y.length == p.length;
        if (!full && !(last == 1 && y.length == rows)) {
            throw new IllegalArgumentException(metric + ": labels " + labels.shape() + " must have the predictions' "
                    + "shape " + predictions.shape() + (last == 1 ? " (or lack its trailing 1)" : ""));
        }
        boolean[] truth = new boolean[p.length];
        for (int i = 0; i < p.length; i++) {
            truth[i] = (full ? y[i] : y[i / last]) != 0f;
        }
        return new ConfusionInput(p, truth, weights(metric, predictions, p.length, rows, sampleWeight), last);
    }

    private static double[] weights(String metric, Tensor predictions, int n, int rows, Tensor sampleWeight) {
        if (sampleWeight == null) {
            return null;
        }
        float[] w = sampleWeight.toArray();
        if (sampleWeight.rank() == predictions.rank() && predictions.rank() > 0) {
            return broadcast(metric, predictions, sampleWeight, w, n);
        }
        int batch = predictions.rank() == 0 ? 1 : predictions.dim(0);
        int per;
        if (w.length == n) {
            per = 1;
        } else if (w.length == 1 && sampleWeight.rank() == 0) {
            per = Math.max(n, 1);  // a scalar weight, broadcast over everything as Keras broadcasts it
        } else if (w.length == rows && rows > 0) {
            per = n / rows;
        } else if (w.length == batch && batch > 0 && n % batch == 0) {
            per = n / batch;
        } else {
            throw new IllegalArgumentException(metric + ": sample weights " + sampleWeight.shape() + " must be one per "
                    + "sample (" + batch + "), one per row or one per value of predictions " + predictions.shape()
                    + ", or a scalar");
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = w[i / per];
        }
        return out;
    }

    /**
     * Weights of the predictions' rank, broadcast to them as numpy does (each axis equal or 1), as
     * Keras's broadcast_to: (batch, 1) is one per sample, (1, classes) one per class.
     */
    private static double[] broadcast(String metric, Tensor predictions, Tensor sampleWeight, float[] w, int n) {
        int[] p = predictions.shape().dims();
        int[] s = sampleWeight.shape().dims();
        for (int d = 0; d < p.length; d++) {
            if (s[d] != 1 && s[d] != p[d]) {
                throw new IllegalArgumentException(metric + ": sample weights " + sampleWeight.shape() + " do not "
                        + "broadcast to predictions " + predictions.shape());
            }
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            int rest = i;
            int index = 0;
            int stride = 1;
            for (int d = p.length - 1; d >= 0; d--) {
                int coordinate = rest % p[d];
                rest /= p[d];
                index += s[d] == 1 ? 0 : coordinate * stride;
                stride *= s[d];
            }
            out[i] = w[index];
        }
        return out;
    }

    double weight(int i) {
        return weights == null ? 1 : weights[i];
    }

    /** Keras's {@code y_pred[..., classId, None]}: only column {@code classId} of each row. */
    ConfusionInput column(String metric, int classId) {
        if (classId >= last || last == 1 && rows == predictions.length && classId != 0) {
            throw new IllegalArgumentException(metric + ": class_id " + classId + " is not a class of predictions with "
                    + last + " columns");
        }
        float[] p = new float[rows];
        boolean[] y = new boolean[rows];
        double[] w = weights == null ? null : new double[rows];
        for (int r = 0; r < rows; r++) {
            p[r] = predictions[r * last + classId];
            y[r] = labels[r * last + classId];
            if (w != null) {
                w[r] = weights[r * last + classId];
            }
        }
        return new ConfusionInput(p, y, w, 1);
    }

    /**
     * Keras's {@code _filter_top_k}: in each row the k largest predictions are kept (ties to the
     * lower index, as {@code top_k}) and the rest become {@code NEG_INF = −1e10}.
     */
    ConfusionInput topK(int k) {
        float[] p = predictions.clone();
        for (int r = 0; r < rows; r++) {
            boolean[] kept = new boolean[last];
            for (int n = 0; n < Math.min(k, last); n++) {
                int best = -1;
                for (int j = 0; j < last; j++) {
                    if (!kept[j] && (best < 0 || predictions[r * last + j] > predictions[r * last + best])) {
                        best = j;
                    }
                }
                kept[best] = true;
            }
            for (int j = 0; j < last; j++) {
                // x * mask + NEG_INF * (1 - mask), in float32
                p[r * last + j] = kept[j] ? predictions[r * last + j] : NEG_INF;
            }
        }
        return new ConfusionInput(p, labels, weights, last);
    }

    /** Keras's metrics_utils.NEG_INF, as float32. */
    static final float NEG_INF = -1e10f;
}
