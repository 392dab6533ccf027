package io.rnn4j.layers.losses;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.GradCheck;
import io.rnn4j.layers.autograd.Variable;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Each loss against Keras's formula written out in float64 (clipping with ε = 1e-7 included), and
 * its gradient against central differences. Seed 21.
 */
class LossesTest {
    private static final double EPS = 1e-7;
    private final Random r = new Random(21);

    private static double value(Loss loss, Tensor y, Tensor p) {
        return loss.compute(Variable.constant(y), Variable.constant(p)).value().item();
    }

    @Test
    void meanSquaredAndAbsoluteError() {
        Tensor y = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor p = Tensor.of(new float[] {1.5f, 2, 2, 5}, 2, 2);
        assertThat(value(Losses.meanSquaredError(), y, p)).isCloseTo((0.25 + 0 + 1 + 1) / 4, within(1e-7));
        assertThat(value(Losses.meanAbsoluteError(), y, p)).isCloseTo((0.5 + 0 + 1 + 1) / 4, within(1e-7));
        // Labels may lack the trailing 1: (batch,) against (batch, 1).
        assertThat(value(Losses.meanSquaredError(), Tensor.of(new float[] {1, 2}, 2), Tensor.of(new float[] {0, 0}, 2, 1)))
                .isCloseTo(2.5, within(1e-7));
        Tensor yt = uniform(r, -1, 1, 3, 2);
        GradCheck.check("mse", v -> Losses.meanSquaredError().compute(v[1], v[0]), new boolean[] {false, true},
                uniform(r, -1, 1, 3, 2), yt);
    }

    @Test
    void binaryCrossentropyClipsLikeKeras() {
        float[] yv = {1, 0, 1, 0};
        float[] pv = {0.9f, 0.2f, 0f, 1f};
        double want = 0;
        for (int i = 0; i < 4; i++) {
            // Keras clips in float32: the upper bound 1 - 1e-7 rounds to 1 - 2^-23, and 1 - p is a float32.
            float p = Math.min(Math.max(pv[i], (float) EPS), (float) (1 - EPS));
            want += -(yv[i] * Math.log(p) + (1 - yv[i]) * Math.log(1f - p));
        }
        Tensor y = Tensor.of(yv, 4, 1);
        assertThat(value(Losses.binaryCrossentropy(), y, Tensor.of(pv, 4, 1))).isCloseTo(want / 4, within(2e-5));
        Tensor logits = uniform(r, -3, 3, 4, 1);
        float[] lv = logits.toArray();
        double fromLogits = 0;
        for (int i = 0; i < 4; i++) {
            fromLogits += Math.log1p(Math.exp(lv[i])) - lv[i] * yv[i];
        }
        assertThat(value(Losses.binaryCrossentropy(true), y, logits)).isCloseTo(fromLogits / 4, within(1e-6));
        GradCheck.check("bce", v -> Losses.binaryCrossentropy().compute(v[1], v[0]), new boolean[] {false, true},
                uniform(r, 0.1f, 0.9f, 4, 1), y);
        GradCheck.check("bce from logits", v -> Losses.binaryCrossentropy(true).compute(v[1], v[0]),
                new boolean[] {false, true}, uniform(r, -2, 2, 4, 1), y);
    }

    @Test
    void categoricalCrossentropiesNormaliseAndClip() {
        float[] p = {0.2f, 0.5f, 0.5f, 0.1f, 0.1f, 0.0f};
        float[] y = {0, 1, 0, 1, 0, 0};
        double want = 0;
        for (int row = 0; row < 2; row++) {
            double s = p[row * 3] + p[row * 3 + 1] + p[row * 3 + 2];
            for (int j = 0; j < 3; j++) {
                double q = Math.min(Math.max(p[row * 3 + j] / s, EPS), 1 - EPS);
                want -= y[row * 3 + j] * Math.log(q);
            }
        }
        assertThat(value(Losses.categoricalCrossentropy(), Tensor.of(y, 2, 3), Tensor.of(p, 2, 3)))
                .isCloseTo(want / 2, within(1e-6));
        // Sparse (TensorFlow backend): -log_softmax(log(clip(p)))[label].
        double sparse = 0;
        int[] labels = {1, 0};
        for (int row = 0; row < 2; row++) {
            double z = 0;
            for (int j = 0; j < 3; j++) {
                z += Math.min(Math.max(p[row * 3 + j], EPS), 1 - EPS);
            }
            sparse -= Math.log(Math.min(Math.max(p[row * 3 + labels[row]], EPS), 1 - EPS)) - Math.log(z);
        }
        assertThat(value(Losses.sparseCategoricalCrossentropy(), Tensor.of(new float[] {1, 0}, 2), Tensor.of(p, 2, 3)))
                .isCloseTo(sparse / 2, within(1e-6));
        Tensor oneHot = Tensor.of(y, 2, 3);
        GradCheck.check("cce", v -> Losses.categoricalCrossentropy().compute(v[1], v[0]), new boolean[] {false, true},
                uniform(r, 0.1f, 1, 2, 3), oneHot);
        GradCheck.check("cce from logits", v -> Losses.categoricalCrossentropy(true).compute(v[1], v[0]),
                new boolean[] {false, true}, uniform(r, -2, 2, 2, 3), oneHot);
        Tensor ids = Tensor.of(new float[] {2, 0}, 2, 1);
        GradCheck.check("sparse cce", v -> Losses.sparseCategoricalCrossentropy().compute(v[1], v[0]),
                new boolean[] {false, true}, uniform(r, 0.1f, 1, 2, 3), ids);
    }

    @Test
    void labelsOfTheWrongShapeAreRefusedSayingWhatWasExpected() {
        assertThatThrownBy(() -> Losses.meanSquaredError().checkLabels(Shape.of(8, 2), Shape.of(8, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(8, 1)").hasMessageContaining("(8, 2)");
        assertThatThrownBy(() -> Losses.categoricalCrossentropy().checkLabels(Shape.of(8), Shape.of(8, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sparse_categorical_crossentropy");
        assertThatThrownBy(() -> value(Losses.sparseCategoricalCrossentropy(), Tensor.of(new float[] {3}, 1),
                Tensor.of(new float[] {0.5f, 0.5f, 0f}, 1, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 3)");
    }
}
