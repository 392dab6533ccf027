package io.rnn4j.layers.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * SensitivityAtSpecificity, SpecificityAtSensitivity, PrecisionAtRecall and RecallAtPrecision
 * against the numbers of their docstrings and keras/src/metrics/confusion_metrics_test.py, Keras's
 * exact threshold placement (float32 buckets, where a tie can count above its threshold and a
 * prediction just above one can count below it), the feasibility rule (>= in float32; 0 when no
 * threshold is feasible), class_id, and a float64 reference written from Keras's formulas on seeded
 * random batches (seeds 101 to 106, printed).
 */
class SensitivitySpecificityTest {
    private static Tensor v(float... x) {
        return Tensor.of(x, x.length);
    }

    private static double once(Metric m, Tensor y, Tensor p, Tensor w) {
        m.reset();
        m.update(y, p, null, w);
        return m.result();
    }

    @Test
    void docstringNumbers() {
        Tensor y = v(0, 0, 0, 1, 1);
        Tensor p = v(0, 0.3f, 0.8f, 0.3f, 0.8f);
        Metric sas = Metrics.sensitivityAtSpecificity(0.5);
        assertThat(once(sas, y, p, null)).isCloseTo(0.5, within(1e-6));
        assertThat(once(sas, y, p, v(1, 1, 2, 2, 1))).isCloseTo(0.333333, within(1e-6));
        Metric sas2 = Metrics.specificityAtSensitivity(0.5);
        assertThat(once(sas2, y, p, null)).isCloseTo(0.66666667, within(1e-6));
        assertThat(once(sas2, y, p, v(1, 1, 2, 2, 2))).isCloseTo(0.5, within(1e-6));
        Metric par = Metrics.precisionAtRecall(0.5);
        assertThat(once(par, y, p, null)).isCloseTo(0.5, within(1e-6));
        assertThat(once(par, y, p, v(2, 2, 2, 1, 1))).isCloseTo(0.33333333, within(1e-6));
        Metric rap = Metrics.recallAtPrecision(0.8);
        assertThat(once(rap, v(0, 0, 1, 1), v(0, 0.5f, 0.3f, 0.9f), null)).isCloseTo(0.5, within(1e-6));
        assertThat(once(rap, v(0, 0, 1, 1), v(0, 0.5f, 0.3f, 0.9f), v(1, 0, 0, 1))).isEqualTo(1.0);
        assertThat(new Metric[] {sas, sas2, par, rap}).extracting(Metric::name).containsExactly(
                "sensitivity_at_specificity", "specificity_at_sensitivity", "precision_at_recall", "recall_at_precision");
        assertThat(new Metric[] {sas, sas2, par, rap}).extracting(Metric::direction).containsOnly(Metric.Direction.UP);
    }

