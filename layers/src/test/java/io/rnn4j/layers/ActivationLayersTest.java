package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.model.Sequential;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * ReLU, LeakyReLU, ELU and PReLU (keras/src/layers/activations/) against float64 references written
 * here from Keras 3's formulas on TensorFlow (keras/src/activations/activations.py relu,
 * keras/src/backend/tensorflow/nn.py leaky_relu and elu): values at random points and exactly at
 * the kinks, gradients by float64 finite differences away from the kinks and exactly at them as
 * TensorFlow's kernels give them; NaN and ±∞ where TensorFlow's where drops them; masks passed on;
 * None timesteps; PReLU's weight, shared axes and count; bad options. Seed 11, fixed.
 */
class ActivationLayersTest {
    private static final double TOL = 1e-6;
    private final Random r = new Random(11);

    private static Variable run(Layer l, Tensor x) {
        if (!l.isBuilt()) {
            l.build(x.shape().tail());
        }
        return l.call(Variable.constant(x), null, CallContext.inference());
    }

    /** Keras 3's relu as its TensorFlow code computes it, in float64 (at x == threshold it gives 0, not x). */
    private static double relu(double x, Float max, double slope, double t) {
        if (slope != 0 && max == null && t == 0) {
            return x > 0 ? x : slope * x;
        }
        double y = x > t ? x : 0;
        if (max != null) {
            y = Math.min(Math.max(y, 0), max);
        }
        return y - slope * Math.max(t - x, 0);
    }

    /** Random values in [-8, 8] and every kink of the options, exactly. */
    private float[] points(float... kinks) {
        float[] v = new float[40 + kinks.length];
        for (int i = 0; i < 40; i++) {
            v[i] = (float) (r.nextDouble() * 16 - 8);
        }
        System.arraycopy(kinks, 0, v, 40, kinks.length);
        return v;
    }

    private static void matches(String what, Layer l, float[] x, DoubleUnaryOperator ref) {
        float[] y = run(l, Tensor.of(x, 1, x.length)).value().toArray();
        for (int i = 0; i < x.length; i++) {
            assertThat((double) y[i]).as("%s at x=%s against the float64 reference", what, x[i])
                    .isCloseTo(ref.applyAsDouble(x[i]), within(TOL * Math.max(1, Math.abs(ref.applyAsDouble(x[i])))));
        }
    }

    @Test
    void reluOptionsMatchKerasFormulaInFloat64IncludingTheKinks() {
        Object[][] options = {{null, 0f, 0f}, {6f, 0f, 0f}, {2.5f, 0f, 0f}, {null, 0.5f, 0f}, {6f, 0.2f, 0f},
            {3f, 0.1f, 0f}, {null, 0f, 1.5f}, {null, 0.25f, 2f}, {6f, 0.3f, 1f}, {2f, 0.5f, 3f}, {0f, 0f, 0f}};
        for (Object[] o : options) {
            Float max = (Float) o[0];
            float slope = (Float) o[1];
            float t = (Float) o[2];
            ReLU l = new ReLU(max == null ? null : (double) max, slope, t);
            float[] x = points(0f, t, max == null ? 1f : max, 6f, -t);
            matches("ReLU(max_value=" + max + ", negative_slope=" + slope + ", threshold=" + t + ")", l, x,
                    v -> relu(v, max, slope, t));
        }
        assertThat(run(new ReLU(10.0, 0.5f, 0f), Tensor.of(new float[] {-10, -5, 0, 5, 10}, 1, 5)).value().toArray())
                .as("the example of Keras's ReLU docstring").containsExactly(-5f, -2.5f, 0f, 5f, 10f);
    }

    @Test
    void leakyReluEluAndPreluMatchFloat64References() {
        matches("LeakyReLU default 0.3", new LeakyReLU(), points(0f), v -> v > 0 ? v : 0.3 * v);
        matches("LeakyReLU 0.05", new LeakyReLU(0.05f), points(0f), v -> v > 0 ? v : 0.05 * v);
        matches("ELU default", new ELU(), points(0f), v -> v > 0 ? v : Math.expm1(v));
        matches("ELU 0.7", new ELU(0.7f), points(0f), v -> v > 0 ? v : 0.7 * Math.expm1(v));
        matches("ELU -0.5 (Keras takes any alpha)", new ELU(-0.5f), points(0f), v -> v > 0 ? v : -0.5 * Math.expm1(v));

        PReLU p = new PReLU().alphaInitializer(Initializers.randomUniform(-1f, 1f));
        Tensor x = GradCheck.uniform(r, -3, 3, 2, 3, 4);
        p.build(Shape.of(3, 4));
        float[] alpha = p.alpha().value().toArray();
        float[] y = run(p, x).value().toArray();
        float[] xv = x.toArray();
        for (int i = 0; i < xv.length; i++) {
            double a = alpha[i % 12];
            double want = Math.max(xv[i], 0) - a * Math.max(-xv[i], 0);
            assertThat((double) y[i]).as("PReLU at %s, alpha %s", xv[i], a).isCloseTo(want, within(TOL));
        }
    }

