package io.rnn4j.layers.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The confusion counts, Precision/Recall/AUC's shared input handling, the *AtSensitivity family and
 * R2Score on Keras 3.15.1's edges (keras/src/metrics/{confusion_metrics,metrics_utils,
 * regression_metrics}.py, read with {@code git show v3.15.1:...}; line numbers are that tag's):
 * non-finite values under weights of 0, label/prediction shapes Keras broadcasts, class_id forms
 * (negative, on rank-1 predictions) and the weights it takes, weights of shape (1,), zero-size
 * batches, NaN and infinite predictions, the thresholds' config form, and R2Score's num_samples
 * (where 3.15.1 and the 3.16.0.dev HEAD differ, HEAD followed). Each test says what Keras computes
 * or refuses and where.
 */
class ConfusionAndR2KerasEdgesTest {
    private static Tensor v(float... x) {
        return Tensor.of(x, x.length);
    }

    private static Tensor m(int rows, float... x) {
        return Tensor.of(x, rows, x.length / rows);
    }

    private static double once(Metric metric, Tensor y, Tensor p, Tensor w) {
        metric.reset();
        metric.update(y, p, null, w);
        return metric.result();
    }

    // ---- R2Score ----------------------------------------------------------------------------

    /**
     * regression_metrics.py 509-524: the weight multiplies every term (y·w, y·y·w, (y − ŷ)²·w, w),
     * so a NaN or infinite label or prediction under a weight of 0 still makes the sums NaN
     * (0·NaN = 0·inf = NaN in IEEE arithmetic, float32 or not): the score is NaN, not a finite score
     * that skipped the zero-weight entries.
     */
    @Test
    void aWeightOfZeroDoesNotHideANonFiniteValueAsKerasMultipliesByIt() {
        R2Score nanPrediction = Metrics.r2Score();
        nanPrediction.update(m(4, 1, 2, 3, 4), m(4, 1.5f, 1.5f, 3.5f, Float.NaN), null, v(1, 1, 1, 0));
        assertThat(nanPrediction.result()).as("Keras: total_mse += (4 − NaN)² · 0 = NaN, so r2 is NaN "
                + "(regression_metrics.py 517-522)").isNaN();

        R2Score infLabel = Metrics.r2Score();
        infLabel.update(m(4, 1, 2, 3, Float.POSITIVE_INFINITY), m(4, 1.5f, 1.5f, 3.5f, 0), null, v(1, 1, 1, 0));
        assertThat(infLabel.result()).as("Keras: sum += inf · 0 = NaN, so mean, total and r2 are NaN "
                + "(regression_metrics.py 512-516)").isNaN();
    }

    /**
     * regression_metrics.py 441-525: _build checks only that both are rank 2 and sizes the sums by
     * y_pred's last axis; every update term then broadcasts, so labels (batch, 1) against predictions
     * (batch, k) give each output's R2 against the one label column (sum (k,) + (1,) is (k,),
     * (y − ŷ)² is (batch, k)); the weights broadcast to the labels' (batch, 1), so one per output
     * (1, k) is refused (broadcast_to (1, k) -> (batch, 1) fails).
     */
    @Test
    void oneLabelColumnBroadcastsAgainstSeveralOutputsAsKeras() {
        // labels 1, 4, 3 (mean 8/3, total 14/3); output 0 predicts 2, 4, 4 (residual 2), output 1 is exact
        R2Score r2 = Metrics.r2Score(null, 0);
        r2.update(m(3, 1, 4, 3), m(3, 2, 1, 4, 4, 4, 3));
        assertThat(r2.perClass()).as("Keras: [1 − 2/(14/3), 1 − 0/(14/3)]")
                .containsExactly(new double[] {1 - 2 / (14.0 / 3), 1}, within(1e-12));

        // weights (3,) are (3, 1), one per label: the second row weighted 2 (sum 12, count 4, mean 3, total 6)
        R2Score weighted = Metrics.r2Score(null, 0);
        weighted.update(m(3, 1, 4, 3), m(3, 2, 1, 4, 4, 4, 3), null, v(1, 2, 1));
        assertThat(weighted.perClass()).containsExactly(new double[] {1 - 2 / 6.0, 1}, within(1e-12));
        assertThatThrownBy(() -> Metrics.r2Score().update(m(3, 1, 4, 3), m(3, 2, 1, 4, 4, 4, 3), null, m(1, 1, 2)))
                .as("one weight per output does not broadcast to the labels (3, 1)")
                .hasMessageContaining("r2_score: sample weights (1, 2) do not broadcast to (3, 1)");
    }

