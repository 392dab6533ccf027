package io.rnn4j.layers.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * TruePositives, FalsePositives, TrueNegatives and FalseNegatives against the numbers of
 * keras/src/metrics/confusion_metrics_test.py and their docstrings, Keras's two placements (a
 * comparison with each threshold, or buckets when the thresholds are evenly spaced), ties at a
 * threshold, weights of 0 and broadcast weights, and a float64 reference on seeded random batches
 * (seeds 97 and 98, printed).
 */
class ConfusionCountsTest {
    private static Tensor v(float... x) {
        return Tensor.of(x, x.length);
    }

    private static Tensor m(int rows, float... x) {
        return Tensor.of(x, rows, x.length / rows);
    }

    // confusion_metrics_test.py test_unweighted / test_weighted
    private static final Tensor Y = m(4, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1);
    private static final Tensor P = m(4, 0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1);
    // test_unweighted_with_thresholds / test_weighted_with_thresholds
    private static final Tensor Y4 = m(4, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1);
    private static final Tensor P4 = m(4, 0.9f, 0.2f, 0.8f, 0.1f, 0.2f, 0.9f, 0.7f, 0.6f, 0.1f, 0.2f, 0.4f, 0.3f, 0,
            1, 0.7f, 0.3f);

    @Test
    void countsMatchKerasTestsUnweightedAndWeightedPerSample() {
        Object[][] cases = {
            {Metrics.truePositives(), 7.0, 12.0},
            {Metrics.falsePositives(), 7.0, 14.0},
            {Metrics.trueNegatives(), 3.0, 4.0},
            {Metrics.falseNegatives(), 3.0, 5.0},
        };
        for (Object[] c : cases) {
            ConfusionCount k = (ConfusionCount) c[0];
            k.update(Y, P);
            assertThat(k.result()).as(k.name() + " test_unweighted").isEqualTo((double) c[1]);
            k.reset();
            assertThat(k.result()).as("after reset").isZero();
            k.update(Y, P, null, v(1, 1.5f, 2, 2.5f));
            assertThat(k.result()).as(k.name() + " test_weighted").isEqualTo((double) c[2]);
            assertThat(k.direction()).as("Keras sets no _direction on the counts").isEqualTo(Metric.Direction.UNKNOWN);
        }
        assertThat(List.of(Metrics.truePositives(), Metrics.falsePositives(), Metrics.trueNegatives(),
                Metrics.falseNegatives())).extracting(Metric::name)
                .containsExactly("true_positives", "false_positives", "true_negatives", "false_negatives");

        // the docstrings: FalsePositives()([0, 1, 0, 0], [0, 0, 1, 1]) = 2, weighted [0, 0, 1, 0] = 1
        ConfusionCount fp = Metrics.falsePositives();
        fp.update(v(0, 1, 0, 0), v(0, 0, 1, 1));
        assertThat(fp.result()).isEqualTo(2.0);
        fp.reset();
        fp.update(v(0, 1, 0, 0), v(0, 0, 1, 1), null, v(0, 0, 1, 0));
        assertThat(fp.result()).as("a weight of 0 takes a prediction out").isEqualTo(1.0);
    }

