package io.rnn4j.layers.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * R2Score against its docstring and keras/src/metrics/regression_metrics_test.py (the sklearn and
 * tensorflow-addons comparisons), the rules when the total sum of squares is 0, weights of 0, the
 * adjusted score and its fallbacks, Keras's rank handling, and a float64 reference (two-pass
 * variance) on seeded random batches (seeds 111 to 114, printed).
 */
class R2ScoreTest {
    private static Tensor m(int rows, float... x) {
        return Tensor.of(x, rows, x.length / rows);
    }

    private static Tensor v(float... x) {
        return Tensor.of(x, x.length);
    }

    private static final Tensor Y3 = m(3, 0, 0, 1, 0, 1, 0, 1, 0, 0);

    @Test
    void docstringAndKerasTestNumbers() {
        R2Score r2 = Metrics.r2Score();
        r2.update(m(3, 1, 4, 3), m(3, 2, 4, 4));
        assertThat(r2.result()).as("docstring").isCloseTo(0.57142854, within(1e-6));
        assertThat(r2.name()).isEqualTo("r2_score");
        assertThat(r2.direction()).isEqualTo(Metric.Direction.UP);

        // test_r2_sklearn_comparison
        Tensor p = m(3, 0.4f, 0.5f, 0.6f, 0.1f, 0.2f, 0.3f, 0.5f, 0.8f, 0.2f);
        assertThat(perClass(null, 0, p, null)).containsExactly(new double[] {0.37, -1.295, 0.565}, within(1e-6));
        assertThat(perClass(null, 1, p, null)).containsExactly(new double[] {-0.26, -3.59, 0.13}, within(1e-6));
        assertThat(result("uniform_average", 0, p, null)).isCloseTo(-0.12, within(1e-6));
        assertThat(result("variance_weighted_average", 0, p, null)).isCloseTo(-0.12, within(1e-6));

        // test_r2_tfa_comparison, sample weights [0.8, 0.1, 0.4]; the values with regressors are HEAD's
        // (keras-team/keras#23334: n = 3 samples), not 3.15.1's (n = rows × outputs = 9)
        Tensor q = m(3, 0.4f, 0.9f, 1.6f, 0.1f, 1.2f, 0.6f, 1.5f, 0.8f, 0.6f);
        Tensor w = v(0.8f, 0.1f, 0.4f);
        double[] plain = {0.17305559, -8.836666, -0.521};
        assertThat(perClass(null, 0, q, w)).containsExactly(plain, within(1e-6));
        assertThat(perClass(null, 1, q, w)).containsExactly(new double[] {-0.65388882, -18.673332, -2.042},
                within(1e-6));
        assertThat(perClass(null, 2, q, w)).as("2 regressors, 3 samples: standard R2").containsExactly(plain,
                within(1e-6));
        Object[][] cases = {
            {"uniform_average", 0, -3.0615367889404297},
            {"uniform_average", 1, -7.123073577880859},
            {"uniform_average", 2, -3.0615367889404297},
            {"variance_weighted_average", 0, -1.3710224628448486},
            {"variance_weighted_average", 1, -3.742044448852539},
            {"variance_weighted_average", 2, -1.3710224628448486},
        };
        for (Object[] c : cases) {
            // Keras's assertAllClose(atol=1e-6) on its float32 numbers: atol 1e-6 + rtol 1e-6·|expected|
            assertThat(result((String) c[0], (int) c[1], q, w)).as("%s, %d regressors", c[0], c[1])
                    .isCloseTo((double) c[2], within(1e-6 + 1e-6 * Math.abs((double) c[2])));
        }
    }

    private static double[] perClass(String aggregation, int regressors, Tensor p, Tensor w) {
        R2Score r2 = Metrics.r2Score(aggregation, regressors);
        r2.update(Y3, p, null, w);
        return r2.perClass();
    }

    private static double result(String aggregation, int regressors, Tensor p, Tensor w) {
        R2Score r2 = Metrics.r2Score(aggregation, regressors);
        r2.update(Y3, p, null, w);
        return r2.result();
    }

