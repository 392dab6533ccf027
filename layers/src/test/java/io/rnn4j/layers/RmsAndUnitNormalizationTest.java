package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.model.Sequential;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * RMSNormalization and UnitNormalization against float64 loops written here (to 2e-6 relative), over
 * the last axis, over two axes and over axes other than the last (the scale broadcast against the
 * last axes, as Keras multiplies it); input and scale gradients against finite differences; the
 * mask (dropped by RMSNormalization, passed on by UnitNormalization); a zero sample; config round
 * trip; refusals. Keras's own numbers: KerasWritten3151Test (make_normalization.py). Seed 23.
 */
class RmsAndUnitNormalizationTest {
    private final Random r = new Random(23);

    private static Tensor run(Layer l, Tensor x) {
        return l.call(Variable.constant(x), null, CallContext.inference()).value();
    }

    /** x · (1/sqrt(mean(x²) + eps)) · scale over the trailing {@code width} values of each of {@code rows}. */
    private static double[] rms(float[] x, int rows, int width, double eps, float[] scale) {
        double[] y = new double[x.length];
        for (int i = 0; i < rows; i++) {
            double ms = 0;
            for (int j = 0; j < width; j++) {
                ms += (double) x[i * width + j] * x[i * width + j];
            }
            double inv = 1 / Math.sqrt(ms / width + eps);
            for (int j = 0; j < width; j++) {
                y[i * width + j] = x[i * width + j] * inv * scale[j];
            }
        }
        return y;
    }

    private static void assertClose(String what, float[] got, double[] want) {
        assertThat(got).hasSize(want.length);
        for (int i = 0; i < got.length; i++) {
            assertThat((double) got[i]).as("%s element %d (bar 2e-6·max(1, |y|))", what, i)
                    .isCloseTo(want[i], org.assertj.core.data.Offset.offset(2e-6 * Math.max(1, Math.abs(want[i]))));
        }
    }

    @Test
    void rmsNormalizationOverTheLastAxisAndOverTwoAxesMatchesTheFloat64Loop() {
        RMSNormalization last = new RMSNormalization();
        last.build(Shape.of(4, 6));
        float[] scale = uniform(r, 0.5f, 1.5f, 6).toArray();
        last.weights().get(0).set(Tensor.of(scale, 6));
        Tensor x = uniform(r, -3, 3, 2, 4, 6);
        assertClose("axis -1", run(last, x).toArray(), rms(x.toArray(), 8, 6, 1e-6, scale));
        RMSNormalization both = new RMSNormalization().axis(1, 2).epsilon(0.25);
        both.build(Shape.of(4, 6));
        assertThat(both.weights().get(0).shape()).isEqualTo(Shape.of(4, 6));
        float[] scale2 = uniform(r, 0.5f, 1.5f, 24).toArray();
        both.weights().get(0).set(Tensor.of(scale2, 4, 6));
        assertClose("axes 1, 2", run(both, x).toArray(), rms(x.toArray(), 2, 24, 0.25, scale2));
    }

    /**
     * Keras's ops.rms_normalization multiplies by the scale with NumPy broadcasting, so a scale of
     * the sizes on {@code axis} (in the axes' sorted order) lines up with the input's LAST axes:
     * with axis 1 of a (4, 4) sample the scale multiplies along axis 2 (checked on Keras 3.15.1,
     * TensorFlow backend: rms_axes.keras), and a scale of size 1 multiplies every value.
     */
    @Test
    void rmsNormalizationScaleLinesUpWithTheLastAxesAsKerasBroadcastsIt() {
        RMSNormalization over1 = new RMSNormalization().axis(1).epsilon(0.01);
        over1.build(Shape.of(4, 4));
        assertThat(over1.weights().get(0).shape()).isEqualTo(Shape.of(4));
        float[] scale = uniform(r, 0.5f, 1.5f, 4).toArray();
        over1.weights().get(0).set(Tensor.of(scale, 4));
        Tensor x = uniform(r, -3, 3, 2, 4, 4);
        float[] xs = x.toArray();
        double[] want = new double[xs.length];
        for (int b = 0; b < 2; b++) {
            for (int d = 0; d < 4; d++) {
                double ms = 0;
                for (int t = 0; t < 4; t++) {
                    ms += (double) xs[(b * 4 + t) * 4 + d] * xs[(b * 4 + t) * 4 + d] / 4;
                }
                for (int t = 0; t < 4; t++) {
                    int i = (b * 4 + t) * 4 + d;
                    want[i] = xs[i] / Math.sqrt(ms + 0.01) * scale[d];
                }
            }
        }
        assertClose("axis 1, scale along the last axis", run(over1, x).toArray(), want);

        RMSNormalization single = new RMSNormalization().axis(1);
        single.build(Shape.of(1, 3));
        single.weights().get(0).set(Tensor.of(new float[] {2.5f}, 1));
        Tensor x1 = uniform(r, -3, 3, 2, 1, 3);
        float[] v = x1.toArray();
        double[] want1 = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            want1[i] = v[i] / Math.sqrt((double) v[i] * v[i] + 1e-6) * 2.5;
        }
        assertClose("axis 1 of size 1: its one scale value multiplies all", run(single, x1).toArray(), want1);