    @Test
    void severalThresholdsGiveOneCountEachAsKerasTestsWithEveryWeightShape() {
        Tensor perValue = m(4, 1, 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 5, 15, 10, 0);
        Object[][] cases = {
            // metric, unweighted, weights, weighted (test_unweighted_with_thresholds / test_weighted_with_thresholds)
            {Metrics.falsePositives(0.15, 0.5, 0.85), new double[] {7, 4, 2}, perValue, new double[] {125, 42, 12}},
            {Metrics.truePositives(0.15, 0.5, 0.85), new double[] {6, 3, 1}, Tensor.of(new float[] {37}),
                new double[] {222, 111, 37}},
            {Metrics.falseNegatives(0.15, 0.5, 0.85), new double[] {1, 4, 6}, m(4, 3, 5, 7, 4),
                new double[] {4, 16, 23}},
            // ((0, 2, 3, 5),): shape (1, 4), one weight per column, broadcast over the rows
            {Metrics.trueNegatives(0.15, 0.5, 0.85), new double[] {2, 5, 7}, m(1, 0, 2, 3, 5),
                new double[] {5, 15, 23}},
        };
        for (Object[] c : cases) {
            ConfusionCount k = (ConfusionCount) c[0];
            k.update(Y4, P4);
            assertThat(k.perThreshold()).as(k.name()).containsExactly((double[]) c[1]);
            k.reset();
            k.update(Y4, P4, null, (Tensor) c[2]);
            assertThat(k.perThreshold()).as(k.name() + " weighted " + ((Tensor) c[2]).shape())
                    .containsExactly((double[]) c[3]);
            assertThatThrownBy(k::result).as("a vector result is no log entry")
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("perThreshold()");
            assertThatThrownBy(() -> Metrics.requireScalar(k)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("one count per threshold");
        }
    }

    @Test
    void aTieAtTheThresholdIsNegativeAndEvenThresholdsCountThroughKerasBuckets() {
        ConfusionCount tie = Metrics.truePositives();
        tie.update(v(1, 1, 1), v(0.5f, 0.50000006f, 0.49999997f));
        assertThat(tie.result()).as("only p > 0.5 is positive: 0.5 itself is not").isEqualTo(1.0);

        // [0, 0.5, 1] is evenly spaced: Keras clips to [0, 1] and places p in bucket ceil(2p) − 1, so 1.5
        // counts as 1.0 (not above the threshold 1) and 0 falls in bucket −1 (dropped, as 0 > 0 is false)
        Tensor ones = v(1, 1, 1, 1, 1, 1);
        Tensor p = v(0, 0.5f, 0.7f, 1, 1.5f, -0.2f);
        ConfusionCount even = Metrics.truePositives(0, 0.5, 1);
        even.update(ones, p);
        assertThat(even.perThreshold()).containsExactly(4, 3, 0);
        // the same thresholds out of order are compared one by one, unclipped: 1.5 > 1 counts
        ConfusionCount compared = Metrics.truePositives(0.5, 0, 1);
        compared.update(ones, p);
        assertThat(compared.perThreshold()).containsExactly(3, 4, 1);
        // within np.allclose of even (atol 1e-7, rtol 1e-5) Keras takes buckets too: 0.5000005 falls above
        // the threshold 0.500001 it is below
        ConfusionCount nearlyEven = Metrics.falsePositives(0, 0.500001, 1);
        nearlyEven.update(v(0), v(0.5000005f));
        assertThat(nearlyEven.perThreshold()).containsExactly(1, 1, 0);
        ConfusionCount notEven = Metrics.falsePositives(0, 0.50002, 1);
        notEven.update(v(0), v(0.5000005f));
        assertThat(notEven.perThreshold()).as("outside the tolerance: compared").containsExactly(1, 0, 0);
    }

    /** Keras's bucket for evenly spaced thresholds, from its formula: ceil(clip(p)·(n−1)) − 1 in float32. */
    private static int kerasBucket(float p, int n) {
        float clipped = Math.min(Math.max(p, 0f), 1f);
        return (int) ((float) Math.ceil(clipped * (float) (n - 1)) - 1f);
    }

    @Test
    void randomBatchesAgreeWithAFloat64Reference() {
        for (long seed : new long[] {97, 98}) {
            System.out.println("ConfusionCountsTest seed " + seed);
            Random r = new Random(seed);
            double[] given = {r.nextDouble(), r.nextDouble(), 0.5, r.nextDouble()};
            double[] even = {0, 0.25, 0.5, 0.75, 1};
            ConfusionCount[] metrics = {Metrics.truePositives(given), Metrics.falsePositives(given),
                Metrics.trueNegatives(given), Metrics.falseNegatives(given), Metrics.truePositives(even),
                Metrics.falseNegatives(even)};
            double[][] expected = new double[metrics.length][];
            for (int i = 0; i < metrics.length; i++) {
                expected[i] = new double[metrics[i].thresholds().length];
            }
            for (int batch = 0; batch < 3; batch++) {
                int rows = 3 + r.nextInt(5);
                float[] y = new float[rows * 2];
                float[] p = new float[rows * 2];
                float[] w = new float[rows];
                for (int i = 0; i < p.length; i++) {
                    y[i] = r.nextInt(3) == 0 ? 0 : r.nextInt(2) * 2;  // non-zero labels are positive
                    p[i] = i % 7 == 0 ? 0.5f : (float) (r.nextDouble() * 1.4 - 0.2);
                }
                for (int i = 0; i < rows; i++) {
                    w[i] = r.nextInt(4) == 0 ? 0 : r.nextFloat() * 3;
                }
                for (int k = 0; k < metrics.length; k++) {
                    metrics[k].update(m(rows, y), m(rows, p), null, v(w));
                    double[] t = metrics[k].thresholds();
                    boolean buckets = t.length == 5;
                    for (int j = 0; j < t.length; j++) {
                        for (int i = 0; i < p.length; i++) {
                            boolean positive = buckets ? kerasBucket(p[i], t.length) >= j : p[i] > (float) t[j];
                            boolean truth = y[i] != 0;
                            boolean counted = switch (k) {
                                case 0, 4 -> positive && truth;
                                case 1 -> positive && !truth;
                                case 2 -> !positive && !truth;
                                default -> !positive && truth;
                            };
                            expected[k][j] += counted ? w[i / 2] : 0;
                        }
                    }
                }
            }
            for (int k = 0; k < metrics.length; k++) {
                assertThat(metrics[k].perThreshold()).as("seed %d, %s at %s", seed, metrics[k].name(),
                        java.util.Arrays.toString(metrics[k].thresholds())).containsExactly(expected[k], within(1e-9));
            }
        }
    }

    @Test
    void badThresholdsAndWeightsAreRefusedNamingThem() {
        assertThatThrownBy(() -> Metrics.truePositives(-1, 0.5, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TruePositives: threshold values must be in [0, 1], got [-1.0, 2.0]");
        assertThatThrownBy(() -> Metrics.falseNegatives(Double.NaN)).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> Metrics.fromKerasConfig("FalsePositives", Map.of("thresholds", List.of(0.2, "x"))))
                .hasMessageContaining("FalsePositives: threshold values must be in [0, 1]");
        assertThatThrownBy(() -> Metrics.fromKerasConfig("TrueNegatives", Map.of("thresholds", List.of())))
                .hasMessageContaining("at least one");
        assertThatThrownBy(() -> Metrics.fromKerasConfig("TruePositives", Map.of("threshold", 0.3)))
                .hasMessageContaining("'threshold'");
        assertThatThrownBy(() -> Metrics.truePositives().update(Y, P, null, m(2, 1, 2, 3, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("true_positives: sample weights (2, 2)");
        assertThatThrownBy(() -> Metrics.truePositives().update(m(4, 1, 0, 1, 0), P))
                .hasMessageContaining("labels (4, 1)");
    }

    @Test
    void configsAreKerasGetConfigAndReadBack() {
        assertThat(Metrics.truePositives().kerasConfig()).as("the name alone rebuilds the default").isEmpty();
        Map<String, Object> one = Metrics.falseNegatives(0.3).kerasConfig().orElseThrow().config();
        assertThat(one).containsExactly(Map.entry("name", "false_negatives"), Map.entry("dtype", "float32"),
                Map.entry("thresholds", 0.3));
        var several = Metrics.fromKerasConfig("TruePositives", Map.of("name", "my_tp", "thresholds",
                List.of(0.4, 0.9))).orElseThrow();
        assertThat(several.name()).isEqualTo("my_tp");
        assertThat(((ConfusionCount) several).thresholds()).containsExactly(0.4, 0.9);
        assertThat(several.kerasConfig().orElseThrow().config()).containsEntry("thresholds", List.of(0.4, 0.9));
        var byName = Metrics.get("TrueNegatives");
        assertThat(byName.name()).as("compile names a string metric by the string").isEqualTo("TrueNegatives");
        assertThat(byName.kerasConfig().orElseThrow().config()).containsEntry("thresholds", null);
    }
}
