package io.rnn4j.layers.losses;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.GradCheck;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.metrics.Metric;
import io.rnn4j.layers.metrics.Metrics;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Keras 3's masked reduction ({@code apply_mask} + {@code reduce_weighted_values}, sum_over_batch_size):
 * a loss over (batch, timesteps) with the predictions' mask is {@code Σ(l·w·m) / Σm}, computed here in
 * float64 from each loss's own unmasked per-sample values (bar 1e-6); every value masked gives 0; the
 * masked loss's gradient matches float64 central differences and is 0 at masked steps; mean metrics
 * average over unmasked rows only. Seed 71.
 */
class MaskedLossTest {
    private static final long SEED = 71;
    private final Random r = new Random(SEED);
    /** (3, 4): sample 0 has 2 real steps, sample 1 all 4, sample 2 one. */
    private final Tensor mask = Tensor.of(new float[] {1, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0}, 3, 4);

    private static double value(Loss loss, Tensor y, Tensor p, Tensor w, Tensor m) {
        return loss.compute(Variable.constant(y), Variable.constant(p), w, m).value().item();
    }

    /** Σ l·w·m / Σ m in float64 from the loss's unmasked per-sample values. */
    private static double expected(Loss loss, Tensor y, Tensor p, float[] perRowWeight, Tensor m) {
        float[] l = loss.perSample(Variable.constant(y), Variable.constant(p)).value().toArray();
        float[] mv = m.toArray();
        double sum = 0;
        double valid = 0;
        for (int i = 0; i < l.length; i++) {
            double w = perRowWeight == null ? 1 : perRowWeight[i / m.dim(1)];
            sum += (double) l[i] * w * mv[i];
            valid += mv[i];
        }
        return valid == 0 ? 0 : sum / valid;
    }

    @Test
    void aMaskedLossIsTheMeanOverUnmaskedTimesteps() {
        Tensor pReg = uniform(r, -1, 1, 3, 4, 2);
        Tensor yReg = uniform(r, -1, 1, 3, 4, 2);
        Tensor logits = uniform(r, -2, 2, 3, 4, 5);
        Tensor ids = Tensor.of(new float[] {0, 4, 2, 1, 3, 3, 0, 2, 1, 4, 4, 0}, 3, 4);
        Tensor w = Tensor.of(new float[] {2f, 0.5f, 1f}, 3);
        float[] wv = w.toArray();
        for (Loss loss : List.of(Losses.meanSquaredError(), Losses.meanAbsoluteError(), Losses.huber())) {
            assertThat(value(loss, yReg, pReg, null, mask)).as(loss.name())
                    .isCloseTo(expected(loss, yReg, pReg, null, mask), within(1e-6));
            assertThat(value(loss, yReg, pReg, w, mask)).as(loss.name() + " weighted")
                    .isCloseTo(expected(loss, yReg, pReg, wv, mask), within(1e-6));
        }
        Loss sparse = Losses.sparseCategoricalCrossentropy(true);
        assertThat(value(sparse, ids, logits, w, mask)).isCloseTo(expected(sparse, ids, logits, wv, mask), within(1e-6));
        // Without a mask the mean is over every timestep, which differs here.
        assertThat(value(sparse, ids, logits, null, null)).isNotCloseTo(value(sparse, ids, logits, null, mask),
                within(1e-3));
        // Labels at masked steps change nothing.
        Tensor otherIds = Tensor.of(new float[] {0, 4, 1, 3, 3, 3, 0, 2, 1, 0, 2, 3}, 3, 4);
        assertThat(value(sparse, otherIds, logits, null, mask)).isEqualTo(value(sparse, ids, logits, null, mask));
    }

    @Test
    void everyStepMaskedGivesZeroAndNoGradient() {
        Tensor none = Tensor.of(new float[12], 3, 4);
        Loss mse = Losses.meanSquaredError();
        Variable p = Variable.parameter(uniform(r, -1, 1, 3, 4, 2));
        Variable loss = mse.compute(Variable.constant(uniform(r, -1, 1, 3, 4, 2)), p, null, none);
        assertThat(loss.value().item()).isZero();
        loss.backward();
        for (float g : p.grad().toArray()) {
            assertThat(g).isZero();
        }
    }

