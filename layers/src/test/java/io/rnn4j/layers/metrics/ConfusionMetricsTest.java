package io.rnn4j.layers.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Tensor;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Precision, Recall, AUC and the F-scores against the numbers Keras's own docstrings and
 * keras/src/metrics/confusion_metrics_test.py / f_score_metrics_test.py state; accumulation over
 * batches, reset, AUC's bucket placement against a plain comparison with Keras's float32
 * thresholds, and options Keras refuses. Seed 83 where random.
 */
class ConfusionMetricsTest {
    private static Tensor v(float... x) {
        return Tensor.of(x, x.length);
    }

    @Test
    void precisionAndRecallMatchKerasDocstrings() {
        Metric p = Metrics.precision();
        p.update(v(0, 1, 1, 1), v(1, 0, 1, 1));
        assertThat(p.result()).isCloseTo(2.0 / 3, within(1e-12));
        p.reset();
        p.update(v(0, 1, 1, 1), v(1, 0, 1, 1), null, v(0, 0, 1, 0));
        assertThat(p.result()).isEqualTo(1.0);
        Metric top2 = Metrics.precision(null, 2, null);
        top2.update(Tensor.of(new float[] {0, 0, 1, 1}, 1, 4), Tensor.of(new float[] {1, 1, 1, 1}, 1, 4));
        assertThat(top2.result()).as("top_k=2 keeps the first two of four ties, both negatives").isZero();
        Metric top4 = Metrics.precision(null, 4, null);
        top4.update(Tensor.of(new float[] {0, 0, 1, 1}, 1, 4), Tensor.of(new float[] {1, 1, 1, 1}, 1, 4));
        assertThat(top4.result()).isEqualTo(0.5);

        Metric r = Metrics.recall();
        r.update(v(0, 1, 1, 1), v(1, 0, 1, 1));
        assertThat(r.result()).isCloseTo(2.0 / 3, within(1e-12));
        r.reset();
        r.update(v(0, 1, 1, 1), v(1, 0, 1, 1), null, v(0, 0, 1, 0));
        assertThat(r.result()).isEqualTo(1.0);
        assertThat(p.name()).isEqualTo("precision");
        assertThat(r.name()).isEqualTo("recall");
        assertThat(r.direction()).isEqualTo(Metric.Direction.UP);
    }

    @Test
    void precisionCountsAcrossBatchesUntilResetWithThresholdAndClassId() {
        // threshold 0.7: positives are p > 0.7 (0.7 itself is not)
        Metric p = Metrics.precision(0.7, null, null);
        p.update(Tensor.of(new float[] {1, 0, 1}, 3, 1), Tensor.of(new float[] {0.8f, 0.9f, 0.7f}, 3, 1));
        assertThat(p.result()).isEqualTo(0.5);
        p.update(v(1, 1), Tensor.of(new float[] {0.95f, 0.75f}, 2, 1));   // labels without the trailing 1
        assertThat(p.result()).as("tp 3, fp 1 over both batches").isEqualTo(0.75);
        p.reset();
        assertThat(p.result()).as("divide_no_nan before any update").isZero();

        // class_id 1 of (batch, 3): only column 1 counts
        Metric r = Metrics.recall(null, null, 1);
        r.update(Tensor.of(new float[] {0, 1, 0, 0, 1, 0, 1, 0, 0}, 3, 3),
                Tensor.of(new float[] {0.1f, 0.6f, 0.3f, 0.2f, 0.4f, 0.9f, 0.8f, 0.9f, 0.1f}, 3, 3));
        assertThat(r.result()).as("column 1: labels 1,1,0 predicted 0.6,0.4 -> tp 1, fn 1").isEqualTo(0.5);
        assertThatThrownBy(() -> Metrics.recall(null, null, 3).update(Tensor.of(new float[3], 1, 3),
                Tensor.of(new float[3], 1, 3))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("class_id 3");
        assertThatThrownBy(() -> Metrics.precision(1.5, null, null)).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> Metrics.precision(null, 0, null)).hasMessageContaining("top_k");
    }

