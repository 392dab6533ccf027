package io.rnn4j.layers.metrics;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import java.util.Arrays;

/**
 * One batch as Keras's {@code update_confusion_matrix_variables} sees it: every prediction element
 * with its label (cast to bool: non-zero is positive) and its weight. The predictions and labels are
 * first brought to one rank as Keras's {@code squeeze_or_expand_to_same_rank(y_pred, y_true)} does
 * (a trailing axis of 1 dropped, or a rank-1 side expanded to (batch, 1)); the labels must then hold
 * one value per prediction. Then, in Keras's order, top_k keeps each row's k largest predictions and
 * class_id cuts the predictions and labels to that column, as {@code y_pred[..., class_id, None]}
 * ((batch, 1), a negative id counting from the end as a Python index). Sample weights are last
 * brought to the rank of the labels plus one unless they have it (metrics_utils.py 461-467: an axis
 * of 1 appended, so (batch,) is one per sample and a scalar or (1,) one for all) and broadcast to the
 * predictions so cut as numpy's broadcast_to: each trailing axis equal or 1.
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

    /** The batch with every element counting. */
    static ConfusionInput of(String metric, Tensor labels, Tensor predictions, Tensor sampleWeight) {
        return of(metric, labels, predictions, sampleWeight, null, null);
    }

    /**
     * The batch after Keras's top_k filter and class_id cut (either may be null).
     *
     * @throws IllegalArgumentException naming the metric and the shapes, for labels that do not fit the
     *                                  predictions, top_k above the number of columns, class_id on
     *                                  predictions of rank below 2 or outside their columns, or weights
     *                                  that do not broadcast
     */
    static ConfusionInput of(String metric, Tensor labels, Tensor predictions, Tensor sampleWeight, Integer topK,
            Integer classId) {
        float[] p = predictions.toArray();
        float[] y = labels.toArray();
        int[][] same = sameRank(predictions.shape().dims(), labels.shape().dims());
        int[] shape = same[0];
        int last = shape.length == 0 ? 1 : shape[shape.length - 1];
        if (y.length != p.length) {
            throw new IllegalArgumentException(metric + ": labels " + labels.shape() + " must have the predictions' "
                    + "shape " + predictions.shape() + (last == 1 ? " (or lack its trailing 1)" : ""));
        }
        boolean[] truth = new boolean[p.length];
        for (int i = 0; i < p.length; i++) {
            truth[i] = y[i] != 0f;
        }
        ConfusionInput in = new ConfusionInput(p, truth, null, last);
        if (topK != null) {
            if (topK > last) {
                // TensorFlow's top_k: "input must have at least k columns"
                throw new IllegalArgumentException(metric + ": top_k " + topK + " needs predictions with at least "
                        + topK + " columns, got " + predictions.shape());
            }
            in = in.topK(topK);
        }
        if (classId != null) {
            if (shape.length < 2) {
                // metrics_utils.update_confusion_matrix_variables refuses it so (after matching the ranks)
                throw new IllegalArgumentException(metric + ": when class_id is provided, predictions must be "
                        + "(num_samples, num_classes), got " + predictions.shape() + " with labels " + labels.shape());
            }
            in = in.column(metric, classId);
            shape = shape.clone();
            shape[shape.length - 1] = 1;
        }
        if (sampleWeight == null) {
            return in;
        }
        double[] w = weights(metric, sampleWeight, same[1].length, shape, classId);
        return new ConfusionInput(in.predictions, in.labels, w, in.last);
    }

    /**
     * Keras's squeeze_or_expand_to_same_rank(y_pred, y_true) on the shapes: {predictions, labels}.
     */
    private static int[][] sameRank(int[] p, int[] y) {
        if (p.length == y.length + 1 && p[p.length - 1] == 1) {
            return y.length == 1 ? new int[][] {p, {y[0], 1}} : new int[][] {Arrays.copyOf(p, p.length - 1), y};
        }
        if (y.length == p.length + 1 && y[y.length - 1] == 1) {
            return p.length == 1 ? new int[][] {{p[0], 1}, y} : new int[][] {p, Arrays.copyOf(y, y.length - 1)};
        }
        return new int[][] {p, y};
    }

    /**
     * One weight per element of predictions of {@code shape}: the weights get a trailing axis of 1
     * unless they have the labels' rank (metrics_utils.py 461-467), then broadcast_to the shape.
     */
    private static double[] weights(String metric, Tensor sampleWeight, int labelRank, int[] shape, Integer classId) {
        int[] given = sampleWeight.shape().dims();
        int[] s = given.length == labelRank ? given : Arrays.copyOf(given, given.length + 1);
        if (s.length != given.length) {
            s[s.length - 1] = 1;
        }
        int offset = shape.length - s.length;
        boolean fits = offset >= 0;
        for (int d = 0; fits && d < s.length; d++) {
            fits = s[d] == 1 || s[d] == shape[offset + d];
        }
        if (!fits) {
            throw new IllegalArgumentException(metric + ": sample weights " + sampleWeight.shape() + " do not "
                    + "broadcast to " + (classId != null ? "the class_id column " : "predictions ") + Shape.of(shape)
                    + ": Keras gives weights a trailing axis of 1 unless they have the labels' rank (so these are "
                    + Shape.of(s) + ") and broadcasts their axes of 1; give a scalar, weights of the labels' "
                    + "shape without its last axis (one per sample for (batch, classes)), or weights of the labels' "
                    + "rank whose every axis is 1 or the " + (classId != null ? "column's" : "predictions'"));
        }
        float[] w = sampleWeight.toArray();
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            int rest = i;
            int index = 0;
            int stride = 1;
            for (int d = s.length - 1; d >= 0; d--) {
                int coordinate = rest % shape[offset + d];
                rest /= shape[offset + d];
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

    /**
     * Keras's {@code y_pred[..., classId, None]}: only column {@code classId} of each row, a negative
     * id counting from the last column as a Python index.
     */
    private ConfusionInput column(String metric, int classId) {
        if (classId >= last || classId < -last) {
            throw new IllegalArgumentException(metric + ": class_id " + classId + " is not a class of predictions with "
                    + last + " columns (Keras indexes them from 0 to " + (last - 1) + ", or from -" + last
                    + " to -1 counting from the end)");
        }
        int c = classId < 0 ? classId + last : classId;
        float[] p = new float[rows];
        boolean[] y = new boolean[rows];
        for (int r = 0; r < rows; r++) {
            p[r] = predictions[r * last + c];
            y[r] = labels[r * last + c];
        }
        return new ConfusionInput(p, y, null, 1);
    }

    /**
     * Keras's {@code _filter_top_k}: in each row the k largest predictions are kept (ties to the
     * lower index, as {@code top_k}) and the rest become {@code NEG_INF = −1e10}.
     */
    private ConfusionInput topK(int k) {
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