    @Test
    void kerasTestNumbers() {
        // confusion_metrics_test.py SensitivityAtSpecificityTest / SpecificityAtSensitivityTest
        Tensor y10 = v(0, 0, 0, 0, 0, 1, 1, 1, 1, 1);
        Tensor w10 = v(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        Tensor low = v(0, 0.1f, 0.2f, 0.3f, 0.4f, 0.01f, 0.02f, 0.25f, 0.26f, 0.26f);
        assertThat(once(Metrics.sensitivityAtSpecificity(0.8), y10,
                v(0, 0.1f, 0.2f, 0.3f, 0.4f, 0.1f, 0.45f, 0.5f, 0.8f, 0.9f), null)).isCloseTo(0.8, within(1e-7));
        assertThat(once(Metrics.sensitivityAtSpecificity(0.4), y10, low, null)).isCloseTo(0.6, within(1e-7));
        assertThat(once(Metrics.sensitivityAtSpecificity(0.4), y10, low, w10)).isCloseTo(0.675, within(1e-7));
        assertThat(once(Metrics.specificityAtSensitivity(1.0), y10, low, null)).isCloseTo(0.2, within(1e-7));
        assertThat(once(Metrics.specificityAtSensitivity(0.4), y10, low, null)).isCloseTo(0.6, within(1e-7));
        assertThat(once(Metrics.specificityAtSensitivity(0.4), y10, low, w10)).isCloseTo(0.4, within(1e-7));
        // test_unweighted_class_id: one-hot labels of class 2, the predictions repeated in 3 columns
        assertThat(once(Metrics.specificityAtSensitivity(0.4, 200, 2), oneHot(y10, 2), columns(low), null))
                .isCloseTo(0.6, within(1e-7));
        // PrecisionAtRecallTest
        Tensor pr = v(0, 0.1f, 0.2f, 0.5f, 0.6f, 0.2f, 0.5f, 0.6f, 0.8f, 0.9f);
        assertThat(once(Metrics.precisionAtRecall(0.8), y10, pr, null)).isCloseTo(2.0 / 3, within(1e-7));
        assertThat(once(Metrics.precisionAtRecall(0.6), y10, pr, null)).isCloseTo(0.75, within(1e-7));
        assertThat(once(Metrics.precisionAtRecall(0.6, 200, 2), oneHot(y10, 2), columns(pr), null))
                .isCloseTo(0.75, within(1e-7));
        assertThat(once(Metrics.precisionAtRecall(7.0 / 8), y10, pr, v(2, 1, 2, 1, 2, 1, 2, 2, 1, 2)))
                .isCloseTo(0.7, within(1e-7));
        // RecallAtPrecisionTest
        Tensor y12 = v(0, 1, 0, 0, 0, 1, 1, 0, 1, 1, 0, 1);
        Tensor p12 = v(0.05f, 0.1f, 0.2f, 0.3f, 0.3f, 0.35f, 0.4f, 0.45f, 0.5f, 0.6f, 0.9f, 0.95f);
        assertThat(once(Metrics.recallAtPrecision(0.75), y12, p12, null)).isCloseTo(0.5, within(1e-7));
        assertThat(once(Metrics.recallAtPrecision(2.0 / 3), y12, p12, null)).isCloseTo(5.0 / 6, within(1e-7));
        assertThat(once(Metrics.recallAtPrecision(2.0 / 3, 200, 2), oneHot(y12, 2), columns(p12), null))
                .isCloseTo(5.0 / 6, within(1e-7));
        assertThat(once(Metrics.recallAtPrecision(0.75), v(0, 1, 0, 0, 0, 1, 1), v(0.1f, 0.2f, 0.3f, 0.5f, 0.6f,
                0.9f, 0.9f), v(1, 2, 1, 2, 1, 2, 1))).isCloseTo(0.6, within(1e-7));
        assertThat(once(Metrics.recallAtPrecision(2.0 / 3), v(1, 1, 0, 0), v(0.1f, 0.2f, 0.3f, 0.9f), null))
                .as("test_unachievable_precision: no feasible threshold gives 0").isZero();
        // test_unweighted_all_correct: predictions equal to 0/1 labels
        Random r = new Random(101);
        float[] bits = new float[100];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = r.nextInt(2);
        }
        for (Metric m : new Metric[] {Metrics.sensitivityAtSpecificity(0.7), Metrics.specificityAtSensitivity(0.7),
            Metrics.precisionAtRecall(0.7), Metrics.recallAtPrecision(0.7)}) {
            assertThat(once(m, Tensor.of(bits, 100, 1), Tensor.of(bits, 100, 1), null)).as(m.name()).isEqualTo(1.0);
        }
    }

    private static Tensor oneHot(Tensor labels, int cls) {
        float[] y = labels.toArray();
        float[] out = new float[y.length * 3];
        for (int i = 0; i < y.length; i++) {
            out[i * 3 + (y[i] != 0 ? cls : 0)] = 1;
        }
        return Tensor.of(out, y.length, 3);
    }

    private static Tensor columns(Tensor p) {
        float[] x = p.toArray();
        float[] out = new float[x.length * 3];
        for (int i = 0; i < out.length; i++) {
            out[i] = x[i / 3];
        }
        return Tensor.of(out, x.length, 3);
    }