    @Test
    void aucMatchesKerasTestsForEachCurveAndSummation() {
        Tensor y = v(0, 0, 1, 1);
        Tensor p = v(0, 0.5f, 0.3f, 0.9f);
        Tensor w = v(1, 2, 3, 4);
        Auc roc = Auc.builder().numThresholds(3).build();
        roc.update(y, p);
        assertThat(roc.result()).isCloseTo(0.75, within(1e-12));                  // docstring
        roc.reset();
        roc.update(y, p, null, v(1, 0, 0, 1));
        assertThat(roc.result()).isCloseTo(1.0, within(1e-12));                   // docstring
        double r47 = 4.0 / 7;
        Object[][] cases = {
            {Auc.Curve.ROC, Auc.Summation.INTERPOLATION, (1 + r47) / 2},
            {Auc.Curve.ROC, Auc.Summation.MAJORING, 1.0},
            {Auc.Curve.ROC, Auc.Summation.MINORING, r47},
            {Auc.Curve.PR, Auc.Summation.MAJORING, 1.0},
            {Auc.Curve.PR, Auc.Summation.MINORING, 0.7 * (1 - r47)},
            {Auc.Curve.PR, Auc.Summation.INTERPOLATION, (0.5 * (3 + 2 * Math.log(2.5))) / 7 + 4.0 / 7},
            {Auc.Curve.PRGAIN, Auc.Summation.MAJORING, 1.0},
            {Auc.Curve.PRGAIN, Auc.Summation.MINORING, 0.0},
            {Auc.Curve.PRGAIN, Auc.Summation.INTERPOLATION, 0.5},
        };
        for (Object[] c : cases) {
            Auc m = Auc.builder().numThresholds(3).curve((Auc.Curve) c[0]).summationMethod((Auc.Summation) c[1]).build();
            m.update(y, p, null, w);
            assertThat(m.result()).as("%s %s, weights 1..4", c[0], c[1]).isCloseTo((double) c[2], within(1e-12));
        }
        Auc negative = Auc.builder().numThresholds(3).curve(Auc.Curve.PR).build();
        negative.update(y, p, null, v(-1, -2, -3, -4));
        assertThat(negative.result()).as("negative weights: divide_no_nan by max(tp + fn, 0) = 0").isZero();

        Auc logits = Auc.builder().numThresholds(3).fromLogits(true).build();
        float[] z = new float[4];
        float[] pv = p.toArray();
        for (int i = 0; i < 4; i++) {
            z[i] = (float) -Math.log(1.0 / (pv[i] + 1e-12) - 1.0);
        }
        logits.update(y, v(z));
        assertThat(logits.result()).isCloseTo(0.75, within(1e-12));

        Auc manual = Auc.builder().numThresholds(2).thresholds(0.5).build();
        assertThat(manual.thresholds()).containsExactly((float) -1e-7, 0.5f, (float) (1 + 1e-7));
        manual.update(y, p);
        assertThat(manual.result()).isCloseTo(0.75, within(1e-12));

        Auc perfect = Metrics.auc();
        perfect.update(y, y);
        assertThat(perfect.result()).isEqualTo(1.0);
        assertThat(perfect.name()).isEqualTo("auc");
        assertThat(perfect.direction()).isEqualTo(Metric.Direction.UP);
    }

