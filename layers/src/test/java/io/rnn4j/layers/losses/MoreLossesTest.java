package io.rnn4j.layers.losses;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.GradCheck;
import io.rnn4j.layers.autograd.Variable;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * MAPE, MSLE, log_cosh, KL divergence, Poisson, cosine similarity, the hinges and label smoothing:
 * each against Keras's formula (keras/src/losses/losses.py) written out here in float64 per sample
 * (bar 1e-5 relative), with sample weights and a Keras mask reduced as sum_over_batch_size, and the
 * gradient against central differences (GradCheck). Seed 97.
 */
class MoreLossesTest {
    private static final double EPS = 1e-7;
    private final Random r = new Random(97);

    /** A loss and its float64 per-sample reference over a row of the last axis. */
    private record Case(Loss loss, BiFunction<double[], double[], Double> reference, float lo, float hi) {
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    private static double clip(double x, double lo, double hi) {
        return Math.min(Math.max(x, lo), hi);
    }

    private static List<Case> cases() {
        return List.of(
            new Case(Losses.meanAbsolutePercentageError(), (y, p) -> {
                double[] d = new double[y.length];
                for (int j = 0; j < y.length; j++) {
                    d[j] = Math.abs((y[j] - p[j]) / Math.max(Math.abs(y[j]), EPS));
                }
                return 100 * mean(d);
            }, -2, 2),
            new Case(Losses.meanSquaredLogarithmicError(), (y, p) -> {
                double[] d = new double[y.length];
                for (int j = 0; j < y.length; j++) {
                    double e = Math.log(Math.max(p[j], EPS) + 1) - Math.log(Math.max(y[j], EPS) + 1);
                    d[j] = e * e;
                }
                return mean(d);
            }, 0.05f, 3),
            new Case(Losses.logCosh(), (y, p) -> {
                double[] d = new double[y.length];
                for (int j = 0; j < y.length; j++) {
                    d[j] = Math.log(Math.cosh(p[j] - y[j]));
                }
                return mean(d);
            }, -3, 3),
            new Case(Losses.klDivergence(), (y, p) -> {
                double s = 0;
                for (int j = 0; j < y.length; j++) {
                    double t = clip(y[j], EPS, 1);
                    s += t * Math.log(t / clip(p[j], EPS, 1));
                }
                return s;
            }, 0.05f, 1),
            new Case(Losses.poisson(), (y, p) -> {
                double[] d = new double[y.length];
                for (int j = 0; j < y.length; j++) {
                    d[j] = p[j] - y[j] * Math.log(p[j] + EPS);
                }
                return mean(d);
            }, 0.1f, 3),
            new Case(Losses.cosineSimilarity(), (y, p) -> {
                double yy = 0;
                double pp = 0;
                double yp = 0;
                for (int j = 0; j < y.length; j++) {
                    yy += y[j] * y[j];
                    pp += p[j] * p[j];
                    yp += y[j] * p[j];
                }
                return -yp / Math.sqrt(yy) / Math.sqrt(pp);
            }, -1, 1),
            new Case(Losses.hinge(), (y, p) -> {
                double[] d = new double[y.length];
                for (int j = 0; j < y.length; j++) {
                    d[j] = Math.max(1 - y[j] * p[j], 0);
                }
                return mean(d);
            }, -2, 2),
            new Case(Losses.squaredHinge(), (y, p) -> {
                double[] d = new double[y.length];
                for (int j = 0; j < y.length; j++) {
                    double m = Math.max(1 - y[j] * p[j], 0);
                    d[j] = m * m;
                }
                return mean(d);
            }, -2, 2),
            new Case(Losses.categoricalHinge(), (y, p) -> {
                double pos = 0;
                double neg = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < y.length; j++) {
                    pos += y[j] * p[j];
                    neg = Math.max(neg, (1 - y[j]) * p[j]);
                }
                return Math.max(neg - pos + 1, 0);
            }, -2, 2));
    }