    @Test
    void thresholdsArePlacedByKerasFloat32BucketsNotByComparison() {
        // With 200 thresholds, p·199 in float32 puts t31 = (float) (31/199) itself in bucket 31 (positive at
        // threshold 31, although p > t31 is false) and the float just above t37 in bucket 36 (negative at
        // threshold 37, although p > t37): metrics_utils _update_confusion_matrix_variables_optimized.
        float t31 = (float) (31 * 1.0 / 199);
        float t37 = (float) (37 * 1.0 / 199);
        float[] thresholds = new float[200];
        for (int i = 1; i < 199; i++) {
            thresholds[i] = (float) (i * 1.0 / 199);
        }
        thresholds[199] = 1;
        ThresholdCounts c = new ThresholdCounts(thresholds, true);
        c.add(new float[] {t31, Math.nextUp(t37)}, new boolean[] {true, false}, i -> 1, 0, 1);
        assertThat(c.tp[31]).as("the tie at t31 counts above it").isEqualTo(1.0);
        assertThat(c.tp[32]).isZero();
        assertThat(c.fp[36]).isEqualTo(1.0);
        assertThat(c.fp[37]).as("just above t37 counts below it").isZero();

        // so: a positive at t31 and a negative just below it are separated at threshold 31 (recall 1 at
        // precision 1), where a comparison would find no threshold with precision 1
        Metric rap = Metrics.recallAtPrecision(1.0);
        assertThat(once(rap, v(1, 0), v(t31, Math.nextDown(t31)), null)).isEqualTo(1.0);
        // and a positive just above t37 and a negative at t37 fall in one bucket: never separated
        assertThat(once(rap, v(1, 0), v(Math.nextUp(t37), t37), null)).isZero();
    }

    @Test
    void feasibilityIsGreaterOrEqualInFloat32AndNoFeasibleThresholdGivesZero() {
        // specificity at thresholds in [0.1, 0.9): tn 1, fp 2 + 1e-8. In float64 that is just under 1/3; Keras
        // accumulates and divides in float32, where fp is 2 and 1/3 reaches the float32 target 1/3: feasible,
        // with sensitivity 1 there.
        Metric sas = Metrics.sensitivityAtSpecificity(1.0 / 3);
        assertThat(once(sas, v(0, 0, 0, 1), v(0.1f, 0.9f, 0.9f, 0.9f), v(1, 2, 1e-8f, 1))).isEqualTo(1.0);
        // a rate equal to the target is feasible: precision 1/2 at the lowest thresholds
        assertThat(once(Metrics.recallAtPrecision(0.5), v(1, 0), v(0.3f, 0.3f), null)).isEqualTo(1.0);
        assertThat(once(Metrics.recallAtPrecision(0.51), v(1, 0), v(0.3f, 0.3f), null)).as("never reached").isZero();
        // no positives: sensitivity is divide_no_nan(0, 0) = 0 everywhere, so no threshold reaches 0.5
        Metric noPositives = Metrics.specificityAtSensitivity(0.5);
        assertThat(once(noPositives, v(0, 0), v(0.2f, 0.7f), null)).isZero();
        assertThat(once(Metrics.specificityAtSensitivity(0), v(0, 0), v(0.2f, 0.7f), null))
                .as("target 0: every threshold feasible, the best specificity is 1").isEqualTo(1.0);
        assertThat(once(sas, v(0, 1), v(0.2f, 0.7f), v(0, 0))).as("all weights 0: nothing counted").isZero();
        sas.reset();
        assertThat(sas.result()).as("before any update").isZero();
    }