    @Test
    void aucBucketsAgreeWithAPlainThresholdComparisonAndAccumulateAcrossBatches() {
        // Keras places an evenly spaced prediction with ceil(p·(n−1)) − 1 in float32; on these values
        // that equals "p > t" against the float32 thresholds i/(n−1). Exact grid points included.
        Random r = new Random(83);
        int n = 200;
        float[] t = new float[n];
        t[0] = (float) -1e-7;
        for (int i = 1; i < n - 1; i++) {
            t[i] = (float) (i * 1.0 / (n - 1));
        }
        t[n - 1] = (float) (1 + 1e-7);
        float[] p = new float[64];
        float[] y = new float[64];
        for (int i = 0; i < p.length; i++) {
            p[i] = i % 8 == 0 ? (float) ((r.nextInt(n)) * 1.0 / (n - 1)) : r.nextFloat();
            y[i] = r.nextBoolean() ? 1 : 0;
        }
        p[1] = 0;
        p[2] = 1;
        Auc batched = Metrics.auc();
        batched.update(v(java.util.Arrays.copyOf(y, 30)), v(java.util.Arrays.copyOf(p, 30)));
        batched.update(v(java.util.Arrays.copyOfRange(y, 30, 64)), v(java.util.Arrays.copyOfRange(p, 30, 64)));
        // float64 reference: counts by comparison, trapezoids over (fpr, tpr)
        double[] tpr = new double[n];
        double[] fpr = new double[n];
        double pos = 0;
        double neg = 0;
        for (float yi : y) {
            pos += yi;
            neg += 1 - yi;
        }
        for (int k = 0; k < n; k++) {
            double tp = 0;
            double fp = 0;
            for (int i = 0; i < p.length; i++) {
                if (p[i] > t[k]) {
                    tp += y[i];
                    fp += 1 - y[i];
                }
            }
            tpr[k] = tp / pos;
            fpr[k] = fp / neg;
        }
        double auc = 0;
        for (int k = 0; k < n - 1; k++) {
            auc += (fpr[k] - fpr[k + 1]) * (tpr[k] + tpr[k + 1]) / 2;
        }
        assertThat(batched.result()).as("two batches, 200 thresholds").isCloseTo(auc, within(1e-12));
        batched.reset();
        assertThat(batched.result()).isZero();
    }

    @Test
    void multiLabelAucAveragesEachColumnsCurve() {
        Tensor y = Tensor.of(new float[] {0, 0, 1, 1, 1, 1, 1, 0}, 4, 2);
        Tensor p = Tensor.of(new float[] {0, 0.4f, 0.5f, 0.7f, 0.3f, 0.2f, 0.9f, 0.3f}, 4, 2);
        Auc m = Auc.builder().numThresholds(3).multiLabel(true).build();
        m.update(y, p);
        // column 0: labels 0,1,1,1 preds 0,.5,.3,.9 -> tp [3,1,0] fp [1,0,0] -> tpr [1,1/3,0] fpr [1,0,0]: (1+1/3)/2
        // column 1: labels 0,1,1,0 preds .4,.7,.2,.3 -> tp [2,1,0] fp [2,0,0] -> tpr [1,.5,0] fpr [1,0,0]: 0.75
        assertThat(m.result()).isCloseTo(((1 + 1.0 / 3) / 2 + 0.75) / 2, within(1e-12));
        Auc weighted = Auc.builder().numThresholds(3).multiLabel(true).labelWeights(1, 3).build();
        weighted.update(y, p);
        assertThat(weighted.result()).isCloseTo(((1 + 1.0 / 3) / 2 + 3 * 0.75) / 4, within(1e-12));
        assertThatThrownBy(() -> m.update(Tensor.of(new float[3], 1, 3), Tensor.of(new float[3], 1, 3)))
                .hasMessageContaining("2 labels");
    }

