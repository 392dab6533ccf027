package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Sequential;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Edges of Dot, ZeroPadding1D, Cropping1D and UpSampling1D that DotTest and Steps1DTest leave
 * out, from a review against Keras 3: the gradient of {@code normalize} at Keras's epsilon floor
 * (a tie of tf.maximum) and at a zero vector, non-finite values through the batched product,
 * zero-size batches and axes, a mask destroyed before a recurrent layer, and sizes past the int
 * range. Seed 53.
 */
class DotAndStepsEdgesTest {
    private final Random r = new Random(53);

    private static Tensor run(Layer layer, Tensor x, Tensor y) {
        return layer.callAll(List.of(Variable.constant(x), Variable.constant(y)), null, CallContext.inference()).get(0)
                .value();
    }

    private static Tensor run(Layer layer, Tensor x) {
        return layer.call(Variable.constant(x), null, CallContext.inference()).value();
    }

    /** d Dot(axes=-1, normalize=True)([x, y]) / dx, by autograd. */
    private static float[] normalizedGradient(Tensor x, Tensor y) {
        Dot d = (Dot) MergeLayersTest.built(new Dot(-1).normalize(true), x, y);
        Variable vx = Variable.parameter(x);
        Variable out = d.callAll(List.of(vx, Variable.constant(y)), null, CallContext.inference()).get(0);
        Ops.sumAll(out).backward();
        return vx.grad().toArray();
    }

    @Test
    void normalizeTieAtTheEpsilonFloorSendsTheGradientThroughTheSumAsTfMaximum() {
        // Keras 3 ops/nn.py _normalize: x * rsqrt(maximum(Σx², epsilon²)). x = 1e-7f makes Σx² == (float) 1e-14 exactly:
        // a tie, and TF's Maximum gradient (math_grad._MaximumMinimumGrad, greater_equal) gives it to Σx², so
        // d/dx [x · rsqrt(x²)] = rsqrt - x²·rsqrt³ = 0 (to rounding). Were the tie given to the floor it would be 1e7.
        float x0 = 1e-7f;
        assertThat(x0 * x0).as("the test's premise: a tie in float32").isEqualTo((float) (1e-7 * 1e-7));
        float[] g = normalizedGradient(Tensor.of(new float[] {x0}, 1, 1), Tensor.of(new float[] {1}, 1, 1));
        assertThat((double) g[0]).as("gradient at the tie (Σx² = epsilon²)").isCloseTo(0.0, Offset.offset(1e3));
    }

    @Test
    void normalizeOfAZeroVectorHasTheClampedScaleAsGradient() {
        // Σx² = 0 < epsilon²: maximum gives the floor, so x·rsqrt(1e-14) = x·1e7 and d/dx = 1e7 · ŷ, as in TF.
        Tensor y = Tensor.of(new float[] {3, 4}, 1, 2);
        float[] g = normalizedGradient(Tensor.of(new float[] {0, 0}, 1, 2), y);
        assertThat((double) g[0]).isCloseTo(1e7 * 0.6, Offset.offset(1.0));
        assertThat((double) g[1]).isCloseTo(1e7 * 0.8, Offset.offset(1.0));
    }

    @Test
    void nonFiniteValuesPropagateAsTfMatmulAndNormalizeDo() {
        Dot d = (Dot) MergeLayersTest.built(new Dot(1), Tensor.zeros(1, 2), Tensor.zeros(1, 2));
        Tensor x = Tensor.of(new float[] {0, 1}, 1, 2);
        assertThat(run(d, x, Tensor.of(new float[] {Float.POSITIVE_INFINITY, 1}, 1, 2)).toArray()).as("0 · inf is NaN "
                + "in a matmul: no zero is skipped").containsExactly(Float.NaN);
        assertThat(run(d, x, Tensor.of(new float[] {Float.NaN, 1}, 1, 2)).toArray()).containsExactly(Float.NaN);
        Dot cos = (Dot) MergeLayersTest.built(new Dot(1).normalize(true), Tensor.zeros(1, 2), Tensor.zeros(1, 2));
        Tensor y = Tensor.of(new float[] {3, 4}, 1, 2);
        assertThat(run(cos, Tensor.of(new float[] {3e20f, 4e20f}, 1, 2), y).toArray())
                .as("Σx² overflows float32 to inf, rsqrt(inf) = 0: the cosine of huge vectors is 0 in Keras 3 on TF too")
                .containsExactly(0f);
        assertThat(run(cos, Tensor.of(new float[] {Float.POSITIVE_INFINITY, 4}, 1, 2), y).toArray())
                .as("inf · rsqrt(inf) = inf · 0 = NaN").containsExactly(Float.NaN);
    }