    @Test
    void oneOrTwoThresholdsAndClassId() {
        // num_thresholds 1: the single threshold 0.5, compared (0.5 itself is negative)
        Metric one = Metrics.precisionAtRecall(0.5, 1, null);
        assertThat(once(one, v(1, 1, 0), v(0.5f, 0.6f, 0.7f), null)).isEqualTo(0.5);
        // num_thresholds 2: thresholds 0 and 1 as buckets; a prediction of 0 is positive at neither
        Metric two = Metrics.sensitivityAtSpecificity(0.5, 2, null);
        assertThat(once(two, v(1, 1, 0, 0), v(0, 0.2f, 0, 0.1f), null)).as("threshold 0: sens 1/2, spec 1/2")
                .isEqualTo(0.5);
        assertThatThrownBy(() -> once(Metrics.precisionAtRecall(0.5, 200, 1), v(0, 1), v(0.2f, 0.7f), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("class_id is provided");
        assertThatThrownBy(() -> once(Metrics.precisionAtRecall(0.5, 200, 3), oneHot(v(0, 1), 2),
                columns(v(0.2f, 0.7f)), null)).hasMessageContaining("class_id 3");
    }

    /**
     * Keras's formulas in float64, written plainly: thresholds 0.5 (n = 1) compared, else placed by
     * bucket ceil(clip(p)·(n−1)) − 1 in float32; the rates per threshold; the best dependent rate among
     * the thresholds whose constrained rate (float32) is at least the target; 0 if none.
     */
    private static double reference(int which, double target, int n, float[] p, boolean[] y, double[] w) {
        double best = 0;
        for (int t = 0; t < n; t++) {
            double tp = 0;
            double fp = 0;
            double tn = 0;
            double fn = 0;
            for (int i = 0; i < p.length; i++) {
                float clipped = Math.min(Math.max(p[i], 0f), 1f);
                boolean positive = n == 1 ? p[i] > 0.5f
                        : (int) ((float) Math.ceil(clipped * (float) (n - 1)) - 1f) >= t;
                if (positive) {
                    tp += y[i] ? w[i] : 0;
                    fp += y[i] ? 0 : w[i];
                } else {
                    fn += y[i] ? w[i] : 0;
                    tn += y[i] ? 0 : w[i];
                }
            }
            double[][] rates = {{tp, tp + fn}, {tn, tn + fp}, {tp, tp + fp}};  // sensitivity, specificity, precision
            int[][] pairs = {{1, 0}, {0, 1}, {0, 2}, {2, 0}};  // {constrained, dependent} per metric
            double[] c = rates[pairs[which][0]];
            double[] d = rates[pairs[which][1]];
            float num = (float) c[0];
            float den = (float) c[0] + (float) (c[1] - c[0]);
            if ((den == 0 ? 0 : num / den) >= (float) target) {
                best = Math.max(best, d[1] == 0 ? 0 : d[0] / d[1]);
            }
        }
        return best;
    }

    @Test
    void randomBatchesAgreeWithAFloat64Reference() {
        int[] sizes = {1, 2, 3, 7, 200};
        for (long seed = 101; seed <= 106; seed++) {
            System.out.println("SensitivitySpecificityTest seed " + seed);
            Random r = new Random(seed);
            int which = (int) (seed % 4);
            int n = sizes[r.nextInt(sizes.length)];
            double target = r.nextInt(5) == 0 ? r.nextInt(3) / 2.0 : r.nextDouble();
            Integer classId = r.nextBoolean() ? 1 : null;
            Metric m = switch (which) {
                case 0 -> Metrics.sensitivityAtSpecificity(target, n, classId);
                case 1 -> Metrics.specificityAtSensitivity(target, n, classId);
                case 2 -> Metrics.precisionAtRecall(target, n, classId);
                default -> Metrics.recallAtPrecision(target, n, classId);
            };
            int rows = 40;
            float[] all = new float[0];
            boolean[] allY = new boolean[0];
            double[] allW = new double[0];
            for (int batch = 0; batch < 2; batch++) {
                float[] p = new float[rows * 3];
                float[] y = new float[rows * 3];
                float[] w = new float[rows];
                for (int i = 0; i < p.length; i++) {
                    // some predictions on the grid i/(n−1), some outside [0, 1]
                    p[i] = i % 5 == 0 && n > 1 ? (float) (r.nextInt(n) * 1.0 / (n - 1)) : (float) (r.nextDouble() * 1.2
                            - 0.1);
                    y[i] = r.nextInt(2);
                }
                for (int i = 0; i < rows; i++) {
                    w[i] = r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(3);
                }
                m.update(Tensor.of(y, rows, 3), Tensor.of(p, rows, 3), null, v(w));
                int from = all.length;
                int count = classId == null ? p.length : rows;
                all = Arrays.copyOf(all, from + count);
                allY = Arrays.copyOf(allY, from + count);
                allW = Arrays.copyOf(allW, from + count);
                for (int i = 0; i < count; i++) {
                    int e = classId == null ? i : i * 3 + classId;
                    all[from + i] = p[e];
                    allY[from + i] = y[e] != 0;
                    allW[from + i] = w[e / 3];
                }
            }
            assertThat(m.result()).as("seed %d: %s(%s, %d thresholds, class_id %s)", seed, m.name(), target, n, classId)
                    .isCloseTo(reference(which, target, n, all, allY, allW), within(1e-12));
        }
    }

    @Test
    void badArgumentsAreRefusedAsKerasRefusesThem() {
        assertThatThrownBy(() -> Metrics.sensitivityAtSpecificity(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SensitivityAtSpecificity: specificity must be in the range [0, 1], got -1.0");
        assertThatThrownBy(() -> Metrics.specificityAtSensitivity(1.5)).hasMessageContaining("sensitivity must be in");
        // confusion_metrics.py 936: `recall < 0 or recall > 1` is False for NaN, so Keras takes it; no recall is
        // >= NaN (_find_max_under_constraint's ops.greater_equal), so the result is max(..., initial=0) = 0
        Metric nan = Metrics.precisionAtRecall(Double.NaN);
        assertThat(once(nan, v(0, 1), v(0.2f, 0.7f), null)).as("a NaN target is never reached").isZero();
        assertThat(nan.kerasConfig().orElseThrow().config().get("recall")).isEqualTo(Double.NaN);
        assertThatThrownBy(() -> Metrics.recallAtPrecision(0.4, 0, null))
                .hasMessage("RecallAtPrecision: num_thresholds must be an integer > 0, got 0");
        assertThatThrownBy(() -> Metrics.recallAtPrecision(0.4, -1, null)).hasMessageContaining("got -1");
        // class_id is not checked by the constructor (confusion_metrics.py 565-578) but by indexing the
        // predictions: Python counts −1 from the end, and −4 of 3 columns is out of range either way
        assertThatThrownBy(() -> once(Metrics.precisionAtRecall(0.4, 200, -4), oneHot(v(0, 1), 2),
                columns(v(0.2f, 0.7f)), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("precision_at_recall: class_id -4 is not a class of predictions with 3 columns");
        assertThatThrownBy(() -> Metrics.get("sensitivity_at_specificity"))
                .hasMessageContaining("needs its specificity").hasMessageContaining("Metrics.sensitivityAtSpecificity");
        assertThatThrownBy(() -> Metrics.fromKerasConfig("PrecisionAtRecall", Map.of("num_thresholds", 10)))
                .hasMessageContaining("PrecisionAtRecall: recall must be a number");
        assertThatThrownBy(() -> Metrics.fromKerasConfig("RecallAtPrecision", Map.of("precision", 0.5, "top_k", 2)))
                .hasMessageContaining("'top_k'");
    }

    @Test
    void configsAreKerasGetConfigAndReadBack() {
        Metric m = Metrics.specificityAtSensitivity(0.4, 100, 2);
        assertThat(m.kerasConfig().orElseThrow().className()).isEqualTo("SpecificityAtSensitivity");
        assertThat(m.kerasConfig().orElseThrow().config()).containsExactly(Map.entry("name",
                "specificity_at_sensitivity"), Map.entry("dtype", "float32"), Map.entry("class_id", 2),
                Map.entry("num_thresholds", 100), Map.entry("sensitivity", 0.4));
        Metric back = Metrics.fromKerasConfig("SpecificityAtSensitivity", m.kerasConfig().orElseThrow().config())
                .orElseThrow();
        assertThat(back.kerasConfig()).isEqualTo(m.kerasConfig());
        Metric named = Metrics.fromKerasConfig("RecallAtPrecision", Map.of("name", "rap", "precision", 0.8))
                .orElseThrow();
        assertThat(named.name()).isEqualTo("rap");
        assertThat(named.kerasConfig().orElseThrow().config()).containsEntry("num_thresholds", 200)
                .containsEntry("class_id", null);
    }
}