    @Test
    void aTotalSumOfSquaresOfZeroFollowsKerasRule() {
        // column 0 constant: total 0 under a residual of 1 gives −inf, which Keras makes 0; column 1: 1 − 1/2
        R2Score r2 = Metrics.r2Score(null, 0);
        r2.update(m(2, 2, 1, 2, 3), m(2, 1, 1, 2, 2));
        assertThat(r2.perClass()).containsExactly(0, 0.5);
        R2Score weighted = Metrics.r2Score("variance_weighted_average", 0);
        weighted.update(m(2, 2, 1, 2, 3), m(2, 1, 1, 2, 2));
        assertThat(weighted.result()).as("the constant column weighs 0").isEqualTo(0.5);
        // constant and predicted exactly: 1 − 0/0 is NaN, and stays NaN in Keras
        R2Score exact = Metrics.r2Score();
        exact.update(m(2, 2, 2), m(2, 2, 2));
        assertThat(exact.result()).isNaN();
        // 100 labels of 0.1f: the formula leaves rounding in total instead of 0 (−2.7e-15 in float64; in Keras's
        // float32, summed in order, −1.0e-6, so Keras's r2 is about +9.9e5): rnn4j's deliberate exact 0
        float[] y = new float[100];
        float[] p = new float[100];
        Arrays.fill(y, 0.1f);
        Arrays.fill(p, 0.2f);
        R2Score tenths = Metrics.r2Score();
        tenths.update(Tensor.of(y, 100, 1), Tensor.of(p, 100, 1));
        assertThat(tenths.result()).as("constant labels: total exactly 0, so r2 0").isZero();
        // every weight 0: count 0, mean 0/0, NaN as in Keras
        R2Score none = Metrics.r2Score();
        none.update(m(2, 1, 3), m(2, 1, 2), null, v(0, 0));
        assertThat(none.result()).isNaN();
        none.reset();
        assertThat(none.result()).as("after reset_state nothing is counted: NaN, as Keras's").isNaN();
        assertThat(Metrics.r2Score().result()).as("before any update").isZero();
        assertThat(Metrics.r2Score().perClass()).isEmpty();
    }

    @Test
    void weightsOfZeroLeaveSamplesOutAndTheAdjustedScoreFallsBackAsKeras() {
        // rows of weight 0 count nowhere, not even in num_samples (n = 4 here, not 6)
        Tensor y = m(6, 1, 2, 3, 4, 100, -50);
        Tensor p = m(6, 1.5f, 1.5f, 3.5f, 3, 0, 0);
        Tensor w = v(1, 1, 1, 1, 0, 0);
        R2Score plain = Metrics.r2Score();
        plain.update(y, p, null, w);
        double r2 = 1 - (0.25 + 0.25 + 0.25 + 1) / 5.0;  // mean 2.5, total 5
        assertThat(plain.result()).isCloseTo(r2, within(1e-12));
        R2Score adjusted = Metrics.r2Score("uniform_average", 2);
        adjusted.update(y, p, null, w);
        assertThat(adjusted.result()).isCloseTo(1 - (1 - r2) * 3 / 1, within(1e-12));
        R2Score tooMany = Metrics.r2Score("uniform_average", 3);
        tooMany.update(y, p, null, w);
        assertThat(tooMany.result()).as("p = n − 1: standard R2 with a warning").isCloseTo(r2, within(1e-12));
        R2Score wayTooMany = Metrics.r2Score("uniform_average", 9);
        wayTooMany.update(y, p, null, w);
        assertThat(wayTooMany.result()).as("p > n − 1: standard R2 with a warning").isCloseTo(r2, within(1e-12));
    }