    @Test
    void theMaskedLossGradientMatchesCentralDifferencesAndIsZeroAtMaskedSteps() {
        Tensor w = Tensor.of(new float[] {2f, 0.5f, 1f}, 3);
        Tensor labels = uniform(r, -1, 1, 3, 4, 2);
        Loss mse = Losses.meanSquaredError();
        GradCheck.check("masked weighted mse", v -> mse.compute(v[1], v[0], w, mask), new boolean[] {false, true},
                uniform(r, -1, 1, 3, 4, 2), labels);
        Tensor ids = Tensor.of(new float[] {0, 4, 2, 1, 3, 3, 0, 2, 1, 4, 4, 0}, 3, 4);
        Loss sparse = Losses.sparseCategoricalCrossentropy(true);
        GradCheck.check("masked sparse crossentropy from logits", v -> sparse.compute(Variable.constant(ids), v[0],
                null, mask), uniform(r, -2, 2, 3, 4, 5));

        Variable p = Variable.parameter(uniform(r, -1, 1, 3, 4, 2));
        mse.compute(Variable.constant(labels), p, w, mask).backward();
        float[] g = p.grad().toArray();
        float[] m = mask.toArray();
        for (int row = 0; row < m.length; row++) {
            for (int j = 0; j < 2; j++) {
                if (m[row] == 0f) {
                    assertThat(g[row * 2 + j]).as("gradient at masked row %d", row).isZero();
                } else {
                    assertThat(g[row * 2 + j]).as("gradient at real row %d", row).isNotZero();
                }
            }
        }
    }

    @Test
    void aMaskOfAnotherShapeIsRefused() {
        Tensor p = uniform(r, -1, 1, 3, 4, 2);
        assertThatThrownBy(() -> value(Losses.meanSquaredError(), p, p, null, Tensor.of(new float[12], 4, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("mean_squared_error: the predictions' mask (4, 3) does not fit the per-sample "
                        + "loss (3, 4)");
    }

    @Test
    void meanMetricsAverageOverUnmaskedRows() {
        Tensor logits = uniform(r, -2, 2, 3, 4, 5);
        Tensor ids = Tensor.of(new float[] {0, 4, 2, 1, 3, 3, 0, 2, 1, 4, 4, 0}, 3, 4);
        float[] p = logits.toArray();
        float[] y = ids.toArray();
        float[] m = mask.toArray();
        double hits = 0;
        double real = 0;
        for (int row = 0; row < 12; row++) {
            int best = 0;
            for (int c = 1; c < 5; c++) {
                best = p[row * 5 + c] > p[row * 5 + best] ? c : best;
            }
            hits += m[row] * (best == (int) y[row] ? 1 : 0);
            real += m[row];
        }
        Metric acc = Metrics.sparseCategoricalAccuracy();
        acc.update(ids, logits, mask);
        assertThat(acc.result()).isEqualTo(hits / real);
        // Two batches: the mean over every unmasked row seen, not a mean of batch means.
        acc.update(ids, logits, Tensor.of(new float[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 3, 4));
        int first = 0;
        for (int c = 1; c < 5; c++) {
            first = p[c] > p[first] ? c : first;
        }
        assertThat(acc.result()).isEqualTo((hits + (first == (int) y[0] ? 1 : 0)) / (real + 1));
        // A batch with every row masked counts nothing; alone it gives 0 (Keras's divide_no_nan).
        Metric mae = Metrics.meanAbsoluteError();
        mae.update(uniform(r, -1, 1, 3, 4, 2), uniform(r, -1, 1, 3, 4, 2), Tensor.of(new float[12], 3, 4));
        assertThat(mae.result()).isZero();
    }
}
