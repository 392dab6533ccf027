package io.rnn4j.layers.metrics;

import java.util.Arrays;
import java.util.function.IntToDoubleFunction;

/**
 * Weighted true/false positive/negative counts at each of a list of thresholds, kept across batches
 * until {@link #reset()}, with a prediction placed as Keras's
 * {@code metrics_utils.update_confusion_matrix_variables} places it
 * (keras/src/metrics/metrics_utils.py). A prediction is positive at a threshold it is greater than,
 * in float32. On evenly spaced thresholds Keras counts through buckets instead
 * ({@code _update_confusion_matrix_variables_optimized}), and so does this: the prediction, clipped
 * to [0, 1], falls in bucket {@code ceil(p·(n−1)) − 1} computed in float32 and is positive at every
 * threshold up to it; bucket −1 (a prediction of 0 or less) is dropped, as segment_sum drops
 * negative ids, unless the thresholds reach past [0, 1] (AUC's −ε and 1 + ε), where Keras raises it
 * to 0. Shared by AUC, the confusion counts and the *AtSensitivity family so that the placement is
 * written once.
 */
final class ThresholdCounts {
    private static final double EPSILON = 1e-7;

    private final float[] thresholds;
    private final boolean buckets;
    private final boolean withEpsilon;
    final double[] tp;
    final double[] fp;
    final double[] tn;
    final double[] fn;

    /**
     * @param thresholds as float32, in Keras's order
     * @param evenly     Keras's {@code thresholds_distributed_evenly}: count through buckets
     */
    ThresholdCounts(float[] thresholds, boolean evenly) {
        this.thresholds = thresholds.clone();
        this.buckets = evenly;
        // Keras's thresholds_with_epsilon: the first bucket then takes predictions of 0 too
        this.withEpsilon = thresholds[0] < 0 || thresholds[thresholds.length - 1] > 1;
        int n = thresholds.length;
        tp = new double[n];
        fp = new double[n];
        tn = new double[n];
        fn = new double[n];
    }

    /** Keras's is_evenly_distributed_thresholds: at least 3, np.allclose to arange(n)/(n−1) in float32, atol ε. */
    static boolean evenlyDistributed(double[] t) {
        int n = t.length;
        if (n < 3) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            double even = (float) i / (float) (n - 1);
            if (!(Math.abs(t[i] - even) <= EPSILON + 1e-5 * Math.abs(even))) {
                return false;
            }
        }
        return true;
    }

    int size() {
        return thresholds.length;
    }

    void reset() {
        Arrays.fill(tp, 0);
        Arrays.fill(fp, 0);
        Arrays.fill(tn, 0);
        Arrays.fill(fn, 0);
    }

    /**
     * Adds the predictions {@code p[from], p[from + step], ...} with their labels and weights
     * ({@code weight.applyAsDouble(i)} for element i).
     */
    void add(float[] p, boolean[] labels, IntToDoubleFunction weight, int from, int step) {
        int n = thresholds.length;
        double[] tpAdd = new double[n];
        double[] fpAdd = new double[n];
        double positives = 0;
        double negatives = 0;
        for (int i = from; i < p.length; i += step) {
            double w = weight.applyAsDouble(i);
            if (labels[i]) {
                positives += w;
            } else {
                negatives += w;
            }
            double[] add = labels[i] ? tpAdd : fpAdd;
            if (buckets) {
                int bucket = bucket(p[i]);
                if (bucket >= 0) {
                    add[bucket] += w;
                }
            } else {
                for (int t = 0; t < n; t++) {
                    if (p[i] > thresholds[t]) {
                        add[t] += w;
                    }
                }
            }
        }
        if (buckets) {
            // a bucket's predictions are positive at its threshold and every lower one
            for (int t = n - 2; t >= 0; t--) {
                tpAdd[t] += tpAdd[t + 1];
                fpAdd[t] += fpAdd[t + 1];
            }
        }
        for (int t = 0; t < n; t++) {
            tp[t] += tpAdd[t];
            fp[t] += fpAdd[t];
            tn[t] += negatives - fpAdd[t];
            fn[t] += positives - tpAdd[t];
        }
    }

    /** Keras's bucket index in float32, or −1 where segment_sum drops the prediction. */
    private int bucket(float p) {
        if (Float.isNaN(p)) {
            return -1;  // an invalid id: segment_sum drops it (the weight still counts as a negative prediction)
        }
        float clipped = Math.min(Math.max(p, 0f), 1f);
        float index = (float) Math.ceil(clipped * (float) (thresholds.length - 1)) - 1f;
        return withEpsilon ? (int) Math.max(index, 0f) : (int) index;
    }
}
