package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Sequential;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * ZeroPadding1D, Cropping1D and UpSampling1D as Keras 3's {@code layers/reshaping/zero_padding1d.py},
 * {@code cropping1d.py} and {@code up_sampling1d.py}: outputs against plain loops over
 * {@code (batch, steps, features)} (exactly: they only move values), channels_first padding, Keras's
 * defaults, gradients against float64 finite differences, None steps staying None while each call
 * takes its own length, the mask dropped (these layers do not support masking in Keras 3), and
 * negative sizes, too much cropping and wrong ranks refused by name. Seed 17.
 */
class Steps1DTest {
    private final Random r = new Random(17);

    private static Tensor run(Layer layer, Tensor x) {
        return layer.call(Variable.constant(x), null, CallContext.inference()).value();
    }

    /** out[b, t, f] = x[b, t - left, f] inside the input, else 0 (channels_last). */
    private static float[] padded(float[] x, int batch, int steps, int features, int left, int right) {
        int outSteps = steps + left + right;
        float[] out = new float[batch * outSteps * features];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < outSteps; t++) {
                for (int f = 0; f < features; f++) {
                    int s = t - left;
                    out[(b * outSteps + t) * features + f] = s >= 0 && s < steps ? x[(b * steps + s) * features + f] : 0;
                }
            }
        }
        return out;
    }

    /** out[b, t, f] = x[b, t + start, f] for t < steps - start - end. */
    private static float[] cropped(float[] x, int batch, int steps, int features, int start, int end) {
        int outSteps = steps - start - end;
        float[] out = new float[batch * outSteps * features];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < outSteps; t++) {
                for (int f = 0; f < features; f++) {
                    out[(b * outSteps + t) * features + f] = x[(b * steps + t + start) * features + f];
                }
            }
        }
        return out;
    }

    /** out[b, t, f] = x[b, t / size, f]. */
    private static float[] upsampled(float[] x, int batch, int steps, int features, int size) {
        int outSteps = steps * size;
        float[] out = new float[batch * outSteps * features];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < outSteps; t++) {
                for (int f = 0; f < features; f++) {
                    out[(b * outSteps + t) * features + f] = x[(b * steps + t / size) * features + f];
                }
            }
        }
        return out;
    }

    @Test
    void zeroPaddingMatchesPlainLoops() {
        Tensor x = uniform(r, -1, 1, 2, 4, 3);
        for (int[] p : new int[][] {{1, 1}, {2, 0}, {0, 3}, {0, 0}, {3, 2}}) {
            ZeroPadding1D z = new ZeroPadding1D(p[0], p[1]);
            z.build(Shape.of(4, 3));
            assertThat(z.outputShape()).isEqualTo(Shape.of(4 + p[0] + p[1], 3));
            assertThat(run(z, x).toArray()).as("ZeroPadding1D(%d, %d) against plain loops", p[0], p[1])
                    .containsExactly(padded(x.toArray(), 2, 4, 3, p[0], p[1]));
        }
        ZeroPadding1D byDefault = new ZeroPadding1D();
        assertThat(byDefault.padding()).as("Keras's default padding=1").containsExactly(1, 1);
        assertThat(new ZeroPadding1D(2).padding()).containsExactly(2, 2);
        assertThat(byDefault.dataFormat()).isEqualTo("channels_last");
        // channels_first: (batch, features, steps), the steps padded on the last axis.
        ZeroPadding1D first = new ZeroPadding1D(1, 2).dataFormat("CHANNELS_FIRST");
        first.build(Shape.of(3, 4));
        assertThat(first.outputShape()).isEqualTo(Shape.of(3, 7));
        Tensor xf = uniform(r, -1, 1, 2, 3, 4);
        // Each (batch, feature) row is a sequence of 4 steps: padding it is padding a (rows, 4, 1) input.
        assertThat(run(first, xf).toArray()).as("channels_first against plain loops")
                .containsExactly(padded(xf.toArray(), 6, 4, 1, 1, 2));
    }

    @Test
    void croppingMatchesPlainLoops() {
        Tensor x = uniform(r, -1, 1, 2, 6, 3);
        for (int[] c : new int[][] {{1, 1}, {2, 0}, {0, 3}, {0, 0}, {4, 1}}) {
            Cropping1D k = new Cropping1D(c[0], c[1]);
            k.build(Shape.of(6, 3));
            assertThat(k.outputShape()).isEqualTo(Shape.of(6 - c[0] - c[1], 3));
            assertThat(run(k, x).toArray()).as("Cropping1D(%d, %d) against plain loops", c[0], c[1])
                    .containsExactly(cropped(x.toArray(), 2, 6, 3, c[0], c[1]));
        }
        assertThat(new Cropping1D().cropping()).as("Keras's default cropping=(1, 1)").containsExactly(1, 1);
        assertThat(new Cropping1D(3).cropping()).containsExactly(3, 3);
    }

    @Test
    void upSamplingMatchesPlainLoops() {
        Tensor x = uniform(r, -1, 1, 2, 3, 4);
        for (int size : new int[] {1, 2, 3, 5}) {
            UpSampling1D u = new UpSampling1D(size);
            u.build(Shape.of(3, 4));
            assertThat(u.outputShape()).isEqualTo(Shape.of(3 * size, 4));
            assertThat(run(u, x).toArray()).as("UpSampling1D(%d) against plain loops", size)
                    .containsExactly(upsampled(x.toArray(), 2, 3, 4, size));
        }
        assertThat(new UpSampling1D().size()).as("Keras's default size=2").isEqualTo(2);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        List<Layer> layers = List.of(new ZeroPadding1D(2, 1), new ZeroPadding1D(0, 2).dataFormat("channels_first"),
                new Cropping1D(1, 2), new Cropping1D(0, 1), new UpSampling1D(3), new UpSampling1D(1));
        for (Layer l : layers) {
            l.build(Shape.of(5, 3));
            Variable in = Variable.parameter(uniform(r, -1, 1, 2, 5, 3));
            GradCheck.checkParameters(l.className() + " " + l.outputShape(),
                    () -> l.call(in, null, CallContext.inference()), List.of(in));
        }
    }

    @Test
    void noneStepsStayNoneAndEachCallTakesItsLength() {
        Sequential m = Sequential.of(Input.shape(Input.NONE, 2), new ZeroPadding1D(1, 2), new UpSampling1D(2),
                new Cropping1D(3, 1));
        assertThat(m.outputShape()).as("None steps stay None").isEqualTo(Shape.withUnknown(Input.NONE, 2));
        for (int steps : new int[] {1, 4, 9}) {
            Tensor x = uniform(r, -1, 1, 3, steps, 2);
            float[] want = cropped(upsampled(padded(x.toArray(), 3, steps, 2, 1, 2), 3, steps + 3, 2, 2), 3,
                    2 * (steps + 3), 2, 3, 1);
            assertThat(m.predict(x).toArray()).as("%d steps through pad, upsample, crop", steps).containsExactly(want);
        }
        Layer up = m.layers().get(1);
        assertThat(up.computeOutputShapes(List.of(Shape.of(7, 2)))).as("a known length given to a None-built layer")
                .containsExactly(Shape.of(14, 2));
        assertThat(up.computeOutputShapes(List.of(Shape.withUnknown(7, Input.NONE))))
                .as("any features: Keras binds only the rank").containsExactly(Shape.withUnknown(14, Input.NONE));
        Cropping1D crop = new Cropping1D(2, 2);
        crop.build(Shape.withUnknown(Input.NONE, 3));
        assertThatThrownBy(() -> run(crop, uniform(r, -1, 1, 1, 4, 3))).isInstanceOf(IllegalArgumentException.class)
                .as("too much cropping of a None-length input is refused when called")
                .hasMessage("Layer '" + crop.name() + "' (Cropping1D): cropping (2, 2) must be smaller than the input "
                        + "length: it leaves no step of an input (None, 4, 3)");
        assertThat(run(crop, uniform(r, -1, 1, 1, 5, 3)).shape()).isEqualTo(Shape.of(1, 1, 3));
    }

    @Test
    void theMaskIsDroppedAsKeras3Does() {
        Tensor mask = Tensor.of(new float[] {1, 1, 0, 1, 0, 0}, 2, 3);
        Tensor x = uniform(r, -1, 1, 2, 3, 4);
        for (Layer l : List.of(new ZeroPadding1D(), new Cropping1D(1, 0), new UpSampling1D())) {
            l.build(Shape.of(3, 4));
            Variable in = Variable.constant(x);
            assertThat(l.computeMask(in, mask)).as("%s does not support masking: no mask passed on", l.className())
                    .isNull();
            assertThat(l.call(in, mask, CallContext.inference()).value().toArray())
                    .as("%s computes masked steps like the others", l.className())
                    .containsExactly(l.call(in, null, CallContext.inference()).value().toArray());
            assertThat(l.countParams()).isZero();
        }
    }

    @Test
    void badSizesAndInputsAreRefused() {
        assertThatThrownBy(() -> new ZeroPadding1D(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("Layer 'zero_padding1d(_\\d+)?' \\(ZeroPadding1D\\): padding must be >= 0, got "
                        + "\\(-1, -1\\)");
        assertThatThrownBy(() -> new ZeroPadding1D(1, -2)).hasMessageContaining("padding must be >= 0, got (1, -2)");
        assertThatThrownBy(() -> new Cropping1D(-1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("Layer 'cropping1d(_\\d+)?' \\(Cropping1D\\): cropping must be >= 0, got "
                        + "\\(-1, 0\\)");
        for (int size : new int[] {0, -2}) {
            assertThatThrownBy(() -> new UpSampling1D(size)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageMatching("Layer 'up_sampling1d(_\\d+)?' \\(UpSampling1D\\): size must be a positive "
                            + "integer, got " + size);
        }
        assertThatThrownBy(() -> new ZeroPadding1D().dataFormat("channels_middle"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data_format must be 'channels_last' or 'channels_first', got 'channels_middle'");
        Cropping1D all = new Cropping1D(2, 1);
        assertThatThrownBy(() -> all.build(Shape.of(3, 4))).isInstanceOf(IllegalArgumentException.class)
                .as("cropping the whole input is refused when built, as Keras's compute_output_shape")
                .hasMessage("Layer '" + all.name() + "' (Cropping1D): cropping (2, 1) must be smaller than the input "
                        + "length: it leaves no step of an input (None, 3, 4)");
        UpSampling1D up = new UpSampling1D();
        assertThatThrownBy(() -> up.build(Shape.of(3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer '" + up.name() + "' (UpSampling1D): expected an input (batch, steps, "
                        + "features), got (None, 3)");
        ZeroPadding1D z = new ZeroPadding1D();
        z.build(Shape.of(3, 4));
        assertThatThrownBy(() -> run(z, uniform(r, -1, 1, 2, 3, 4, 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Input of layer '" + z.name() + "' (ZeroPadding1D) is incompatible with the layer: "
                        + "expected shape=(None, None, None), found shape=(2, 3, 4, 1)");
        assertThatThrownBy(() -> z.dataFormat("channels_first")).isInstanceOf(IllegalStateException.class);
    }
}