    /** Labels as each loss expects them: ±1 for the hinges, one-hot for categorical hinge, in range otherwise. */
    private Tensor labels(Case c, int... dims) {
        Tensor t = uniform(r, c.lo, c.hi, dims);
        float[] v = t.toArray();
        int last = dims[dims.length - 1];
        for (int i = 0; i < v.length; i++) {
            switch (c.loss.name()) {
                case "hinge", "squared_hinge" -> v[i] = r.nextBoolean() ? 1 : -1;
                case "categorical_hinge" -> v[i] = i % last == (i / last) % last ? 1 : 0;
                case "kl_divergence" -> v[i] = r.nextInt(5) == 0 ? 0 : v[i];    // zeros: clipped to ε
                default -> { }
            }
        }
        return Tensor.of(v, dims);
    }

    /** Per-sample float64 values of {@code c} over rows of the last axis. */
    private static double[] perSample(Case c, Tensor y, Tensor p) {
        float[] yv = y.toArray();
        float[] pv = p.toArray();
        int last = p.dim(-1);
        double[] out = new double[pv.length / last];
        for (int row = 0; row < out.length; row++) {
            double[] a = new double[last];
            double[] b = new double[last];
            for (int j = 0; j < last; j++) {
                a[j] = yv[row * last + j];
                b[j] = pv[row * last + j];
            }
            out[row] = c.reference.apply(a, b);
        }
        return out;
    }

    @Test
    void eachLossMatchesItsFloat64FormulaWithWeightsAndAMask() {
        Tensor w = Tensor.of(new float[] {0.5f, 2, 1}, 3);
        Tensor mask = Tensor.of(new float[] {1, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0}, 3, 4);
        float[] m = mask.toArray();
        for (Case c : cases()) {
            Tensor y = labels(c, 3, 4, 5);
            Tensor p = uniform(r, c.lo, c.hi, 3, 4, 5);
            double[] ref = perSample(c, y, p);
            double plain = 0;
            double weighted = 0;
            double masked = 0;
            double valid = 0;
            for (int i = 0; i < ref.length; i++) {
                plain += ref[i];
                weighted += ref[i] * w.toArray()[i / 4];
                masked += ref[i] * w.toArray()[i / 4] * m[i];
                valid += m[i];
            }
            String name = c.loss.name();
            Variable yv = Variable.constant(y);
            Variable pv = Variable.constant(p);
            double tol = 1e-5 * Math.max(1, Math.abs(plain / ref.length));
            assertThat((double) c.loss.compute(yv, pv).value().item()).as(name).isCloseTo(plain / ref.length,
                    within(tol));
            assertThat((double) c.loss.compute(yv, pv, w).value().item()).as(name + " with sample weights")
                    .isCloseTo(weighted / ref.length, within(tol));
            assertThat((double) c.loss.compute(yv, pv, w, mask).value().item()).as(name + " with weights and mask")
                    .isCloseTo(masked / valid, within(tol));
        }
    }

    @Test
    void eachLossGradientMatchesCentralDifferences() {
        for (Case c : cases()) {
            Tensor y = labels(c, 3, 4);
            // keep predictions off the kinks (|y·p| = 1, clip edges) the finite differences would straddle
            Tensor p = uniform(r, c.lo, c.hi, 3, 4);
            float[] pv = p.toArray();
            for (int i = 0; i < pv.length; i++) {
                if (Math.abs(Math.abs(pv[i]) - 1) < 0.05) {
                    pv[i] += 0.1f;
                }
            }
            GradCheck.check(c.loss.name(), v -> c.loss.compute(v[1], v[0]), new boolean[] {false, true},
                    Tensor.of(pv, 3, 4), y);
        }
    }