        RMSNormalization reversed = new RMSNormalization().axis(-1, 1);
        reversed.build(Shape.of(4, 4));
        float[] scale2 = uniform(r, 0.5f, 1.5f, 16).toArray();
        reversed.weights().get(0).set(Tensor.of(scale2, 4, 4));
        assertClose("axes [-1, 1]: the (4, 4) scale read as (axis 1, axis 2)", run(reversed, x).toArray(),
                rms(xs, 2, 16, 1e-6, scale2));
    }

    @Test
    void rmsNormalizationRefusesAScaleKerasCannotBroadcastAgainstTheInput() {
        assertThatThrownBy(() -> new RMSNormalization().named("r").axis(1).build(Shape.of(4, 5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Layer 'r' (RMSNormalization)")
                .hasMessageContaining("scale of shape (4)").hasMessageContaining("last axes (5)");
        assertThatThrownBy(() -> new RMSNormalization().named("r").axis(1, -1).build(Shape.of(3, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scale of shape (4, 3)");
        assertThatThrownBy(() -> new RMSNormalization().named("r").axis(1).build(Shape.of(3, 1)))
                .as("a (3) scale against a last axis of 1 would broadcast the output to (3, 3)")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scale of shape (3)");
    }

    @Test
    void unitNormalizationGivesUnitNormsAndKeepsAZeroSampleZero() {
        UnitNormalization u = new UnitNormalization();
        u.build(Shape.of(3, 5));
        Tensor x = uniform(r, -3, 3, 2, 3, 5);
        float[] ones = {1, 1, 1, 1, 1};
        double[] want = rms(x.toArray(), 6, 5, 0, ones); // x / sqrt(mean) = sqrt(5) · x / norm
        for (int i = 0; i < want.length; i++) {
            want[i] /= Math.sqrt(5);
        }
        assertClose("axis -1", run(u, x).toArray(), want);
        UnitNormalization z = new UnitNormalization();
        z.build(Shape.of(4));
        assertThat(run(z, Tensor.of(new float[] {0, 0, 0, 0, 3, 0, -4, 0}, 2, 4)).toArray())
                .as("a zero sample stays zero (the inverse norm is capped at 1e12, as Keras caps it)")
                .containsExactly(0, 0, 0, 0, 0.6f, 0, -0.8f, 0);
        UnitNormalization two = new UnitNormalization().axis(1, 2);
        two.build(Shape.of(3, 5));
        double[] w2 = rms(x.toArray(), 2, 15, 0, new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
        for (int i = 0; i < w2.length; i++) {
            w2[i] /= Math.sqrt(15);
        }
        assertClose("axes 1, 2", run(two, x).toArray(), w2);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        RMSNormalization rms = new RMSNormalization().axis(-1);
        rms.build(Shape.of(3, 4));
        rms.weights().get(0).set(uniform(r, 0.5f, 1.5f, 4));
        Variable in = Variable.parameter(uniform(r, -2, 2, 2, 3, 4));
        GradCheck.checkLayer("RMSNormalization", rms, in, () -> rms.call(in, null, CallContext.inference()));
        RMSNormalization over1 = new RMSNormalization().axis(1);
        over1.build(Shape.of(4, 4));
        over1.weights().get(0).set(uniform(r, 0.5f, 1.5f, 4));
        Variable in1 = Variable.parameter(uniform(r, -2, 2, 2, 4, 4));
        GradCheck.checkLayer("RMSNormalization axis 1", over1, in1, () -> over1.call(in1, null,
                CallContext.inference()));
        UnitNormalization unit = new UnitNormalization().axis(1, 2);
        unit.build(Shape.of(3, 4));
        Variable in2 = Variable.parameter(uniform(r, -2, 2, 2, 3, 4));
        GradCheck.checkLayer("UnitNormalization", unit, in2, () -> unit.call(in2, null, CallContext.inference()));
    }

    @Test
    void unitNormalizationPassesTheMaskOnAndRmsNormalizationDropsIt() {
        Tensor mask = Tensor.of(new float[] {1, 1, 0}, 1, 3);
        Variable x = Variable.constant(uniform(r, -1, 1, 1, 3, 2));
        UnitNormalization u = new UnitNormalization();
        u.build(Shape.of(3, 2));
        assertThat(u.computeMask(x, mask)).isSameAs(mask);
        RMSNormalization n = new RMSNormalization();
        n.build(Shape.of(3, 2));
        assertThat(n.computeMask(x, mask)).as("Keras's RMSNormalization does not support masking").isNull();
    }

    @Test
    void bothComeBackFromAKerasArchive() throws Exception {
        Sequential m = Sequential.of(Input.shape(Input.NONE, 4), new LSTM(4).returnSequences(true),
                new RMSNormalization().epsilon(1e-3), new UnitNormalization().axis(-1), new GRU(2));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Models.save(m, out);
        String config = config(out.toByteArray());
        assertThat(config).as("a built RMSNormalization's axis as Keras's build leaves it: a sorted list")
                .contains("\"axis\": [-1], \"epsilon\": 0.001");
        KerasModel back = Models.load(new ByteArrayInputStream(out.toByteArray()), "norms.keras");
        RMSNormalization rms = (RMSNormalization) back.layers().get(1);
        assertThat(rms.epsilon()).isEqualTo(1e-3f);
        assertThat(rms.axis()).containsExactly(-1);
        Tensor x = uniform(r, -1, 1, 2, 5, 4);
        assertThat(back.predict(x).toArray()).isEqualTo(m.predict(x).toArray());
    }

    /** The config.json of a .keras archive's bytes. */
    private static String config(byte[] archive) throws java.io.IOException {
        try (var zip = new java.util.zip.ZipInputStream(new ByteArrayInputStream(archive))) {
            for (var e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals("config.json")) {
                    return new String(zip.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError("no config.json in the archive");
    }

    @Test
    void refusalsNameTheLayer() {
        assertThatThrownBy(() -> new RMSNormalization().named("r").epsilon(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Layer 'r' (RMSNormalization)")
                .hasMessageContaining("epsilon must be > 0");
        assertThatThrownBy(() -> new RMSNormalization().named("r").axis(0).build(Shape.of(3, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the batch axis");
        assertThatThrownBy(() -> new UnitNormalization().named("u").axis(3).build(Shape.of(3, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
        assertThatThrownBy(() -> new RMSNormalization().named("r").build(Shape.withUnknown(3, Shape.UNKNOWN)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a known size");
    }

    /**
     * Keras 3 multiplies by the scale as it is, broadcast against the input's last axes: for axis 1
     * of (3, 3) the scale [0.5, 1, 2] falls on the last axis, not on the normalized one. Bar: Keras
     * 3.15.1's own output (TensorFlow backend, JAX alike) for x = arange(18) / 7 − 1, epsilon 1e-3,
     * to 2e-6·max(1, |y|); and the gradients against finite differences.
     */
    @Test
    void aScaleOnAxesThatAreNotTheLastIsBroadcastAsKerasBroadcastsIt() {
        RMSNormalization rms = new RMSNormalization().axis(1).epsilon(1e-3);
        rms.build(Shape.of(3, 3));
        rms.weights().get(0).set(Tensor.of(new float[] {0.5f, 1f, 2f}, 3));
        float[] x = new float[18];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) i / 7f - 1f;
        }
        double[] keras = {-0.74537295, -1.5466692, -3.1545584, -0.42592737, -0.77333456, -1.2618233, -0.10648184, 0,
            0.6309119, 0.1794635, 0.4626403, 1.0782396, 0.44865882, 0.9252804, 1.8869193, 0.717854, 1.3879209,
            2.695599};
        assertClose("axis 1 of (3, 3), Keras 3.15.1", run(rms, Tensor.of(x, 2, 3, 3)).toArray(), keras);
        Variable in = Variable.parameter(uniform(r, -2, 2, 2, 3, 3));
        GradCheck.checkLayer("RMSNormalization axis 1", rms, in, () -> rms.call(in, null, CallContext.inference()));
    }
}