    /**
     * The same broadcasting over rows (regression_metrics.py 509-524): predictions of one row
     * (1, k) are every row's prediction, while the label sums and count stay the labels'.
     */
    @Test
    void oneRowOfPredictionsBroadcastsOverTheLabelsRowsAsKeras() {
        float[] y = {1, 2, 4, 3, 3, 7};
        float[] p = {2, 4};
        double[] expected = new double[2];
        for (int k = 0; k < 2; k++) {
            double mean = (y[k] + y[2 + k] + y[4 + k]) / 3.0;
            double total = 0;
            double residual = 0;
            for (int r = 0; r < 3; r++) {
                total += (y[r * 2 + k] - mean) * (y[r * 2 + k] - mean);
                residual += (y[r * 2 + k] - p[k]) * (y[r * 2 + k] - p[k]);
            }
            expected[k] = 1 - residual / total;
        }
        R2Score r2 = Metrics.r2Score(null, 0);
        r2.update(m(3, y), m(1, p));
        assertThat(r2.perClass()).containsExactly(expected, within(1e-12));
    }

    /**
     * R2Score's num_samples is where 3.15.1 and HEAD differ. 3.15.1 (regression_metrics.py
     * 525) adds ops.size(y_true), rows × outputs with rows of weight 0 included; HEAD (3.16.0.dev,
     * keras-team/keras#23334 "Fix R2Score num_samples inflation") counts the rows with a non-zero
     * weight in some output. rnn4j follows HEAD: the release's n = rows × outputs makes the adjusted
     * score of a k-output model use k times the observations, an outright bug that HEAD fixes (the
     * release's own test values for test_r2_tfa_comparison with regressors were changed by that fix).
     */
    @Test
    void numSamplesIsTheRowsWithAWeightAsHeadNotRowsTimesOutputsAsTheRelease() {
        // 5 rows, 2 outputs, the last row weighted 0: HEAD n = 4; 3.15.1 would take n = 10
        Tensor y = m(5, 1, 2, 2, 1, 3, 5, 4, 3, 9, 9);
        Tensor p = m(5, 1.5f, 2, 2, 1.5f, 2.5f, 4, 4.5f, 3, 0, 0);
        Tensor w = v(1, 1, 1, 1, 0);
        double[] r2 = new double[2];
        for (int k = 0; k < 2; k++) {
            double sum = 0;
            double count = 0;
            for (int r = 0; r < 4; r++) {
                sum += y.toArray()[r * 2 + k];
                count++;
            }
            double mean = sum / count;
            double total = 0;
            double residual = 0;
            for (int r = 0; r < 4; r++) {
                double t = y.toArray()[r * 2 + k];
                double e = t - p.toArray()[r * 2 + k];
                total += (t - mean) * (t - mean);
                residual += e * e;
            }
            r2[k] = 1 - residual / total;
        }
        double plain = (r2[0] + r2[1]) / 2;
        R2Score adjusted = Metrics.r2Score("uniform_average", 2);
        adjusted.update(y, p, null, w);
        assertThat(adjusted.result()).as("HEAD: n = 4 rows with a weight, so 1 − (1 − r2)·3/1")
                .isCloseTo(1 - (1 - plain) * 3 / 1, within(1e-12));
        double release = 1 - (1 - plain) * 9 / 7;
        assertThat(adjusted.result()).as("not 3.15.1's n = 10").isNotCloseTo(release, within(1e-3));
    }

    /** A zero-size batch adds nothing (Keras's sums of empty axes are 0), and a batch of one counts. */
    @Test
    void zeroSizeBatchesAddNothingAndABatchOfOneCounts() {
        R2Score r2 = Metrics.r2Score();
        r2.update(m(3, 1, 4, 3), m(3, 2, 4, 4));
        r2.update(Tensor.of(new float[0], 0, 1), Tensor.of(new float[0], 0, 1), null, Tensor.of(new float[0], 0));
        assertThat(r2.result()).isCloseTo(4.0 / 7, within(1e-12));

        ConfusionCount tp = Metrics.truePositives();
        tp.update(m(1, 1), m(1, 0.7f));
        tp.update(Tensor.of(new float[0], 0, 1), Tensor.of(new float[0], 0, 1));
        assertThat(tp.result()).isEqualTo(1.0);
        Metric sas = Metrics.sensitivityAtSpecificity(0.5);
        sas.update(v(0, 1), v(0.2f, 0.8f));
        sas.update(Tensor.of(new float[0], 0), Tensor.of(new float[0], 0), null, Tensor.of(new float[0], 0));
        assertThat(sas.result()).isEqualTo(1.0);
    }

