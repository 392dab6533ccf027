package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static io.rnn4j.layers.MergeLayersTest.close;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * GroupNormalization: Keras's defaults and weights, forward against a float64 evaluation of
 * {@code (x − mean_g) / sqrt(var_g + ε) · gamma_c + beta_c} over each sample's group of channels and
 * the other non-batch axes (to 1e-5 relative), every gradient against float64 central differences
 * ({@link GradCheck}), None timesteps, the mask passed on, param counts and bad settings refused by
 * name. Seed 61.
 */
class GroupNormalizationTest {
    private final Random r = new Random(61);

    /** x normalised in double, element i in group {@code group(i)}, its channel {@code channel(i)}. */
    static double[] reference(float[] x, int groups, IntUnaryOperator group, IntUnaryOperator channel,
            float[] gamma, float[] beta, double eps) {
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
            int c = channel.applyAsInt(i);
            out[i] = (x[i] - sum[g] / count[g]) / Math.sqrt(var[g] / count[g] + eps) * (gamma == null ? 1 : gamma[c])
                    + (beta == null ? 0 : beta[c]);
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

    private static void gradients(String what, Layer layer, Tensor x) {
        Variable in = Variable.parameter(x);
        GradCheck.checkLayer(what, layer, in, () -> layer.call(in, null, CallContext.inference()));
    }

    @Test
    void groupsOfTheLastAxisWithKerasDefaults() {
        GroupNormalization gn = new GroupNormalization().groups(3);
        assertThat(new GroupNormalization().groups()).as("Keras's default groups").isEqualTo(32);
        assertThat(gn.epsilon()).isEqualTo(1e-3f);
        assertThat(gn.axis()).isEqualTo(-1);
        gn.build(Shape.of(4, 6));
        assertThat(gn.weights()).extracting(Weight::name).containsExactly("gamma", "beta");
        assertThat(gn.weights().get(0).shape()).isEqualTo(Shape.of(6));
        assertThat(gn.weights().get(0).value().toArray()).containsOnly(1f);
        assertThat(gn.weights().get(1).value().toArray()).containsOnly(0f);
        assertThat(gn.countParams()).isEqualTo(12);
        Tensor x = uniform(r, -2, 3, 2, 4, 6);
        // element i = ((b·4 + t)·6 + c): its group is (b, c / 2)
        IntUnaryOperator group = i -> (i / 24) * 3 + (i % 6) / 2;
        close("defaults", run(gn, x), reference(x.toArray(), 6, group, i -> i % 6, null, null, 1e-3), 1e-5);
        setRandom(gn);
        float[] gamma = gn.weights().get(0).value().toArray();
        float[] beta = gn.weights().get(1).value().toArray();
        close("learned gamma and beta", run(gn, x), reference(x.toArray(), 6, group, i -> i % 6, gamma, beta, 1e-3),
                1e-5);
        gradients("GroupNormalization, 3 groups of 2 channels", gn, uniform(r, -1, 1, 2, 4, 6));
        Tensor m = Tensor.of(new float[] {1, 0, 1, 1, 1, 1, 0, 0}, 2, 4);
        assertThat(gn.computeMask(Variable.constant(x), m)).as("the mask passes on").isSameAs(m);
    }

    @Test
    void anotherAxisInstanceNormalizationAndNoneTimesteps() {
        // groups=-1 on axis 1 of (T=4, C=3): one group per step, over the step's channels; Keras's get_config
        // then says groups=4.
        GroupNormalization inst = new GroupNormalization().groups(-1).axis(1).epsilon(1e-2).center(false);
        inst.build(Shape.of(4, 3));
        assertThat(inst.groups()).isEqualTo(4);
        assertThat(inst.weights()).extracting(Weight::name).containsExactly("gamma");
        setRandom(inst);
        Tensor x = uniform(r, -1, 1, 2, 4, 3);
        float[] g = inst.weights().get(0).value().toArray();
        close("groups=-1 on axis 1", run(inst, x), reference(x.toArray(), 8, i -> i / 3, i -> (i / 3) % 4, g, null,
                1e-2), 1e-5);
        gradients("GroupNormalization axis 1, instance normalization, no beta", inst, x);

        // Two groups of axis 1 (6 steps) on a 4D input: each group spans 3 steps and both trailing axes.
        GroupNormalization mid = new GroupNormalization().groups(2).axis(1).scale(false);
        mid.build(Shape.of(6, 2, 2));
        setRandom(mid);
        Tensor x4 = uniform(r, -1, 1, 2, 6, 2, 2);
        float[] b = mid.weights().get(0).value().toArray();
        close("2 groups of axis 1 of 4D inputs", run(mid, x4), reference(x4.toArray(), 4, i -> (i / 24) * 2
                + ((i / 4) % 6) / 3, i -> (i / 4) % 6, null, b, 1e-3), 1e-5);
        gradients("GroupNormalization axis 1 of 4D inputs, no gamma", mid, x4);

        // None timesteps: only the channels are bound.
        GroupNormalization any = new GroupNormalization().groups(2);
        Sequential s = Sequential.of(Input.shape(Input.NONE, 4), any);
        for (int t : new int[] {1, 3, 5}) {
            Tensor xt = uniform(r, -1, 1, 2, t, 4);
            close("None timesteps, T=" + t, s.predict(xt).toArray(), reference(xt.toArray(), 4,
                    i -> (i / (4 * t)) * 2 + (i % 4) / 2, i -> i % 4, null, null, 1e-3), 1e-5);
        }
    }

    @Test
    void badSettingsAndInputsAreRefusedNamingTheLayer() {
        assertThatThrownBy(() -> new GroupNormalization().named("gn").groups(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gn: groups must be a positive integer (or -1").hasMessageContaining("got 0");
        assertThatThrownBy(() -> new GroupNormalization().named("gn2").groups(4).build(Shape.of(3, 6)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gn2: groups must divide the 6 channels").hasMessageContaining("groups=4");
        assertThatThrownBy(() -> new GroupNormalization().named("gn3").groups(8).build(Shape.of(3, 6)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gn3: groups must divide");
        assertThatThrownBy(() -> new GroupNormalization().named("gn4").groups(2).axis(1)
                .build(Shape.withUnknown(Shape.UNKNOWN, 4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gn4");
        assertThatThrownBy(() -> new GroupNormalization().named("gn5").axis(0).build(Shape.of(3, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gn5: axis 0 is the batch axis");
        assertThatThrownBy(() -> new GroupNormalization().named("gn6").epsilon(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gn6: epsilon must be > 0");
        GroupNormalization built = new GroupNormalization().named("gn7").groups(2);
        Sequential s = Sequential.of(Input.shape(Input.NONE, 4), built);
        assertThatThrownBy(() -> s.predict(Tensor.zeros(2, 3, 6))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gn7").hasMessageContaining("6");
    }
}
