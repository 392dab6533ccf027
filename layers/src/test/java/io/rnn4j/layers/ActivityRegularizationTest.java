package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * ActivityRegularization: the input and mask pass through, the loss it adds is
 * {@code (l1·Σ|x| + l2·Σx²) / batch} against a float64 sum (to 1e-6 relative) with its gradient
 * against finite differences, nothing added for l1 = l2 = 0, evaluate's loss includes it, and a
 * negative or non-finite factor is refused by name. Seed 71.
 */
class ActivityRegularizationTest {
    private final Random r = new Random(71);

    private static double reference(float[] x, int batch, double l1, double l2) {
        double a = 0;
        double s = 0;
        for (float e : x) {
            a += Math.abs(e);
            s += (double) e * e;
        }
        return ((float) l1 * a + (float) l2 * s) / batch;
    }

    @Test
    void passesItsInputAndAddsTheActivityLoss() {
        ActivityRegularization ar = new ActivityRegularization(0.01, 0.02);
        ar.build(Shape.withUnknown(Shape.UNKNOWN, 4));
        Tensor x = uniform(r, -2, 2, 3, 5, 4);
        CallContext ctx = CallContext.training(new Random(1));
        Variable in = Variable.constant(x);
        assertThat(ar.call(in, null, ctx)).as("the input itself").isSameAs(in);
        assertThat(ctx.addedLosses()).hasSize(1);
        assertThat((double) ctx.addedLosses().get(0).value().item()).as("(l1·Σ|x| + l2·Σx²) / batch")
                .isCloseTo(reference(x.toArray(), 3, 0.01, 0.02), org.assertj.core.data.Percentage.withPercentage(1e-4));
        GradCheck.check("ActivityRegularization loss", v -> {
            CallContext c = CallContext.inference();
            ar.call(v[0], null, c);
            return Ops.reshape(c.addedLosses().get(0), 1);
        }, uniform(r, -2, 2, 2, 3, 4));
        Tensor m = Tensor.of(new float[] {1, 1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0}, 3, 5);
        assertThat(ar.computeMask(in, m)).as("the mask passes on").isSameAs(m);
        assertThat(ar.countParams()).isZero();

        CallContext none = CallContext.inference();
        ActivityRegularization defaults = new ActivityRegularization();
        defaults.build(Shape.of(5, 4));
        defaults.call(in, null, none);
        assertThat(none.addedLosses()).as("Keras's defaults l1 = l2 = 0 add nothing").isEmpty();
    }

    @Test
    void evaluateAndFitIncludeTheActivityLoss() {
        Sequential s = Sequential.of(Input.shape(Input.NONE, 3), new ActivityRegularization(0.0, 0.5),
                new Dense(1).named("head"));
        s.compile(Optimizers.sgd(0.1), Losses.meanSquaredError());
        Tensor x = uniform(r, -1, 1, 4, 2, 3);
        Tensor y = uniform(r, -1, 1, 4, 2, 1);
        Sequential plain = Sequential.of(Input.shape(Input.NONE, 3), new Dense(1));
        plain.compile(Optimizers.sgd(0.1), Losses.meanSquaredError());
        plain.setWeights(s.getWeights());
        double extra = reference(x.toArray(), 4, 0.0, 0.5);
        assertThat(s.evaluate(x, y).loss()).as("mse + activity loss")
                .isCloseTo(plain.evaluate(x, y).loss() + extra, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void badFactorsAreRefusedNamingTheLayer() {
        assertThatThrownBy(() -> new ActivityRegularization(-0.1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(ActivityRegularization): l1 must be a non-negative finite number, got -0.1");
        assertThatThrownBy(() -> new ActivityRegularization(0, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("l2 must be a non-negative");
    }
}
