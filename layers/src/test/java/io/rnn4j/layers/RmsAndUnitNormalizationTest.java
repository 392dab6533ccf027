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
 * the last axis and over two axes; input and scale gradients against finite differences; the
 * mask (dropped by RMSNormalization, passed on by UnitNormalization); a zero sample; config round
 * trip; refusals; a scale on axes that are not the last, against Keras's own numbers. Keras's own numbers: KerasWritten3151Test (make_normalization.py). Seed 23.
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

    /** Where Keras's broadcast of the scale fails (axis 1 of (8, 18): (8,) against 18), rnn4j refuses when built. */
    @Test
    void aScaleKerasCannotBroadcastIsRefused() {
        assertThatThrownBy(() -> new RMSNormalization().named("r").axis(1).build(Shape.of(8, 18)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Layer 'r' (RMSNormalization)")
                .hasMessageContaining("broadcast against the input's last 1 axes")
                .hasMessageContaining("(None, 8, 18)");
        RMSNormalization fine = new RMSNormalization().axis(1, 2);
        fine.build(Shape.of(8, 18));
        assertThat(fine.weights().get(0).shape()).isEqualTo(Shape.of(8, 18));
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
        KerasModel back = Models.load(new ByteArrayInputStream(out.toByteArray()), "norms.keras");
        RMSNormalization rms = (RMSNormalization) back.layers().get(1);
        assertThat(rms.epsilon()).isEqualTo(1e-3f);
        assertThat(rms.axis()).containsExactly(-1);
        Tensor x = uniform(r, -1, 1, 2, 5, 4);
        assertThat(back.predict(x).toArray()).isEqualTo(m.predict(x).toArray());
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
}