    @Test
    void aucRefusesWhatKerasRefuses() {
        assertThatThrownBy(() -> Auc.builder().numThresholds(1).build()).hasMessageContaining("num_thresholds");
        assertThatThrownBy(() -> Auc.builder().numLabels(3).build()).hasMessageContaining("multi_label");
        assertThatThrownBy(() -> Auc.builder().thresholds(0.2, 1.2).build()).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> Metrics.fromKerasConfig("AUC", Map.of("curve", "XY")))
                .hasMessageContaining("curve");
        assertThatThrownBy(() -> Metrics.fromKerasConfig("AUC", Map.of("summation_method", "mid")))
                .hasMessageContaining("summation_method");
        assertThatThrownBy(() -> Metrics.fromKerasConfig("Precision", Map.of("thresholds", java.util.List.of(0.3, 0.6))))
                .hasMessageContaining("one number");
        assertThatThrownBy(() -> Metrics.fromKerasConfig("Recall", Map.of("treshold", 0.3)))
                .hasMessageContaining("treshold");
    }

    @Test
    void fScoresMatchKerasDocstringsAndTests() {
        Tensor y = Tensor.of(new float[] {1, 1, 1, 1, 0, 0, 1, 1, 0}, 3, 3);
        Tensor p = Tensor.of(new float[] {0.2f, 0.6f, 0.7f, 0.2f, 0.6f, 0.6f, 0.6f, 0.8f, 0f}, 3, 3);
        FBetaScore f1 = Metrics.f1Score(null, 0.5);
        f1.update(y, p);
        assertThat(f1.perClass()).containsExactly(new double[] {0.5, 0.8, 2.0 / 3}, within(1e-6)); // docstring
        FBetaScore fb = Metrics.fBetaScore(null, 2.0, 0.5);
        fb.update(y, p);
        assertThat(fb.perClass()).containsExactly(new double[] {0.3846154, 0.90909094, 0.8333334}, within(1e-6));
        // micro, by hand: predicted positive (> 0.5) row 0 cols 1,2; row 1 cols 1,2; row 2 cols 0,1:
        // tp = 2 + 0 + 2 = 4, fp = 2 (row 1), fn = 2 (col 0 of rows 0, 1); ε = 1e-7
        FBetaScore micro = Metrics.f1Score("micro", 0.5);
        micro.update(y, p);
        double pr = 4 / (6 + 1e-7);
        double re = 4 / (6 + 1e-7);
        assertThat(micro.result()).isCloseTo(pr * re / (pr + re + 1e-7) * 2, within(1e-12));
        FBetaScore macro = Metrics.f1Score("macro", 0.5);
        macro.update(y, p);
        double[] per = f1.perClass();
        assertThat(macro.result()).isCloseTo((per[0] + per[1] + per[2]) / 3, within(1e-12));
        FBetaScore weighted = Metrics.f1Score("weighted", 0.5);
        weighted.update(y, p);
        // support per class: [3, 2, 1]
        assertThat(weighted.result()).isCloseTo((3 * per[0] + 2 * per[1] + per[2]) / (6 + 1e-7), within(1e-12));
        assertThatThrownBy(f1::result).hasMessageContaining("average=None");

        // threshold None: each row's maximum (and only if |p| > 1e-9), across two batches
        FBetaScore argmax = Metrics.f1Score("micro", null);
        argmax.update(Tensor.of(new float[] {0, 1, 1, 0}, 2, 2), Tensor.of(new float[] {0.3f, 0.7f, 0.6f, 0.4f}, 2, 2));
        argmax.update(Tensor.of(new float[] {0, 1}, 1, 2), Tensor.of(new float[] {0, 0}, 1, 2));
        double p3 = 2 / (2 + 1e-7);
        double r3 = 2 / (3 + 1e-7);
        assertThat(argmax.result()).as("an all-zero row predicts nothing").isCloseTo(2 * p3 * r3 / (p3 + r3 + 1e-7),
                within(1e-12));
        argmax.reset();
        assertThat(argmax.result()).isZero();

        assertThatThrownBy(() -> Metrics.f1Score("median", null)).hasMessageContaining("average");
        assertThatThrownBy(() -> Metrics.f1Score("micro", 0.0)).hasMessageContaining("0 < threshold <= 1");
        assertThatThrownBy(() -> Metrics.fBetaScore("micro", -1, null)).hasMessageContaining("beta");
        assertThatThrownBy(() -> Metrics.f1Score("micro", null).update(Tensor.of(new float[4], 1, 2, 2),
                Tensor.of(new float[4], 1, 2, 2))).hasMessageContaining("(batch_size, output_dim)");
    }
}