    @Test
    void hingeTakesZeroOneLabelsAsMinusOneOneOnlyWhenAllAreZeroOrOne() {
        Tensor p = Tensor.of(new float[] {0.6f, -0.4f, 2f, -1.5f}, 2, 2);
        // Keras's docstring-style check: 0/1 labels convert to −1/1
        double converted = Losses.hinge().compute(Variable.constant(Tensor.of(new float[] {1, 0, 1, 0}, 2, 2)),
                Variable.constant(p)).value().item();
        double signs = Losses.hinge().compute(Variable.constant(Tensor.of(new float[] {1, -1, 1, -1}, 2, 2)),
                Variable.constant(p)).value().item();
        assertThat(converted).isEqualTo(signs).isCloseTo((0.4 + 0.6 + 0 + 0) / 4, within(1e-7));
        // a 2 among the labels: nothing converts, so label 0 gives max(1 − 0, 0) = 1
        double unconverted = Losses.hinge().compute(Variable.constant(Tensor.of(new float[] {2, 0, 1, 0}, 2, 2)),
                Variable.constant(p)).value().item();
        assertThat(unconverted).isCloseTo((0 + 1 + 0 + 1) / 4.0, within(1e-7));
    }

    @Test
    void labelSmoothingSqueezesLabelsAsKeras() {
        Tensor y = Tensor.of(new float[] {0, 1, 0, 0, 1, 0}, 2, 3);
        Tensor p = Tensor.of(new float[] {0.2f, 0.7f, 0.1f, 0.5f, 0.3f, 0.2f}, 2, 3);
        double s = 0.2;
        double cce = 0;
        double bce = 0;
        float[] yv = y.toArray();
        float[] pv = p.toArray();
        for (int i = 0; i < 6; i++) {
            double q = pv[i];           // rows already sum to 1; none needs clipping
            cce -= (yv[i] * (1 - s) + s / 3) * Math.log(q);
            double t = yv[i] * (1 - s) + 0.5 * s;
            bce -= (t * Math.log(q) + (1 - t) * Math.log(1 - q)) / 3;
        }
        assertThat((double) Losses.categoricalCrossentropy(false, s).compute(Variable.constant(y), Variable.constant(p))
                .value().item()).isCloseTo(cce / 2, within(1e-6));
        assertThat((double) Losses.binaryCrossentropy(false, s).compute(Variable.constant(y), Variable.constant(p))
                .value().item()).isCloseTo(bce / 2, within(1e-6));
        assertThat(Losses.binaryCrossentropy(true, s).kerasConfig().orElseThrow().config())
                .containsEntry("label_smoothing", s).containsEntry("from_logits", true);
        GradCheck.check("smoothed cce from logits", v -> Losses.categoricalCrossentropy(true, s).compute(v[1], v[0]),
                new boolean[] {false, true}, uniform(r, -2, 2, 2, 3), y);
        assertThatThrownBy(() -> Losses.binaryCrossentropy(false, 1.5)).hasMessageContaining("label_smoothing")
                .hasMessageContaining("1.5");
        assertThatThrownBy(() -> Losses.categoricalCrossentropy(false, -0.1)).hasMessageContaining("[0, 1]");
    }

    @Test
    void namesConfigsAndLabelShapesAreKeras() {
        assertThat(cases()).extracting(c -> c.loss.name()).containsExactly("mean_absolute_percentage_error",
                "mean_squared_logarithmic_error", "log_cosh", "kl_divergence", "poisson", "cosine_similarity", "hinge",
                "squared_hinge", "categorical_hinge");
        assertThat(cases()).extracting(c -> c.loss.kerasConfig().orElseThrow().className()).containsExactly(
                "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError", "LogCosh", "KLDivergence", "Poisson",
                "CosineSimilarity", "Hinge", "SquaredHinge", "CategoricalHinge");
        assertThat(Losses.cosineSimilarity().kerasConfig().orElseThrow().config()).containsEntry("axis", -1)
                .containsEntry("reduction", "sum_over_batch_size");
        // MAPE with a zero label divides by ε, as Keras
        double zero = Losses.meanAbsolutePercentageError().compute(Variable.constant(Tensor.of(new float[] {0}, 1, 1)),
                Variable.constant(Tensor.of(new float[] {1e-7f}, 1, 1))).value().item();
        assertThat(zero).isCloseTo(100 * (double) 1e-7f / (double) 1e-7f, within(1e-3));
        assertThatThrownBy(() -> Losses.poisson().checkLabels(io.rnn4j.engine.Shape.of(4, 3),
                io.rnn4j.engine.Shape.of(4, 2))).hasMessageContaining("poisson").hasMessageContaining("(4, 3)");
    }
}
