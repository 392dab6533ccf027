package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.model.StepRunner;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Keras's Normalization and Rescaling (keras/src/layers/preprocessing/{normalization,rescaling}.py):
 * the docstring's examples give Keras's printed values; on random data, adapt's statistics against
 * float64 sums and the output bit for bit against the formula computed in Java's float32
 * ({@code (x − m) / max(sqrt(v), 1e-7)}, {@code m + x · std}, {@code x · s + o}) for each kind of
 * axis; the mask passed on; None timesteps; input gradients by finite differences; parameter
 * counts (adapted: mean, variance and count, as Keras's summary counts them); stepping equal to
 * predict; bad options refused. Seed 31, fixed.
 */
class NormalizationTest {
    private final Random r = new Random(31);

    private static float[] run(Layer l, Tensor x) {
        if (!l.isBuilt()) {
            l.build(x.shape().tail());
        }
        return l.call(Variable.constant(x), null, CallContext.inference()).value().toArray();
    }

    @Test
    void kerasDocstringExamplesGiveKerasPrintedValues() {
        Normalization all = new Normalization().axisNone().adapt(Tensor.of(new float[] {1, 2, 3, 4, 5}, 5, 1));
        assertThat(run(all, Tensor.of(new float[] {1, 2, 3}, 3, 1))).as("axis=None, adapted on 1..5")
                .containsExactly(-1.4142135f, -0.70710677f, 0f);
        Tensor adaptData = Tensor.of(new float[] {0, 7, 4, 2, 9, 6, 0, 7, 4, 2, 9, 6}, 4, 3);
        Normalization perFeature = new Normalization().adapt(adaptData);
        assertThat(run(perFeature, Tensor.of(new float[] {0, 7, 4}, 1, 3))).containsExactly(-1f, -1f, -1f);
        Normalization given = new Normalization().meanAndVariance(3, 2);
        assertThat(run(given, Tensor.of(new float[] {1, 2, 3}, 3, 1))).as("mean=3, variance=2")
                .containsExactly(-1.4142135f, -0.70710677f, 0f);
        Normalization invert = new Normalization().invert(true).adapt(adaptData);
        assertThat(run(invert, Tensor.of(new float[] {1, 2, 3}, 1, 3))).as("invert").containsExactly(2f, 10f, 8f);
    }

    /** Adapts on (B, T, F) data keeping {@code axes}, checks the statistics against float64 and the output bit for bit. */
    private void adaptedMatchesFloat32Formula(int[] axes, boolean keepSteps, boolean keepFeatures, boolean invert) {
        int b = 7;
        int t = 4;
        int f = 3;
        Tensor data = GradCheck.uniform(r, -5, 9, b, t, f);
        Normalization n = new Normalization().axis(axes).invert(invert).adapt(data);
        float[] v = data.toArray();
        int positions = (keepSteps ? t : 1) * (keepFeatures ? f : 1);
        double[] sum = new double[positions];
        int[] count = new int[positions];
        for (int i = 0; i < v.length; i++) {
            int p = position(i, t, f, keepSteps, keepFeatures);
            sum[p] += v[i];
            count[p]++;
        }
        double[] sq = new double[positions];
        for (int i = 0; i < v.length; i++) {
            int p = position(i, t, f, keepSteps, keepFeatures);
            double d = v[i] - sum[p] / count[p];
            sq[p] += d * d;
        }
        float[] mean = n.mean().toArray();
        float[] variance = n.variance().toArray();
        for (int p = 0; p < positions; p++) {
            assertThat(mean[p]).as("mean at %d (float64 sum rounded once)", p).isEqualTo((float) (sum[p] / count[p]));
            assertThat(variance[p]).as("variance at %d", p).isEqualTo((float) (sq[p] / count[p]));
        }
        Tensor x = GradCheck.uniform(r, -5, 9, 2, t, f);
        float[] xs = x.toArray();
        float[] y = run(n, x);
        for (int i = 0; i < xs.length; i++) {
            int p = position(i, t, f, keepSteps, keepFeatures);
            float std = Math.max((float) Math.sqrt(variance[p]), 1e-7f);
            float want = invert ? mean[p] + xs[i] * std : (xs[i] - mean[p]) / std;
            assertThat(y[i]).as("output %d, axes %s, invert %s", i, Arrays.toString(axes), invert)
                    .isEqualTo(want);
        }
    }

    private static int position(int i, int t, int f, boolean keepSteps, boolean keepFeatures) {
        int step = i / f % t;
        int feature = i % f;
        return (keepSteps ? step : 0) * (keepFeatures ? f : 1) + (keepFeatures ? feature : 0);
    }

    @Test
    void adaptedStatisticsAreFloat64RoundedOnceAndOutputsAreTheFloat32Formula() {
        adaptedMatchesFloat32Formula(new int[] {-1}, false, true, false);
        adaptedMatchesFloat32Formula(new int[] {2}, false, true, true);
        adaptedMatchesFloat32Formula(new int[] {1}, true, false, false);
        adaptedMatchesFloat32Formula(new int[] {-2, -1}, true, true, false);
        adaptedMatchesFloat32Formula(new int[0], false, false, true);
    }

    @Test
    void givenStatisticsBroadcastOverTheLastKeptAxes() {
        // Keras lines a (1, F) mean up with the kept axes (1, 2) and broadcasts it over the steps.
        Normalization n = new Normalization().axis(1, 2).meanAndVariance(Tensor.of(new float[] {1, 2, 3}, 1, 3),
                Tensor.of(new float[] {4, 0, 0.25f}, 1, 3));
        Tensor x = GradCheck.uniform(r, -2, 2, 2, 4, 3);
        float[] y = run(n, x);
        float[] xs = x.toArray();
        float[] m = {1, 2, 3};
        float[] s = {2, 1e-7f, 0.5f};
        for (int i = 0; i < xs.length; i++) {
            assertThat(y[i]).as("at %d; variance 0 divides by 1e-7", i).isEqualTo((xs[i] - m[i % 3]) / s[i % 3]);
        }
        Normalization flat = new Normalization().axis(1, 2).meanAndVariance(Tensor.of(new float[] {1, 2, 3}, 3),
                Tensor.of(new float[] {4, 0, 0.25f}, 3));
        assertThat(run(flat, x)).as("a (F,) mean lines up with the last kept axis").containsExactly(y);
        assertThat(n.mean().shape()).isEqualTo(Shape.of(4, 3));
        assertThat(n.weights()).as("given statistics are config, not weights").isEmpty();
    }

    @Test
    void adaptedLayersCountMeanVarianceAndCountAsKerasSummaryDoes() {
        Normalization n = new Normalization().adapt(GradCheck.uniform(r, 0, 1, 5, 3));
        assertThat(n.weights()).extracting(Weight::name).containsExactly("mean", "variance", "count");
        assertThat(n.countParams()).as("3 + 3 + 1, none trainable").isEqualTo(7);
        assertThat(n.countTrainableParams()).isZero();
        assertThat(n.weights().get(2).value().toArray()).as("Keras 3's adapt leaves count at 0").containsExactly(0f);
    }

    @Test
    void passesTheMaskOnTakesAnyTimestepsAndHasInputGradients() {
        Normalization n = new Normalization().adapt(GradCheck.uniform(r, -1, 3, 6, 5, 2));
        Tensor mask = Tensor.of(new float[] {1, 1, 0, 1, 0, 0}, 2, 3);
        Variable x = Variable.constant(GradCheck.uniform(r, -1, 1, 2, 3, 2));
        assertThat(n.computeMask(x, mask)).isSameAs(mask);
        assertThat(n.call(x, mask, CallContext.inference()).shape()).as("3 steps where it adapted on 5")
                .isEqualTo(Shape.of(2, 3, 2));
        GradCheck.check("normalization input", v -> Ops.mul(n.call(v[0], null, CallContext.inference()), v[0]),
                GradCheck.uniform(r, -1, 1, 2, 3, 2));
        Normalization inverted = new Normalization().invert(true).meanAndVariance(0.5, 3);
        inverted.build(Shape.of(3, 2));
        GradCheck.check("inverted input", v -> Ops.mul(inverted.call(v[0], null, CallContext.inference()), v[0]),
                GradCheck.uniform(r, -1, 1, 2, 3, 2));
        Normalization perStep = new Normalization().axis(1);
        assertThatThrownBy(() -> Sequential.of(Input.shape(Input.NONE, 2), perStep))
                .hasMessageContaining("needs a known size on axis 1");
    }

    @Test
    void rescalingIsAFloat32ProductThenSum() {
        Tensor x = GradCheck.uniform(r, 0, 255, 2, 4, 3);
        float[] xs = x.toArray();
        float[] y = run(new Rescaling(1 / 255.0, -0.5), x);
        float[] perFeature = run(new Rescaling(new float[] {2, 3, 0.1f}, new float[] {1}), x);
        for (int i = 0; i < xs.length; i++) {
            assertThat(y[i]).as("x / 255 - 0.5 at %d", i).isEqualTo(xs[i] * (float) (1 / 255.0) + -0.5f);
            assertThat(perFeature[i]).isEqualTo(xs[i] * new float[] {2, 3, 0.1f}[i % 3] + 1f);
        }
        Rescaling rescaling = new Rescaling(0.5, 2);
        rescaling.build(Shape.of(4, 3));
        GradCheck.check("rescaling input", v -> Ops.mul(rescaling.call(v[0], null, CallContext.inference()), v[0]),
                GradCheck.uniform(r, -1, 1, 2, 4, 3));
        assertThatThrownBy(() -> run(new Rescaling(new float[] {1, 2}, new float[] {0}), x))
                .hasMessageContaining("scale has 2 values but the input (None, 4, 3) has 3 features");
    }

    @Test
    void steppingGivesPredictNumbersBitForBit() {
        Seeds.set(31);
        Normalization norm = new Normalization().adapt(GradCheck.uniform(r, -3, 7, 8, 6, 4));
        Sequential m = Sequential.of(Input.shape(6, 4), new Rescaling(0.5, 1), norm,
                new LSTM(5).returnSequences(true), new Dense(2));
        Tensor x = GradCheck.uniform(r, -3, 7, 1, 6, 4);
        float[] whole = m.predict(x).toArray();
        StepRunner steps = m.stepRunner();
        float[] xs = x.toArray();
        for (int t = 0; t < 6; t++) {
            float[] out = steps.step(Arrays.copyOfRange(xs, t * 4, t * 4 + 4));
            for (int k = 0; k < 2; k++) {
                assertThat(out[k]).as("step %d output %d", t, k).isCloseTo(whole[t * 2 + k], within(0f));
            }
        }
        Sequential perStep = Sequential.of(Input.shape(6, 4), new Normalization().axis(1, 2)
                .adapt(GradCheck.uniform(r, 0, 1, 3, 6, 4)), new LSTM(2));
        assertThatThrownBy(perStep::stepRunner).hasMessageContaining("cannot run step by step");
    }

    @Test
    void badOptionsAreRefusedNamingWhatCame() {
        assertThatThrownBy(() -> new Normalization().axis(0).build(Shape.of(3, 2)))
                .hasMessageContaining("axis 0 is the batch axis");
        assertThatThrownBy(() -> new Normalization().axis(1, -2).build(Shape.of(3, 2)))
                .hasMessageContaining("duplicate axes");
        assertThatThrownBy(() -> new Normalization().meanAndVariance(Tensor.of(new float[] {1, 2}, 2),
                Tensor.of(new float[] {1, 2, 3}, 3))).hasMessageContaining("same shape");
        assertThatThrownBy(() -> new Normalization().meanAndVariance(Tensor.of(new float[] {1, 2}, 1, 2),
                Tensor.of(new float[] {1, 2}, 1, 2)).build(Shape.of(3, 2)))
                .hasMessageContaining("more axes than the 1 kept");
        assertThatThrownBy(() -> new Normalization().meanAndVariance(Tensor.of(new float[] {1, 2}, 2),
                Tensor.of(new float[] {1, 2}, 2)).build(Shape.of(3, 5)))
                .hasMessageContaining("does not broadcast to the kept axes' sizes [5]");
        assertThatThrownBy(() -> new Normalization().meanAndVariance(1, 2).adapt(Tensor.of(new float[] {1}, 1, 1)))
                .hasMessageContaining("the mean and variance were given");
        Normalization built = new Normalization().adapt(GradCheck.uniform(r, 0, 1, 4, 3));
        assertThatThrownBy(() -> built.adapt(GradCheck.uniform(r, 0, 1, 4, 2)))
                .hasMessageContaining("built for inputs (None, 3) but adapt was given data (4, 2)");
        assertThatThrownBy(() -> new Normalization().adapt(Tensor.zeros(0, 3))).hasMessageContaining("non-empty");
    }
}