    @Test
    void ranksAreMatchedAsKerasSqueezeOrExpandToSameRank() {
        R2Score a = Metrics.r2Score();
        a.update(v(1, 4, 3), m(3, 2, 4, 4));
        assertThat(a.result()).as("labels (3,) with predictions (3, 1)").isCloseTo(4.0 / 7, within(1e-12));
        R2Score b = Metrics.r2Score(null, 0);
        // predictions (2, 3, 1) with labels (2, 3): the trailing 1 dropped, three outputs over 2 samples
        b.update(m(2, 1, 2, 3, 3, 4, 1), Tensor.of(new float[] {1, 2, 2.5f, 3, 4, 1.5f}, 2, 3, 1));
        assertThat(b.perClass()).containsExactly(new double[] {1, 1, 1 - 0.5 / 2}, within(1e-12));
        assertThatThrownBy(() -> Metrics.r2Score().update(v(0, 1), v(0, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expects 2D inputs");
        assertThatThrownBy(() -> Metrics.r2Score().update(Tensor.of(new float[4], 1, 2, 2),
                Tensor.of(new float[4], 1, 2, 2))).hasMessageContaining("got labels (1, 2, 2)");
        // sums sized by the predictions' 1 output cannot take labels' sums of 2 (Keras's assign refuses them),
        // nor do 2 label columns broadcast against 3 predicted ones
        assertThatThrownBy(() -> Metrics.r2Score().update(m(2, 1, 2, 3, 4), m(2, 1, 2)))
                .hasMessageContaining("r2_score: labels (2, 2) do not broadcast against predictions (2, 1)");
        assertThatThrownBy(() -> Metrics.r2Score().update(m(2, 1, 2, 3, 4), m(2, 1, 2, 3, 4, 5, 6)))
                .hasMessageContaining("labels (2, 2) do not broadcast against predictions (2, 3)");
        assertThatThrownBy(() -> Metrics.r2Score().update(m(2, 1, 2), m(3, 1, 2, 3)))
                .as("rows 2 and 3").hasMessageContaining("labels (2, 1) do not broadcast");
        assertThatThrownBy(() -> a.update(m(1, 1, 2), m(1, 1, 2))).hasMessageContaining("built for 1 outputs");
        assertThatThrownBy(() -> Metrics.r2Score().update(m(2, 1, 2), m(2, 1, 2), null, v(1, 2, 3)))
                .hasMessageContaining("sample weights (3,) do not broadcast to (2, 1)");
        // the mask is not read: a masked row still counts
        R2Score masked = Metrics.r2Score();
        masked.update(m(3, 1, 4, 3), m(3, 2, 4, 4), v(1, 0, 1));
        assertThat(masked.result()).isCloseTo(4.0 / 7, within(1e-12));
    }

    /** Keras's formulas in float64, with the total as Σw(y − mean)² over a second pass. */
    private static double[] reference(float[] y, float[] p, double[] w, int outputs) {
        int rows = y.length / outputs;
        double[] r2 = new double[outputs + 1];
        double weighted = 0;
        double totals = 0;
        for (int k = 0; k < outputs; k++) {
            double sw = 0;
            double swy = 0;
            for (int r = 0; r < rows; r++) {
                sw += w[r * outputs + k];
                swy += w[r * outputs + k] * y[r * outputs + k];
            }
            double mean = swy / sw;
            double total = 0;
            double residual = 0;
            for (int r = 0; r < rows; r++) {
                int i = r * outputs + k;
                total += w[i] * (y[i] - mean) * (y[i] - mean);
                residual += w[i] * ((double) y[i] - p[i]) * ((double) y[i] - p[i]);
            }
            r2[k] = 1 - residual / total;
            weighted += total * r2[k];
            totals += total;
        }
        r2[outputs] = weighted / totals;
        return r2;
    }

    @Test
    void randomBatchesAgreeWithAFloat64Reference() {
        for (long seed = 111; seed <= 114; seed++) {
            System.out.println("R2ScoreTest seed " + seed);
            Random r = new Random(seed);
            int outputs = 1 + r.nextInt(4);
            int rows = 0;
            float[] ys = new float[0];
            float[] ps = new float[0];
            double[] ws = new double[0];
            R2Score uniform = Metrics.r2Score();
            R2Score byVariance = Metrics.r2Score("variance_weighted_average", 0);
            R2Score perClass = Metrics.r2Score(null, 0);
            boolean perValue = seed % 2 == 0;
            for (int batch = 0; batch < 3; batch++) {
                int n = 2 + r.nextInt(6);
                float[] y = new float[n * outputs];
                float[] p = new float[n * outputs];
                float[] w = new float[perValue ? n * outputs : n];
                for (int i = 0; i < y.length; i++) {
                    y[i] = (float) (r.nextGaussian() * 3 + 1);
                    p[i] = (float) (y[i] + r.nextGaussian());
                }
                for (int i = 0; i < w.length; i++) {
                    w[i] = r.nextInt(4) == 0 ? 0 : r.nextFloat() * 2;
                }
                Tensor wt = perValue ? Tensor.of(w, n, outputs) : v(w);
                for (R2Score m : new R2Score[] {uniform, byVariance, perClass}) {
                    m.update(Tensor.of(y, n, outputs), Tensor.of(p, n, outputs), null, wt);
                }
                ys = concat(ys, y);
                ps = concat(ps, p);
                ws = Arrays.copyOf(ws, (rows + n) * outputs);
                for (int i = 0; i < y.length; i++) {
                    ws[rows * outputs + i] = perValue ? w[i] : w[i / outputs];
                }
                rows += n;
            }
            double[] ref = reference(ys, ps, ws, outputs);
            double[] each = Arrays.copyOf(ref, outputs);
            assertThat(perClass.perClass()).as("seed %d per output", seed).containsExactly(each, within(1e-9));
            assertThat(uniform.result()).as("seed %d uniform_average", seed)
                    .isCloseTo(Arrays.stream(each).average().orElseThrow(), within(1e-9));
            assertThat(byVariance.result()).as("seed %d variance_weighted_average", seed)
                    .isCloseTo(ref[outputs], within(1e-9));
        }
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void weightsBroadcastAsKeras() {
        // (1, 2): one weight per output; a scalar; one per sample
        R2Score perOutput = Metrics.r2Score(null, 0);
        perOutput.update(m(3, 1, 1, 4, 2, 3, 3), m(3, 2, 1, 4, 2, 4, 3), null, m(1, 5, 0));
        assertThat(perOutput.perClass()[0]).isCloseTo(4.0 / 7, within(1e-12));
        assertThat(perOutput.perClass()[1]).as("weights 0: nothing counted, NaN").isNaN();
        R2Score scalar = Metrics.r2Score();
        scalar.update(m(3, 1, 4, 3), m(3, 2, 4, 4), null, Tensor.of(new float[] {3}));
        assertThat(scalar.result()).isCloseTo(4.0 / 7, within(1e-12));
    }

    @Test
    void badArgumentsAreRefusedAndConfigsAreKerasGetConfig() {
        assertThatThrownBy(() -> Metrics.r2Score("wrong", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("R2Score: class_aggregation must be one of None, 'uniform_average', "
                        + "'variance_weighted_average', got 'wrong'");
        assertThatThrownBy(() -> Metrics.r2Score("uniform_average", -1)).hasMessageContaining("num_regressors");
        R2Score vector = Metrics.r2Score(null, 2);
        assertThatThrownBy(vector::result).isInstanceOf(IllegalStateException.class).hasMessageContaining("perClass()");
        assertThatThrownBy(() -> Metrics.requireScalar(vector)).hasMessageContaining("class_aggregation=None");

        assertThat(Metrics.r2Score().kerasConfig()).as("the name alone rebuilds the default").isEmpty();
        Map<String, Object> config = vector.kerasConfig().orElseThrow().config();
        assertThat(config.keySet()).containsExactly("name", "dtype", "class_aggregation", "num_regressors");
        assertThat(config).containsEntry("name", "r2_score").containsEntry("dtype", "float32")
                .containsEntry("class_aggregation", null).containsEntry("num_regressors", 2);
        Metric back = Metrics.fromKerasConfig("R2Score", vector.kerasConfig().orElseThrow().config()).orElseThrow();
        assertThat(back.kerasConfig()).isEqualTo(vector.kerasConfig());
        assertThat(((R2Score) Metrics.fromKerasConfig("R2Score", Map.of("name", "r2")).orElseThrow()).classAggregation())
                .as("absent: Keras's default").isEqualTo("uniform_average");
        Map<String, Object> bad = new HashMap<>();
        bad.put("class_aggregation", "median");
        assertThatThrownBy(() -> Metrics.fromKerasConfig("R2Score", bad)).hasMessageContaining("got 'median'");
        assertThat(Metrics.get("R2Score").name()).isEqualTo("R2Score");
    }
}
