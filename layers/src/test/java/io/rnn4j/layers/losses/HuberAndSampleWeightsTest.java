package io.rnn4j.layers.losses;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.GradCheck;
import io.rnn4j.layers.autograd.Variable;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Huber against Keras's formula in float64 (bar 1e-7; its gradient against central differences),
 * and sample weights on every loss: Keras's sum_over_batch_size, {@code Σ w·perSample / count}
 * (not divided by Σw), checked against each loss's own unweighted per-sample values (bar 1e-6),
 * and the weighted gradient against central differences. Seed 33.
 */
class HuberAndSampleWeightsTest {
    private final Random r = new Random(33);

    private static double value(Loss loss, Tensor y, Tensor p, Tensor w) {
        return loss.compute(Variable.constant(y), Variable.constant(p), w).value().item();
    }

    @Test
    void huberIsQuadraticInsideDeltaAndLinearBeyond() {
        float[] y = {0f, 0f, 1f, -1f, 2f, 0f};
        float[] p = {0.5f, -3f, 1.25f, 1f, 2f, 1.5f};
        for (double delta : new double[] {1.0, 0.5, 2.0}) {
            double want = 0;
            for (int row = 0; row < 3; row++) {
                double s = 0;
                for (int j = 0; j < 2; j++) {
                    double e = p[row * 2 + j] - y[row * 2 + j];
                    s += Math.abs(e) <= delta ? 0.5 * e * e : delta * Math.abs(e) - 0.5 * delta * delta;
                }
                want += s / 2;
            }
            Loss huber = delta == 1.0 ? Losses.huber() : Losses.huber(delta);
            assertThat(value(huber, Tensor.of(y, 3, 2), Tensor.of(p, 3, 2), null)).as("delta %s", delta)
                    .isCloseTo(want / 3, within(1e-7));
            GradCheck.check("huber " + delta, v -> huber.compute(v[1], v[0]), new boolean[] {false, true},
                    uniform(r, -3, 3, 4, 3), uniform(r, -1, 1, 4, 3));
        }
        assertThat(Losses.huber().name()).isEqualTo("huber_loss");
        assertThatThrownBy(() -> Losses.huber(0)).hasMessageContaining("delta must be > 0");
    }

    @Test
    void everyLossWeighsSamplesAsKerasSumOverBatchSize() {
        Tensor w = Tensor.of(new float[] {2f, 0f, 0.5f, 1f}, 4);
        float[] wv = w.toArray();
        Tensor pReg = uniform(r, -1, 1, 4, 3);
        Tensor yReg = uniform(r, -1, 1, 4, 3);
        Tensor pProb = uniform(r, 0.05f, 0.95f, 4, 3);
        Tensor yBin = Tensor.of(new float[] {1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0, 1}, 4, 3);
        Tensor yOneHot = Tensor.of(new float[] {1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0}, 4, 3);
        Tensor yIds = Tensor.of(new float[] {0, 2, 1, 0}, 4);
        record Case(String name, Loss loss, Tensor y, Tensor p) {
        }
        List<Case> cases = List.of(new Case("mse", Losses.meanSquaredError(), yReg, pReg),
                new Case("mae", Losses.meanAbsoluteError(), yReg, pReg),
                new Case("huber", Losses.huber(0.3), yReg, pReg),
                new Case("bce", Losses.binaryCrossentropy(), yBin, pProb),
                new Case("bce logits", Losses.binaryCrossentropy(true), yBin, pReg),
                new Case("cce", Losses.categoricalCrossentropy(), yOneHot, pProb),
                new Case("cce logits", Losses.categoricalCrossentropy(true), yOneHot, pReg),
                new Case("sparse cce", Losses.sparseCategoricalCrossentropy(), yIds, pProb),
                new Case("sparse cce logits", Losses.sparseCategoricalCrossentropy(true), yIds, pReg));
        for (Case c : cases) {
            float[] per = c.loss.perSample(Variable.constant(c.y), Variable.constant(c.p)).value().toArray();
            assertThat(per).as(c.name + " per-sample shape").hasSize(4);
            double want = 0;
            double plain = 0;
            for (int i = 0; i < 4; i++) {
                want += wv[i] * per[i];
                plain += per[i];
            }
            assertThat(value(c.loss, c.y, c.p, w)).as(c.name).isCloseTo(want / 4, within(1e-6));
            assertThat(value(c.loss, c.y, c.p, null)).as(c.name + " unweighted").isCloseTo(plain / 4, within(1e-6));
            // (n, 1) weights are squeezed, as Keras's squeeze_or_expand_to_same_rank does.
            assertThat(value(c.loss, c.y, c.p, w.reshape(4, 1))).as(c.name + " (n, 1) weights")
                    .isCloseTo(want / 4, within(1e-6));
            GradCheck.check(c.name + " weighted", v -> c.loss.compute(v[1], v[0], w), new boolean[] {false, true},
                    c.p, c.y);
        }
    }

    @Test
    void sequenceLossesTakePerSampleOrPerTimestepWeights() {
        Tensor p = uniform(r, -1, 1, 2, 3, 1);
        Tensor y = uniform(r, -1, 1, 2, 3, 1);
        Loss mse = Losses.meanSquaredError();
        float[] per = mse.perSample(Variable.constant(y), Variable.constant(p)).value().toArray();
        float[] steps = {1f, 0f, 2f, 0.5f, 1f, 3f};
        double perStep = 0;
        double perSample = 0;
        for (int i = 0; i < 6; i++) {
            perStep += steps[i] * per[i];
            perSample += (i < 3 ? 2f : 0.5f) * per[i];
        }
        assertThat(value(mse, y, p, Tensor.of(steps, 2, 3))).isCloseTo(perStep / 6, within(1e-6));
        assertThat(value(mse, y, p, Tensor.of(new float[] {2f, 0.5f}, 2))).as("(batch,) broadcast over time")
                .isCloseTo(perSample / 6, within(1e-6));
        assertThatThrownBy(() -> value(mse, y, p, Tensor.of(new float[] {1, 2, 3}, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sample weights must have shape (2,) or the per-sample loss's shape (2, 3)")
                .hasMessageContaining("got (3,)");
        assertThat(SampleWeights.fit("mse", Shape.of(2, 3), Tensor.of(steps, 2, 3, 1)).shape()).isEqualTo(Shape.of(2, 3));
    }
}