    // ---- confusion counts ---------------------------------------------------------------------

    /**
     * metrics_utils.py. Compared thresholds (not evenly spaced, 528ff): NaN > t is false, so
     * a NaN prediction is negative everywhere; +inf is positive everywhere, nothing is clipped.
     * Buckets (evenly spaced, _update_confusion_matrix_variables_optimized): predictions are clipped
     * to [0, 1] first, so +inf counts as 1 (not above the threshold 1.0) and −inf as 0 (bucket −1,
     * dropped); a NaN's bucket id is cast to int32 as INT_MIN on TensorFlow's CPU (0 on its GPU:
     * tensorflow/tensorflow#93648) and dropped by unsorted_segment_sum, while its weight
     * still counts in total_true_labels, so it is a false negative. A NaN label is non-zero, so
     * positive (cast to bool).
     */
    @Test
    void nanAndInfinitePredictionsArePlacedAsKerasPlacesThem() {
        Tensor y = v(1, 1, 1, Float.NaN);
        Tensor p = v(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.9f);
        ConfusionCount compared = Metrics.truePositives(0.3, 1);
        compared.update(y, p);
        assertThat(compared.perThreshold()).as("+inf and the NaN-labelled 0.9 above 0.3; +inf above 1")
                .containsExactly(2, 1);
        ConfusionCount comparedFn = Metrics.falseNegatives(0.3, 1);
        comparedFn.update(y, p);
        assertThat(comparedFn.perThreshold()).containsExactly(2, 3);
        ConfusionCount buckets = Metrics.truePositives(0, 0.5, 1);
        buckets.update(y, p);
        assertThat(buckets.perThreshold()).as("+inf clipped to 1: above 0 and 0.5, not above 1")
                .containsExactly(2, 2, 0);
        ConfusionCount bucketsFn = Metrics.falseNegatives(0, 0.5, 1);
        bucketsFn.update(y, p);
        assertThat(bucketsFn.perThreshold()).containsExactly(2, 2, 4);
    }

    /**
     * confusion_metrics.py 72-75 and 33 (404-410 for Precision): get_config writes
     * {@code self.init_thresholds}, the argument as given, so FalseNegatives(thresholds=[0.35]) is
     * written back with "thresholds": [0.35] and thresholds=0.35 with 0.35 (the metric is the same:
     * one threshold gives one count either way).
     */
    @Test
    void aListOfOneThresholdIsWrittenBackAsAList() {
        Map<String, Object> c = new HashMap<>();
        c.put("name", "fn");
        c.put("dtype", "float32");
        c.put("thresholds", List.of(0.35));
        Metric fn = Metrics.fromKerasConfig("FalseNegatives", c).orElseThrow();
        assertThat(fn.kerasConfig().orElseThrow().config()).as("Keras's get_config: init_thresholds as given")
                .containsEntry("thresholds", List.of(0.35));
        c.put("thresholds", 0.35);
        assertThat(Metrics.fromKerasConfig("FalseNegatives", c).orElseThrow().kerasConfig().orElseThrow().config())
                .containsEntry("thresholds", 0.35);
        Map<String, Object> p = new HashMap<>(Map.of("name", "precision", "dtype", "float32", "thresholds",
                List.of(0.35)));
        assertThat(Metrics.fromKerasConfig("Precision", p).orElseThrow().kerasConfig().orElseThrow().config())
                .containsEntry("thresholds", List.of(0.35));
        p.put("thresholds", 0.35);
        assertThat(Metrics.fromKerasConfig("Precision", p).orElseThrow().kerasConfig().orElseThrow().config())
                .containsEntry("thresholds", 0.35);
    }