    @Test
    void nanAndInfinitiesAsTensorFlow() {
        Tensor x = Tensor.of(new float[] {Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}, 1, 3);
        assertThat(run(new ReLU(null, 0f, 1f), x).value().toArray()).as("where(x > 1, x, 0): NaN and -inf give 0")
                .containsExactly(0f, 0f, Float.POSITIVE_INFINITY);
        assertThat(run(new LeakyReLU(0.2f), x).value().toArray()).as("leaky_relu: x > 0 ? x : 0.2x")
                .containsExactly(Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        assertThat(run(new ELU(2f), x).value().toArray()).as("elu 2: NaN, -2, inf")
                .containsExactly(Float.NaN, -2f, Float.POSITIVE_INFINITY);
    }

    /** d(sum(layer(x)))/dx at each x. */
    private static float[] slopesAt(Layer l, float... x) {
        Variable in = Variable.parameter(Tensor.of(x, 1, x.length));
        if (!l.isBuilt()) {
            l.build(Shape.of(x.length));
        }
        Ops.sumAll(l.call(in, null, CallContext.inference())).backward();
        return in.grad().toArray();
    }

    @Test
    void gradientsAtTheKinksAreTensorFlows() {
        assertThat(slopesAt(new ReLU(), 0f)).as("relu at 0: ReluGrad gives 0").containsExactly(0f);
        assertThat(slopesAt(new ReLU(null, 0.2f, 0f), 0f)).as("ReLU slope only is leaky_relu: 0.2 at 0")
                .containsExactly(0.2f);
        assertThat(slopesAt(new ReLU(6.0, 0f, 0f), 0f, 6f, 3f, 7f)).as("relu6: 0 at 0 and at 6 (Relu6Grad)")
                .containsExactly(0f, 0f, 1f, 0f);
        assertThat(slopesAt(new ReLU(2.5, 0f, 0f), 0f, 2.5f, 3f)).as("relu then clip: clip_by_value passes at 2.5")
                .containsExactly(0f, 1f, 0f);
        assertThat(slopesAt(new ReLU(6.0, 0.2f, 0f), 0f, 6f, -1f)).as("relu6 - 0.2 relu(-x): 0 at 0 and 6")
                .containsExactly(0f, 0f, 0.2f);
        assertThat(slopesAt(new ReLU(null, 0.25f, 1f), 1f, 0.5f, 2f)).as("threshold 1: 0 at x == 1")
                .containsExactly(0f, 0.25f, 1f);
        assertThat(slopesAt(new ReLU(4.0, 0f, 1f), 4f, 1f)).as("threshold 1, max 4: clip passes at 4, 0 at 1")
                .containsExactly(1f, 0f);
        assertThat(slopesAt(new LeakyReLU(), 0f)).as("LeakyReLU at 0: the slope").containsExactly(0.3f);
        assertThat(slopesAt(new ELU(0.5f), 0f)).as("ELU 0.5 at 0: alpha").containsExactly(0.5f);
        assertThat(slopesAt(new ELU(), 0f)).as("ELU at 0: 1").containsExactly(1f);
        assertThat(slopesAt(new PReLU().alphaInitializer(Initializers.constant(0.25f)), 0f, -2f, 3f))
                .as("PReLU: 0 at 0 (both relus'), alpha below, 1 above").containsExactly(0f, 0.25f, 1f);
    }

    /** Uniform in [-3, 3] but at least 0.05 from every kink, so the differences never straddle one. */
    private Tensor awayFrom(float[] kinks, int... dims) {
        Tensor t = GradCheck.uniform(r, -3, 3, dims);
        float[] v = t.toArray();
        for (int i = 0; i < v.length; i++) {
            for (float k : kinks) {
                if (Math.abs(v[i] - k) < 0.05f) {
                    v[i] = k + 0.1f;
                }
            }
        }
        return Tensor.of(v, dims);
    }

    @Test
    void gradientsAwayFromTheKinksMatchFiniteDifferences() {
        List<Layer> layers = List.of(new ReLU(), new ReLU(2.0, 0f, 0f), new ReLU(6.0, 0.2f, 0f),
                new ReLU(null, 0.3f, 0f), new ReLU(2.5, 0.4f, 1f), new LeakyReLU(), new ELU(), new ELU(1.7f));
        for (Layer l : layers) {
            l.build(Shape.of(4, 5));
            Tensor x = awayFrom(new float[] {0f, 1f, 2f, 2.5f, 6f}, 3, 4, 5);
            GradCheck.check(l.className() + " " + l.name(), v -> l.call(v[0], null, CallContext.inference()), x);
        }
        PReLU p = new PReLU().alphaInitializer(Initializers.randomUniform(-1f, 1f)).sharedAxes(1);
        p.build(Shape.of(4, 5));
        Variable x = Variable.parameter(awayFrom(new float[] {0f}, 3, 4, 5));
        GradCheck.checkParameters("PReLU shared_axes [1], input and alpha",
                () -> p.call(x, null, CallContext.inference()), List.of(x, p.alpha().variable()));
    }

    @Test
    void masksPassOnAndNoneTimestepsRun() {
        Tensor mask = Tensor.of(new float[] {1, 0, 1, 1, 1, 0}, 2, 3);
        for (Layer l : List.of(new ReLU(6.0, 0.1f, 0f), new LeakyReLU(), new ELU(), new PReLU().sharedAxes(1))) {
            Sequential m = Sequential.of(Input.shape(Input.NONE, 4), l);
            for (int steps : new int[] {2, 7}) {
                Tensor x = GradCheck.uniform(r, -2, 2, 2, steps, 4);
                Tensor y = m.predict(x);
                assertThat(y.shape()).as("%s on %s steps", l.className(), steps).isEqualTo(x.shape());
            }
            Variable x = Variable.constant(GradCheck.uniform(r, -2, 2, 2, 3, 4));
            assertThat(l.computeMask(x, mask)).as("%s passes the mask on (supports_masking)", l.className())
                    .isSameAs(mask);
        }
    }

    @Test
    void preluWeightSharedAxesAndSummary() {
        PReLU p = new PReLU().sharedAxes(1);
        Sequential m = Sequential.of(Input.shape(Input.NONE, 6), p);
        assertThat(p.alpha().name()).isEqualTo("alpha");
        assertThat(p.alpha().shape()).as("alpha (1, 6): shared over the steps").isEqualTo(Shape.of(1, 6));
        assertThat(p.alpha().value().toArray()).as("zeros by default").containsOnly(0f);
        assertThat(m.countParams()).isEqualTo(6);
        assertThat(m.summary()).contains("p_re_lu").contains("PReLU").contains("(None, None, 6)");
        PReLU full = new PReLU();
        Sequential.of(Input.shape(5, 3), full);
        assertThat(full.countParams()).as("alpha of the sample shape (5, 3)").isEqualTo(15);
        assertThatThrownBy(() -> Sequential.of(Input.shape(Input.NONE, 3), new PReLU()))
                .as("an unshared None axis cannot size alpha").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PReLU").hasMessageContaining("shared_axes");
        assertThatThrownBy(() -> Sequential.of(Input.shape(5, 3), new PReLU().sharedAxes(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shared_axes [0]")
                .hasMessageContaining("axes 1 to 2");
        assertThatThrownBy(() -> full.call(Variable.constant(Tensor.zeros(1, 5, 4)), null, CallContext.inference()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(None, 5, 3)");
    }

    @Test
    void badOptionsAreRefusedNamingLayerAndOption() {
        assertThatThrownBy(() -> new ReLU(-1.0, 0f, 0f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ReLU").hasMessageContaining("max_value must be a number >= 0, got -1.0");
        assertThatThrownBy(() -> new ReLU(null, -0.1f, 0f)).hasMessageContaining("negative_slope");
        assertThatThrownBy(() -> new ReLU(null, 0f, -2f)).hasMessageContaining("threshold");
        assertThatThrownBy(() -> new ReLU(Double.NaN, 0f, 0f)).hasMessageContaining("max_value");
        assertThatThrownBy(() -> new LeakyReLU(-0.3f)).hasMessageContaining("LeakyReLU")
                .hasMessageContaining("negative_slope");
        assertThatThrownBy(() -> new ELU(Float.NaN)).hasMessageContaining("ELU").hasMessageContaining("alpha");
    }
}
