package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static io.rnn4j.layers.MergeLayersTest.close;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * LayerNormalization: Keras's defaults and weights, forward against a float64 evaluation of
 * {@code (x − mean) / sqrt(var + ε) · gamma + beta} over the normalised axes (to 1e-5 relative),
 * and every gradient against float64 central differences ({@link GradCheck}). Seed 53.
 */
class LayerNormalizationTest {
    private final Random r = new Random(53);

    /** Normalises x (rows of {@code inner} values, {@code stride} apart... ) in double: groups given by key(i). */
    private static double[] reference(float[] x, int groups, java.util.function.IntUnaryOperator group,
            java.util.function.IntUnaryOperator feature, float[] gamma, float[] beta, double eps) {
        double[] sum = new double[groups];
        double[] count = new double[groups];
        for (int i = 0; i < x.length; i++) {
            sum[group.applyAsInt(i)] += x[i];
            count[group.applyAsInt(i)]++;
        }
        double[] var = new double[groups];
        for (int i = 0; i < x.length; i++) {
            int g = group.applyAsInt(i);
            double d = x[i] - sum[g] / count[g];
            var[g] += d * d;
        }
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int g = group.applyAsInt(i);
            int f = feature.applyAsInt(i);
            out[i] = (x[i] - sum[g] / count[g]) / Math.sqrt(var[g] / count[g] + eps) * (gamma == null ? 1 : gamma[f])
                    + (beta == null ? 0 : beta[f]);
        }
        return out;
    }

    private void setRandom(Layer layer) {
        List<Tensor> ws = new ArrayList<>();
        for (Weight w : layer.weights()) {
            ws.add(uniform(r, -1.5f, 1.5f, w.shape().dims()));
        }
        layer.setWeights(ws);
    }

    private static float[] run(Layer layer, Tensor x) {
        return layer.call(Variable.constant(x), null, CallContext.inference()).value().toArray();
    }

    private void gradients(String what, Layer layer, Tensor x) {
        Variable in = Variable.parameter(x);
        List<Variable> params = new ArrayList<>(List.of(in));
        layer.weights().forEach(w -> params.add(w.variable()));
        GradCheck.checkParameters(what, () -> layer.call(in, null, CallContext.inference()), params);
    }

    @Test
    void lastAxisWithKerassDefaults() {
        LayerNormalization ln = new LayerNormalization();
        assertThat(ln.epsilon()).isEqualTo(1e-3f);
        ln.build(Shape.of(3, 5));
        assertThat(ln.weights()).extracting(Weight::name).containsExactly("gamma", "beta");
        assertThat(ln.weights().get(0).value().toArray()).containsOnly(1f);
        assertThat(ln.weights().get(1).value().toArray()).containsOnly(0f);
        Tensor x = uniform(r, -2, 3, 2, 3, 5);
        close("defaults", run(ln, x), reference(x.toArray(), 6, i -> i / 5, i -> i % 5, null, null, 1e-3), 1e-5);
        setRandom(ln);
        float[] gamma = ln.weights().get(0).value().toArray();
        float[] beta = ln.weights().get(1).value().toArray();
        close("learned gamma and beta", run(ln, x), reference(x.toArray(), 6, i -> i / 5, i -> i % 5, gamma, beta,
                1e-3), 1e-5);
        gradients("LayerNormalization last axis", ln, uniform(r, -1, 1, 2, 3, 5));
        // A mask passes through.
        Tensor m = Tensor.of(new float[] {1, 0, 1, 1, 1, 0}, 2, 3);
        assertThat(ln.computeMask(Variable.constant(x), m)).isSameAs(m);
    }

    @Test
    void otherAxesWithoutCenterOrScale() {
        LayerNormalization time = new LayerNormalization().axis(1).epsilon(1e-2f);
        time.build(Shape.of(4, 3));
        assertThat(time.weights().get(0).shape()).isEqualTo(Shape.of(4));
        setRandom(time);
        Tensor x = uniform(r, -1, 1, 2, 4, 3);
        float[] g = time.weights().get(0).value().toArray();
        float[] b = time.weights().get(1).value().toArray();
        close("axis 1", run(time, x), reference(x.toArray(), 6, i -> (i / 12) * 3 + i % 3, i -> (i / 3) % 4, g, b,
                1e-2), 1e-5);
        gradients("LayerNormalization axis 1", time, x);

        LayerNormalization both = new LayerNormalization().axis(-1, -2).center(false);
        both.build(Shape.of(4, 3));
        assertThat(both.weights()).extracting(Weight::name).containsExactly("gamma");
        assertThat(both.weights().get(0).shape()).isEqualTo(Shape.of(4, 3));
        setRandom(both);
        float[] g2 = both.weights().get(0).value().toArray();
        close("axes (1, 2), no center", run(both, x), reference(x.toArray(), 2, i -> i / 12, i -> i % 12, g2, null,
                1e-3), 1e-5);
        gradients("LayerNormalization axes 1 and 2, no beta", both, x);

        LayerNormalization bare = new LayerNormalization().scale(false).center(false);
        bare.build(Shape.of(6));
        assertThat(bare.weights()).isEmpty();
        gradients("LayerNormalization without weights", bare, uniform(r, -1, 1, 3, 6));
    }

    @Test
    void badAxesAreRefusedNamingTheLayer() {
        assertThatThrownBy(() -> new LayerNormalization().named("norm").axis(0).build(Shape.of(3, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("norm: axis 0 is the batch axis");
        assertThatThrownBy(() -> new LayerNormalization().named("norm2").axis(3).build(Shape.of(3, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("norm2: axis 3 is out of range");
        assertThatThrownBy(() -> new LayerNormalization().named("norm3").axis(2, -1).build(Shape.of(3, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("norm3: duplicate axes");
    }
}