    /**
     * metrics_utils.py 461-467 then 202 (and the compared path's broadcast_to): a weight of shape
     * (1,) is expanded to (1, 1), which is y_true's rank, and broadcast_to the predictions'
     * (batch, 1) as one weight for every value; Precision, Recall and AUC share that input handling.
     * Weights (batch,) become (batch, 1): one per sample for (batch, classes), but against
     * (batch, steps, classes) they align with the steps, so Keras refuses them unless batch equals
     * steps, and then weights each step (broadcast_to's numpy rule, kept as Keras has it).
     */
    @Test
    void aWeightOfShapeOneBroadcastsOverEveryValueAsKeras() {
        ConfusionCount tp = Metrics.truePositives();
        tp.update(m(3, 1, 1, 0), m(3, 0.7f, 0.9f, 0.8f), null, v(2));
        assertThat(tp.result()).as("Keras: two true positives of weight 2").isEqualTo(4.0);

        // tp 2 · 2, fp 1 · 2, fn 0: the weight is in every count
        Tensor y = m(3, 1, 1, 0);
        Tensor p = m(3, 0.7f, 0.9f, 0.8f);
        assertThat(once(Metrics.precision(), y, p, v(2))).isCloseTo(4.0 / 6, within(1e-12));
        assertThat(once(Metrics.recall(), y, p, v(2))).isEqualTo(1.0);
        Tensor yAuc = m(4, 0, 1, 0, 1);
        Tensor pAuc = m(4, 0.1f, 0.6f, 0.7f, 0.8f);
        assertThat(once(Metrics.auc(), yAuc, pAuc, v(2))).as("one weight for all leaves AUC as unweighted")
                .isEqualTo(once(Metrics.auc(), yAuc, pAuc, null));
        ConfusionCount fp = Metrics.falsePositives();
        fp.update(m(3, 1, 1, 0), m(3, 0.7f, 0.9f, 0.8f), null, v(2));
        assertThat(fp.result()).isEqualTo(2.0);

        // (batch, steps, 1) predictions: (batch, steps) weights are per step; (batch,) ones align with the steps
        Tensor y3 = Tensor.of(new float[] {1, 0, 1, 1, 0, 1}, 2, 3, 1);
        Tensor p3 = Tensor.of(new float[] {0.9f, 0.9f, 0.9f, 0.9f, 0.9f, 0.2f}, 2, 3, 1);
        assertThat(once(Metrics.truePositives(), y3, p3, m(2, 1, 2, 3, 4, 5, 6))).isEqualTo(1 + 3 + 4);
        assertThatThrownBy(() -> once(Metrics.truePositives(), y3, p3, v(1, 2)))
                .as("Keras: broadcast_to((2, 1) -> (2, 3, 1)) fails")
                .hasMessageContaining("true_positives: sample weights (2,) do not broadcast to predictions (2, 3, 1)");
        Tensor y33 = Tensor.of(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, 3, 3, 1);
        Tensor p33 = Tensor.of(new float[] {0.9f, 0, 0, 0.9f, 0, 0, 0.9f, 0, 0}, 3, 3, 1);
        assertThat(once(Metrics.truePositives(), y33, p33, v(1, 10, 100))).as("weights (3,) on 3 steps: step 0's")
                .isEqualTo(3.0);
    }

    // ---- the *AtSensitivity family --------------------------------------------------------------

    private static Tensor oneHot3(int... classes) {
        float[] out = new float[classes.length * 3];
        for (int i = 0; i < classes.length; i++) {
            out[i * 3 + classes[i]] = 1;
        }
        return Tensor.of(out, classes.length, 3);
    }

    private static final Tensor P3 = m(4, 0.1f, 0.2f, 0.7f, 0.6f, 0.3f, 0.1f, 0.2f, 0.2f, 0.6f, 0.3f, 0.4f, 0.3f);
    private static final Tensor Y3 = oneHot3(2, 0, 2, 1);

    /**
     * confusion_metrics.py 565-578 (SensitivitySpecificityBase.__init__, and Precision/Recall's
     * __init__) checks num_thresholds only; class_id is stored as given and used as
     * {@code y_pred[..., class_id, None]} (metrics_utils.py 481-482), where −1 is the last class as in
     * any Python index; past −classes or at classes and above the indexing fails.
     */
    @Test
    void aNegativeClassIdIsTheLastClassAsInKeras() {
        double last = once(Metrics.recallAtPrecision(0.5, 200, 2), Y3, P3, null);
        assertThat(once(Metrics.recallAtPrecision(0.5, 200, -1), Y3, P3, null)).as("class_id −1 = class 2")
                .isEqualTo(last);
        assertThat(once(Metrics.recallAtPrecision(0.5, 200, -3), Y3, P3, null)).as("class_id −3 = class 0")
                .isEqualTo(once(Metrics.recallAtPrecision(0.5, 200, 0), Y3, P3, null));
        assertThat(once(Metrics.precision(null, null, -2), Y3, P3, null)).as("Precision: −2 = class 1")
                .isEqualTo(once(Metrics.precision(null, null, 1), Y3, P3, null));
        assertThat(once(Metrics.recall(0.25, null, -1), Y3, P3, null)).as("Recall: −1 = class 2")
                .isEqualTo(once(Metrics.recall(0.25, null, 2), Y3, P3, null));
        assertThat(Metrics.recall(null, null, -1).kerasConfig().orElseThrow().config()).containsEntry("class_id", -1);
        assertThatThrownBy(() -> once(Metrics.recallAtPrecision(0.5, 200, -4), Y3, P3, null))
                .hasMessageContaining("recall_at_precision: class_id -4 is not a class of predictions with 3 columns");
        assertThatThrownBy(() -> once(Metrics.precision(null, null, 3), Y3, P3, null))
                .hasMessageContaining("precision: class_id 3 is not a class of predictions with 3 columns");
    }

