package io.rnn4j.layers.losses;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Activation;
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
    void aCrossentropyOnASoftmaxOrSigmoidOutputWorksFromItsLogitsAsKerasOnTensorFlow() {
        // Saturated and wrong: clipping would cap the loss near 16.1 and zero the gradient.
        Variable z = Variable.parameter(Tensor.of(new float[] {0, 20}, 1, 2));
        Variable cce = Losses.categoricalCrossentropy().compute(Variable.constant(Tensor.of(new float[] {1, 0}, 1, 2)),
                Activation.SOFTMAX.apply(z));
        cce.backward();
        double lse = 20 + Math.log1p(Math.exp(-20));
        assertThat((double) cce.value().item()).as("CCE of softmax([0, 20]) at class 0: logsumexp - 0").isCloseTo(lse,
                within(2e-6));
        double s0 = 1 / (1 + Math.exp(20));
        assertThat(z.grad().toArray()).as("dCCE/dz = softmax(z) - y").containsExactly(
                new float[] {(float) (s0 - 1), (float) (1 - s0)}, within(1e-6f));

        Variable z3 = Variable.parameter(Tensor.of(new float[] {20, 0, 0}, 1, 3));
        double sparse = Losses.sparseCategoricalCrossentropy().compute(Variable.constant(Tensor.of(new float[] {1}, 1)),
                Activation.SOFTMAX.apply(z3)).value().item();
        assertThat(sparse).as("sparse CCE of softmax([20, 0, 0]) at class 1")
                .isCloseTo(20 + Math.log1p(2 * Math.exp(-20)), within(2e-6));

        Variable x = Variable.parameter(Tensor.of(new float[] {-20}, 1, 1));
        Variable bce = Losses.binaryCrossentropy().compute(Variable.constant(Tensor.of(new float[] {1}, 1, 1)),
                Activation.SIGMOID.apply(x));
        bce.backward();
        assertThat((double) bce.value().item()).as("BCE of sigmoid(-20) at label 1: softplus(20)")
                .isCloseTo(20 + Math.log1p(Math.exp(-20)), within(2e-6));
        assertThat((double) x.grad().item()).as("dBCE/dx = sigmoid(x) - y").isCloseTo(1 / (1 + Math.exp(20)) - 1, within(1e-6));

        // Probabilities that no activation made are clipped as before: the same numbers as constants.
        double clipped = value(Losses.categoricalCrossentropy(), Tensor.of(new float[] {1, 0}, 1, 2),
                Tensor.of(new float[] {0, 1}, 1, 2));
        assertThat(clipped).as("CCE of constant probabilities [0, 1] at class 0: -log(1e-7)")
                .isCloseTo(-Math.log((float) EPS), within(1e-5));
    }

    @Test
    void binaryCrossentropyFromLogitsKeepsItsPrecisionWhereTheLabelIsRight() {
        // softplus(x) - x·y cancels for x >> 0, y = 1; Keras's (TensorFlow's) form does not.
        float[] xv = {10, 20, -15, 8, -6};
        float[] yv = {1, 1, 0, 1, 0};
        for (int i = 0; i < xv.length; i++) {
            double want = Math.max(xv[i], 0) - xv[i] * (double) yv[i] + Math.log1p(Math.exp(-Math.abs(xv[i])));
            double got = value(Losses.binaryCrossentropy(true), Tensor.of(new float[] {yv[i]}, 1, 1),
                    Tensor.of(new float[] {xv[i]}, 1, 1));
            assertThat(got).as("BCE from logit %s at label %s, within 4 float32 ulps of the float64 value", xv[i],
                    yv[i]).isCloseTo(want, within(4.0 * Math.ulp((float) want)));
        }
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
