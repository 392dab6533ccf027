package io.rnn4j.layers.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.GradCheck;
import io.rnn4j.layers.autograd.Variable;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The focal, overlap, circle and generalized crossentropy losses: gradients against finite differences,
 * and values against plain float64 loops of Keras's formulas.
 */
class NewerLossesGradientTest {
    private static final Random R = new Random(23);

    @Test
    void gradientsMatchFiniteDifferences() {
        System.out.println("NewerLossesGradientTest seed 23");
        Tensor p = GradCheck.uniform(R, 0.1f, 0.9f, 3, 4);
        Tensor z = GradCheck.uniform(R, -2f, 2f, 3, 4);
        Tensor y = Tensor.of(new float[] {1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 1}, 3, 4);
        Tensor hot = Tensor.of(new float[] {1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0}, 3, 4);
        Tensor ids = Tensor.of(new float[] {0, 2, 1}, 3);
        Map<String, Loss> probabilities = Map.of(
                "binary focal", Losses.binaryFocalCrossentropy(true, 0.3, 2.0, false, 0.1),
                "dice axis -1", Losses.dice(-1), "dice all", Losses.dice(),
                "tversky", Losses.tversky(0.3, 0.7, 1));
        probabilities.forEach((what, loss) -> GradCheck.check(what, v -> loss.compute(v[0], v[1]),
                new boolean[] {true, false}, y, p));
        GradCheck.check("binary focal from logits", v -> Losses.binaryFocalCrossentropy(false, 0.25, 1.5, true, 0)
                .compute(v[0], v[1]), new boolean[] {true, false}, y, z);
        GradCheck.check("categorical focal from logits", v -> Losses.categoricalFocalCrossentropy(0.4, 3, true, 0.2)
                .compute(v[0], v[1]), new boolean[] {true, false}, hot, z);
        GradCheck.check("categorical focal", v -> Losses.categoricalFocalCrossentropy().compute(v[0], v[1]),
                new boolean[] {true, false}, hot, p);
        Tensor emb = GradCheck.uniform(R, -0.6f, 0.6f, 5, 3);
        Tensor groups = Tensor.of(new float[] {0, 1, 0, 1, 2}, 5);
        GradCheck.check("circle (a sample without positives masked out)", v -> Losses.circle(8.0, 0.3, true)
                .compute(v[0], v[1]), new boolean[] {true, false}, groups, emb);
        GradCheck.check("generalized crossentropy", v -> Losses.categoricalGeneralizedCrossEntropy(0.7)
                .compute(v[0], v[1]), new boolean[] {true, false}, ids, p);
    }

    @Test
    void valuesAreKerasFormulasInFloat64() {
        float[] p = {0.2f, 0.7f, 0.9f, 0.4f};
        float[] y = {0, 1, 1, 0};
        Variable yv = Variable.constant(Tensor.of(y, 1, 4));
        Variable pv = Variable.constant(Tensor.of(p, 1, 4));
        double focal = 0;
        double inter = 0, sy = 0, sp = 0, missed = 0, extra = 0;
        for (int i = 0; i < 4; i++) {
            double bce = -(y[i] * Math.log(p[i]) + (1 - y[i]) * Math.log(1 - p[i]));
            double pt = y[i] * p[i] + (1 - y[i]) * (1 - p[i]);
            focal += Math.pow(1 - pt, 2) * bce / 4;
            inter += y[i] * p[i];
            sy += y[i];
            sp += p[i];
            missed += y[i] * (1 - p[i]);
            extra += (1 - y[i]) * p[i];
        }
        assertThat((double) Losses.binaryFocalCrossentropy().perSample(yv, pv).value().toArray()[0])
                .isCloseTo(focal, within(1e-6));
        assertThat((double) Losses.dice().perSample(yv, pv).value().toArray()[0])
                .isCloseTo(1 - 2 * inter / (sy + sp + 1e-7), within(1e-6));
        assertThat((double) Losses.tversky(0.2, 0.8, null).perSample(yv, pv).value().toArray()[0])
                .isCloseTo(1 - inter / (inter + 0.2 * missed + 0.8 * extra + 1e-7), within(1e-6));
        float[] probs = {0.1f, 0.6f, 0.3f};
        double cfce = 0.25 * Math.pow(1 - 0.6, 2) * -Math.log(0.6);
        assertThat((double) Losses.categoricalFocalCrossentropy().perSample(
                Variable.constant(Tensor.of(new float[] {0, 1, 0}, 1, 3)), Variable.constant(Tensor.of(probs, 1, 3)))
                .value().toArray()[0]).isCloseTo(cfce, within(1e-6));
        assertThat((double) Losses.categoricalGeneralizedCrossEntropy(0.5).perSample(
                Variable.constant(Tensor.of(new float[] {2}, 1)), Variable.constant(Tensor.of(probs, 1, 3)))
                .value().toArray()[0]).isCloseTo((1 - Math.sqrt(0.3)) / 0.5, within(1e-6));
    }
}