    /**
     * metrics_utils.py 460-482: weights are brought to y_true's rank (460-467) before class_id cuts
     * y_pred to (batch, 1), and the optimized path then broadcast_to's them to y_pred's shape (202):
     * (batch, classes) or (1, classes) weights do not broadcast to (batch, 1), so Keras raises
     * (TensorFlow's "Incompatible shapes" from broadcast_to); per-sample weights still count.
     */
    @Test
    void perClassOrPerValueWeightsWithAClassIdAreRefusedAsKerasBroadcastRefusesThem() {
        Tensor perValue = m(4, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1);
        assertThatThrownBy(() -> once(Metrics.precisionAtRecall(0.5, 200, 2), Y3, P3, perValue))
                .as("Keras: broadcast_to((4, 3) -> (4, 1)) fails").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> once(Metrics.precisionAtRecall(0.5, 200, 2), Y3, P3, m(1, 1, 1, 2)))
                .as("Keras: broadcast_to((1, 3) -> (4, 1)) fails").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("precision_at_recall: sample weights (1, 3) do not broadcast to the class_id "
                        + "column (4, 1)");
        assertThatThrownBy(() -> once(Metrics.recall(null, null, 2), Y3, P3, perValue))
                .as("Precision/Recall share it").hasMessageContaining("recall: sample weights (4, 3)");
        // one weight per sample, (4,) or (4, 1), is the column's: rows 0 and 2 (class 2) weighted 1 and 3
        Tensor perSample = v(1, 2, 3, 4);
        assertThat(once(Metrics.recall(null, null, 2), Y3, P3, perSample)).as("row 0 (0.7) found, row 2 (0.6) too")
                .isEqualTo(1.0);
        assertThat(once(Metrics.precision(0.65, null, 2), Y3, P3, m(4, 1, 2, 3, 4))).isEqualTo(1.0);
        assertThat(once(Metrics.recall(0.65, null, 2), Y3, P3, perSample)).as("only row 0 above 0.65: 1 of 1 + 3")
                .isEqualTo(0.25);
    }

    /**
     * metrics_utils.py 460 then 473: squeeze_or_expand_to_same_rank(y_pred, y_true) runs before the
     * rank-1 class_id check, so predictions (batch,) with labels (batch, 1) become (batch, 1) and
     * class_id 0 is that column; with labels (batch,) too they stay rank 1 and are refused. top_k
     * sees the same (batch, 1), one column.
     */
    @Test
    void classIdZeroWithRankOnePredictionsAndLabelsOfRankTwoIsTheOnlyColumnAsKeras() {
        Tensor y = m(4, 1, 0, 1, 0);
        Tensor p = v(0.8f, 0.3f, 0.4f, 0.6f);
        double plain = once(Metrics.sensitivityAtSpecificity(0.5), y, p, null);
        assertThat(once(Metrics.sensitivityAtSpecificity(0.5, 200, 0), y, p, null)).isEqualTo(plain);
        assertThat(once(Metrics.precision(null, null, -1), y, p, null)).isEqualTo(0.5);
        assertThatThrownBy(() -> once(Metrics.sensitivityAtSpecificity(0.5, 200, 1), y, p, null))
                .hasMessageContaining("class_id 1 is not a class of predictions with 1 columns");
        assertThatThrownBy(() -> once(Metrics.sensitivityAtSpecificity(0.5, 200, 0), v(1, 0, 1, 0), p, null))
                .hasMessageContaining("when class_id is provided");
        // top_k 1 of one column keeps every prediction; top_k 2 finds too few columns (TensorFlow's top_k)
        assertThat(once(Metrics.precision(null, 1, null), y, p, null)).as("all 4 positive at −1e10: tp 2 of 4")
                .isEqualTo(0.5);
        assertThatThrownBy(() -> once(Metrics.precision(null, 2, null), y, p, null)).hasMessageContaining("top_k 2");
    }
}
