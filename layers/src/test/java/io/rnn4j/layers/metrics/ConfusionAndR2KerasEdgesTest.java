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
 * Review of the confusion counts, the *AtSensitivity family and R2Score against Keras 3.15.1
 * (keras/src/metrics/{confusion_metrics,metrics_utils,regression_metrics}.py, read with
 * {@code git show v3.15.1:...}; line numbers are that tag's), on the edges the first tests leave
 * out: non-finite values under weights of 0, label/prediction shapes Keras broadcasts, class_id
 * forms and weights, zero-size batches, NaN and infinite predictions, the thresholds' config form,
 * and R2Score's num_samples (where 3.15.1 and the 3.16.0.dev HEAD differ). Each test says whether
 * Keras computes it or refuses it and where.
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
     * (0·NaN = 0·inf = NaN in IEEE arithmetic, float32 or not): Keras's score is NaN. rnn4j skips
     * zero-weight entries altogether and returns a finite score.
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
     * (y − ŷ)² is (batch, k)). rnn4j refuses that pair ("labels (3, 1) must have the predictions'
     * shape").
     */
    @Test
    void oneLabelColumnBroadcastsAgainstSeveralOutputsAsKeras() {
        // labels 1, 4, 3 (mean 8/3, total 14/3); output 0 predicts 2, 4, 4 (residual 2), output 1 is exact
        R2Score r2 = Metrics.r2Score(null, 0);
        r2.update(m(3, 1, 4, 3), m(3, 2, 1, 4, 4, 4, 3));
        assertThat(r2.perClass()).as("Keras: [1 − 2/(14/3), 1 − 0/(14/3)]")
                .containsExactly(new double[] {1 - 2 / (14.0 / 3), 1}, within(1e-12));
    }

    /**
     * Passes: R2Score's num_samples is where 3.15.1 and HEAD differ. 3.15.1 (regression_metrics.py
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

    /** Passes: a zero-size batch adds nothing (Keras's sums of empty axes are 0), and a batch of one counts. */
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
     * Passes: metrics_utils.py. Compared thresholds (not evenly spaced, 528ff): NaN > t is false, so
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
     * confusion_metrics.py 72-75 and 33: get_config writes {@code self.init_thresholds}, the argument
     * as given, so FalseNegatives(thresholds=[0.35]) is written back with "thresholds": [0.35]. rnn4j
     * reads that list and writes 0.35 (a bare number), so its compile_config differs from the file
     * it read (the metric is the same: one threshold gives one count either way).
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
    }

    /**
     * metrics_utils.py 461-467 then 202: a weight of shape (1,) is expanded to (1, 1), which is
     * y_true's rank, and broadcast_to the predictions' (batch, 1) as one weight for every value
     * (R2Score here takes it so too). rnn4j's ConfusionInput takes a rank-1 weight only of length
     * 1 when the predictions hold one value, and refuses it otherwise ("must be one per sample").
     */
    @Test
    void aWeightOfShapeOneBroadcastsOverEveryValueAsKeras() {
        ConfusionCount tp = Metrics.truePositives();
        tp.update(m(3, 1, 1, 0), m(3, 0.7f, 0.9f, 0.8f), null, v(2));
        assertThat(tp.result()).as("Keras: two true positives of weight 2").isEqualTo(4.0);
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
     * confusion_metrics.py 565-578 (SensitivitySpecificityBase.__init__) checks num_thresholds only;
     * class_id is stored as given and used as {@code y_pred[..., class_id, None]}
     * (metrics_utils.py 481-482), where −1 is the last class as in any Python index. rnn4j refuses
     * class_id −1 ("class_id must be >= 0"), and its test says Keras refuses it.
     */
    @Test
    void aNegativeClassIdIsTheLastClassAsInKeras() {
        double last = once(Metrics.recallAtPrecision(0.5, 200, 2), Y3, P3, null);
        assertThat(once(Metrics.recallAtPrecision(0.5, 200, -1), Y3, P3, null)).as("class_id −1 = class 2")
                .isEqualTo(last);
    }

    /**
     * metrics_utils.py 460-482: weights are brought to y_true's rank (460-467) before class_id cuts
     * y_pred to (batch, 1), and the optimized path then broadcast_to's them to y_pred's shape (202):
     * (batch, classes) or (1, classes) weights do not broadcast to (batch, 1), so Keras raises
     * (TensorFlow's "Incompatible shapes" from broadcast_to). rnn4j takes the class's column of the
     * weights and counts.
     */
    @Test
    void perClassOrPerValueWeightsWithAClassIdAreRefusedAsKerasBroadcastRefusesThem() {
        Tensor perValue = m(4, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1);
        assertThatThrownBy(() -> once(Metrics.precisionAtRecall(0.5, 200, 2), Y3, P3, perValue))
                .as("Keras: broadcast_to((4, 3) -> (4, 1)) fails").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> once(Metrics.precisionAtRecall(0.5, 200, 2), Y3, P3, m(1, 1, 1, 2)))
                .as("Keras: broadcast_to((1, 3) -> (4, 1)) fails").isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * metrics_utils.py 460 then 473: squeeze_or_expand_to_same_rank(y_pred, y_true) runs before the
     * rank-1 class_id check, so predictions (batch,) with labels (batch, 1) become (batch, 1) and
     * class_id 0 is that column. rnn4j refuses it ("predictions must be (num_samples, num_classes)")
     * because it looks at the predictions' rank before matching it to the labels'.
     */
    @Test
    void classIdZeroWithRankOnePredictionsAndLabelsOfRankTwoIsTheOnlyColumnAsKeras() {
        Tensor y = m(4, 1, 0, 1, 0);
        Tensor p = v(0.8f, 0.3f, 0.4f, 0.6f);
        double plain = once(Metrics.sensitivityAtSpecificity(0.5), y, p, null);
        assertThat(once(Metrics.sensitivityAtSpecificity(0.5, 200, 0), y, p, null)).isEqualTo(plain);
    }
}