    @Test
    void zeroSizeBatchesAndAxesGiveKerasShapes() {
        Dot d = (Dot) MergeLayersTest.built(new Dot(2), Tensor.zeros(2, 3, 4), Tensor.zeros(2, 5, 4));
        assertThat(run(d, Tensor.zeros(0, 3, 4), Tensor.zeros(0, 5, 4)).shape()).isEqualTo(Shape.of(0, 3, 5));
        Dot empty = (Dot) MergeLayersTest.built(new Dot(2), Tensor.zeros(2, 3, 0), Tensor.zeros(2, 5, 0));
        assertThat(run(empty, Tensor.zeros(2, 3, 0), Tensor.zeros(2, 5, 0)).toArray())
                .as("a dot axis of size 0 sums nothing: zeros (batch_dot's matmul)").hasSize(30).containsOnly(0f);
        Dot cos = (Dot) MergeLayersTest.built(new Dot(1).normalize(true), Tensor.zeros(1, 2), Tensor.zeros(1, 2));
        assertThat(run(cos, Tensor.zeros(0, 2), Tensor.zeros(0, 2)).shape()).isEqualTo(Shape.of(0, 1));
        ZeroPadding1D z = new ZeroPadding1D(1, 2);
        z.build(Shape.withUnknown(Input.NONE, 2));
        assertThat(run(z, Tensor.zeros(0, 3, 2)).shape()).isEqualTo(Shape.of(0, 6, 2));
        assertThat(run(z, uniform(r, -1, 1, 1, 0, 2)).toArray()).as("0 steps padded (ops.pad): only zeros")
                .hasSize(6).containsOnly(0f);
        ZeroPadding1D first = new ZeroPadding1D(1, 2).dataFormat("channels_first");
        first.build(Shape.of(3, 2));
        assertThat(run(first, Tensor.zeros(0, 3, 2)).shape()).isEqualTo(Shape.of(0, 3, 5));
        Cropping1D c = new Cropping1D(1, 1);
        c.build(Shape.of(3, 2));
        assertThat(run(c, Tensor.zeros(0, 3, 2)).shape()).isEqualTo(Shape.of(0, 1, 2));
        UpSampling1D u = new UpSampling1D(3);
        u.build(Shape.withUnknown(Input.NONE, 2));
        assertThat(run(u, Tensor.zeros(0, 3, 2)).shape()).isEqualTo(Shape.of(0, 9, 2));
        assertThat(run(u, Tensor.zeros(1, 0, 2)).shape()).as("0 steps repeated are 0 steps").isEqualTo(Shape.of(1, 0, 2));
    }

    @Test
    void aMaskIsDestroyedBeforeTheLstmAsKeras3WarnsItIs() {
        // Keras 3 layers/layer.py __call__: a layer that does not support masking drops the mask with a warning, so
        // Masking -> ZeroPadding1D/Cropping1D/UpSampling1D -> LSTM runs the LSTM over every step, masked ones too.
        Tensor x = uniform(r, -1, 1, 2, 5, 3);
        float[] v = x.toArray();
        for (int f = 0; f < 3; f++) {
            v[(0 * 5 + 1) * 3 + f] = 0; // sample 0, step 1: all zeros, masked by Masking()
            v[(1 * 5 + 4) * 3 + f] = 0; // sample 1, last step
        }
        Tensor masked = Tensor.of(v, 2, 5, 3);
        for (Layer step : List.of(new ZeroPadding1D(1, 1), new Cropping1D(1, 0), new UpSampling1D(2))) {
            Layer again = step instanceof ZeroPadding1D ? new ZeroPadding1D(1, 1)
                    : step instanceof Cropping1D ? new Cropping1D(1, 0) : new UpSampling1D(2);
            Sequential withMask = Sequential.of(Input.shape(5, 3), new Masking(), step, new LSTM(4));
            Sequential without = Sequential.of(Input.shape(5, 3), again, new LSTM(4));
            without.layers().get(1).setWeights(withMask.layers().get(2).getWeights());
            assertThat(withMask.predict(masked).toArray()).as("%s drops the mask: the LSTM sees every step",
                    step.className()).containsExactly(without.predict(masked).toArray());
            // The comparison can fail: with the mask reaching the LSTM the numbers differ.
            Sequential direct = Sequential.of(Input.shape(5, 3), new Masking(), new LSTM(4));
            direct.layers().get(1).setWeights(withMask.layers().get(2).getWeights());
            Sequential plain = Sequential.of(Input.shape(5, 3), new LSTM(4));
            plain.layers().get(0).setWeights(withMask.layers().get(2).getWeights());
            assertThat(direct.predict(masked).toArray()).isNotEqualTo(plain.predict(masked).toArray());
        }
    }

    @Test
    void zeroPaddingPastTheIntRangeIsRefusedByNameNotWrapped() {
        // Keras 3 zero_padding1d.py compute_output_shape adds the paddings to the steps as Python ints: they do not
        // wrap. Here 4 + (2^31 - 1) + (2^31 - 1) wrapped to 2 steps, a silently wrong shape; 4 + (2^31 - 1) + 5 to a
        // negative one refused by Shape without the layer's name. Either must be refused naming the layer.
        ZeroPadding1D wraps = new ZeroPadding1D(Integer.MAX_VALUE, Integer.MAX_VALUE);
        assertThatThrownBy(() -> wraps.build(Shape.of(4, 2))).as("(2^31 - 1, 2^31 - 1) around 4 steps")
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Layer '" + wraps.name()
                        + "' (ZeroPadding1D)").hasMessageContaining("4294967298");
        ZeroPadding1D negative = new ZeroPadding1D(Integer.MAX_VALUE, 5);
        assertThatThrownBy(() -> negative.build(Shape.of(4, 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Layer '" + negative.name() + "' (ZeroPadding1D)");
        ZeroPadding1D late = new ZeroPadding1D(Integer.MAX_VALUE, Integer.MAX_VALUE);
        late.build(Shape.withUnknown(Input.NONE, 2));
        assertThat(late.outputShape()).isEqualTo(Shape.withUnknown(Input.NONE, 2));
        assertThatThrownBy(() -> run(late, Tensor.zeros(1, 4, 2))).as("the same on a call of None steps")
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Layer '" + late.name()
                        + "' (ZeroPadding1D)");
    }
}
