package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Sequential;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * ZeroPadding2D/3D, Cropping2D/3D and UpSampling2D/3D as Keras 3's
 * {@code layers/reshaping/zero_padding2d.py}, {@code zero_padding3d.py}, {@code cropping2d.py},
 * {@code cropping3d.py}, {@code up_sampling2d.py} and {@code up_sampling3d.py}: outputs against a
 * plain index-arithmetic reference (exactly: these layers only move values) in channels_last and
 * channels_first, UpSampling2D's "bilinear" against TensorFlow's resize kernel written out in
 * float32 loops (to the bit) and the exact interpolation in float64 (within 1e-6), Keras's
 * defaults, gradients against float64 finite differences, None spatial axes staying None while
 * each call takes its own sizes, the mask dropped (these layers do not support masking in Keras
 * 3), and bad sizes, too much cropping, other interpolations and wrong ranks refused by name.
 * Seed 31.
 */
class GridReshapingTest {
    private final Random r = new Random(31);

    private static Tensor run(Layer layer, Tensor x) {
        return layer.call(Variable.constant(x), null, CallContext.inference()).value();
    }

    /**
     * The plain reference: {@code out[i0, i1, ...] = x[m0(i0), m1(i1), ...]}, 0 where a map gives
     * -1 (a padded position); a null map is the identity.
     */
    private static float[] reference(float[] x, int[] in, int[] out, IntUnaryOperator[] maps) {
        int size = 1;
        for (int d : out) {
            size *= d;
        }
        float[] y = new float[size];
        int[] idx = new int[out.length];
        for (int flat = 0; flat < size; flat++) {
            int rest = flat;
            for (int a = out.length - 1; a >= 0; a--) {
                idx[a] = rest % out[a];
                rest /= out[a];
            }
            int src = 0;
            boolean zero = false;
            for (int a = 0; a < out.length; a++) {
                int s = maps[a] == null ? idx[a] : maps[a].applyAsInt(idx[a]);
                zero |= s < 0;
                src = src * in[a] + Math.max(s, 0);
            }
            y[flat] = zero ? 0f : x[src];
        }
        return y;
    }

    private static IntUnaryOperator pad(int before, int n) {
        return i -> i - before >= 0 && i - before < n ? i - before : -1;
    }

    private static IntUnaryOperator crop(int start) {
        return i -> i + start;
    }

    private static IntUnaryOperator up(int size) {
        return i -> i / size;
    }

    /** The maps of every axis of a (batch, sample...) tensor for a layer's per-spatial-axis maps. */
    private static IntUnaryOperator[] maps(boolean channelsFirst, IntUnaryOperator... spatial) {
        IntUnaryOperator[] m = new IntUnaryOperator[spatial.length + 2];
        System.arraycopy(spatial, 0, m, channelsFirst ? 2 : 1, spatial.length);
        return m;
    }

    private void check(Layer l, boolean first, int[] sample, int[] outSample, IntUnaryOperator... spatial) {
        l.build(Shape.of(sample));
        assertThat(l.outputShape()).as("%s output shape", l).isEqualTo(Shape.of(outSample));
        int[] in = new int[sample.length + 1];
        int[] out = new int[sample.length + 1];
        in[0] = 2;
        out[0] = 2;
        System.arraycopy(sample, 0, in, 1, sample.length);
        System.arraycopy(outSample, 0, out, 1, sample.length);
        Tensor x = uniform(r, -1, 1, in);
        assertThat(run(l, x).toArray()).as("%s %s against index arithmetic", l, first ? "channels_first" : "")
                .containsExactly(reference(x.toArray(), in, out, maps(first, spatial)));
    }

    @Test
    void outputsMatchIndexArithmeticInBothLayouts() {
        for (boolean first : new boolean[] {false, true}) {
            String f = first ? "channels_first" : "channels_last";
            int[] in2 = first ? new int[] {3, 4, 5} : new int[] {4, 5, 3};
            check(new ZeroPadding2D(new int[][] {{2, 0}, {1, 3}}).dataFormat(f), first, in2,
                    first ? new int[] {3, 6, 9} : new int[] {6, 9, 3}, pad(2, 4), pad(1, 5));
            check(new Cropping2D(new int[][] {{1, 2}, {0, 1}}).dataFormat(f), first, in2,
                    first ? new int[] {3, 1, 4} : new int[] {1, 4, 3}, crop(1), crop(0));
            check(new UpSampling2D(3, 2).dataFormat(f), first, in2,
                    first ? new int[] {3, 12, 10} : new int[] {12, 10, 3}, up(3), up(2));
            int[] in3 = first ? new int[] {2, 3, 4, 5} : new int[] {3, 4, 5, 2};
            check(new ZeroPadding3D(new int[][] {{1, 0}, {0, 2}, {1, 1}}).dataFormat(f), first, in3,
                    first ? new int[] {2, 4, 6, 7} : new int[] {4, 6, 7, 2}, pad(1, 3), pad(0, 4), pad(1, 5));
            check(new Cropping3D(new int[][] {{1, 0}, {0, 1}, {2, 1}}).dataFormat(f), first, in3,
                    first ? new int[] {2, 2, 3, 2} : new int[] {2, 3, 2, 2}, crop(1), crop(0), crop(2));
            check(new UpSampling3D(2, 1, 3).dataFormat(f), first, in3,
                    first ? new int[] {2, 6, 4, 15} : new int[] {6, 4, 15, 2}, up(2), up(1), up(3));
        }
    }

    /**
     * tf.image.resize(method="bilinear") as TensorFlow's CPU kernel computes one output value
     * (resize_bilinear_op.cc, half-pixel centers), in float32: the four neighbours, the column
     * weight, then the row weight. Channels last.
     */
    private static float[] tfBilinear(float[] x, int batch, int h, int w, int c, int sh, int sw) {
        int oh = h * sh;
        int ow = w * sw;
        float[] y = new float[batch * oh * ow * c];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < oh; i++) {
                float yin = ((float) i + 0.5f) * ((float) h / (float) oh) - 0.5f;
                int y0 = Math.max((int) Math.floor(yin), 0);
                int y1 = Math.min((int) Math.ceil(yin), h - 1);
                float ly = yin - (float) Math.floor(yin);
                for (int j = 0; j < ow; j++) {
                    float xin = ((float) j + 0.5f) * ((float) w / (float) ow) - 0.5f;
                    int x0 = Math.max((int) Math.floor(xin), 0);
                    int x1 = Math.min((int) Math.ceil(xin), w - 1);
                    float lx = xin - (float) Math.floor(xin);
                    for (int k = 0; k < c; k++) {
                        float tl = x[((b * h + y0) * w + x0) * c + k];
                        float tr = x[((b * h + y0) * w + x1) * c + k];
                        float bl = x[((b * h + y1) * w + x0) * c + k];
                        float br = x[((b * h + y1) * w + x1) * c + k];
                        float top = tl + (tr - tl) * lx;
                        float bottom = bl + (br - bl) * lx;
                        y[((b * oh + i) * ow + j) * c + k] = top + (bottom - top) * ly;
                    }
                }
            }
        }
        return y;
    }

    /** The same interpolation in float64: the exact half-pixel bilinear value, for the float32 bar. */
    private static double bilinear64(float[] x, int b, int h, int w, int c, int k, int sh, int sw, int i, int j) {
        double yin = Math.max((i + 0.5) / sh - 0.5, 0);
        double xin = Math.max((j + 0.5) / sw - 0.5, 0);
        int y0 = (int) yin;
        int x0 = (int) xin;
        int y1 = Math.min(y0 + 1, h - 1);
        int x1 = Math.min(x0 + 1, w - 1);
        double ly = yin - y0;
        double lx = xin - x0;
        double top = (1 - lx) * x[((b * h + y0) * w + x0) * c + k] + lx * x[((b * h + y0) * w + x1) * c + k];
        double bottom = (1 - lx) * x[((b * h + y1) * w + x0) * c + k] + lx * x[((b * h + y1) * w + x1) * c + k];
        return (1 - ly) * top + ly * bottom;
    }

    @Test
    void bilinearUpSampling2DIsTensorFlowsResizeToTheBitAndTheExactInterpolationToFloat32() {
        int[][] sizes = {{3, 2}, {2, 3}, {1, 4}, {5, 1}};
        for (int[] s : sizes) {
            int h = 4;
            int w = 3;
            int c = 2;
            Tensor x = uniform(r, -1, 1, 2, h, w, c);
            UpSampling2D up = new UpSampling2D(s[0], s[1]).interpolation("bilinear");
            up.build(Shape.of(h, w, c));
            float[] y = run(up, x).toArray();
            assertThat(y).as("bilinear %s against TensorFlow's kernel in plain float32 loops", Arrays.toString(s))
                    .containsExactly(tfBilinear(x.toArray(), 2, h, w, c, s[0], s[1]));
            int oh = h * s[0];
            int ow = w * s[1];
            for (int b = 0; b < 2; b++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        for (int k = 0; k < c; k++) {
                            double want = bilinear64(x.toArray(), b, h, w, c, k, s[0], s[1], i, j);
                            assertThat((double) y[((b * oh + i) * ow + j) * c + k])
                                    .as("bilinear %s at (%d, %d, %d, %d) against float64 (bar 1e-6)",
                                            Arrays.toString(s), b, i, j, k)
                                    .isCloseTo(want, within(1e-6));
                        }
                    }
                }
            }
            // channels_first computes the same numbers on the moved axes, as Keras's transposes do.
            UpSampling2D first = new UpSampling2D(s[0], s[1]).interpolation("bilinear").dataFormat("channels_first");
            first.build(Shape.of(c, h, w));
            float[] moved = new float[x.toArray().length];
            float[] xs = x.toArray();
            for (int b = 0; b < 2; b++) {
                for (int p = 0; p < h * w; p++) {
                    for (int k = 0; k < c; k++) {
                        moved[(b * c + k) * h * w + p] = xs[(b * h * w + p) * c + k];
                    }
                }
            }
            float[] yf = run(first, Tensor.of(moved, 2, c, h, w)).toArray();
            for (int b = 0; b < 2; b++) {
                for (int p = 0; p < oh * ow; p++) {
                    for (int k = 0; k < c; k++) {
                        assertThat(yf[(b * c + k) * oh * ow + p]).as("channels_first %s", Arrays.toString(s))
                                .isEqualTo(y[(b * oh * ow + p) * c + k]);
                    }
                }
            }
        }
        UpSampling2D one = new UpSampling2D(1).interpolation("bilinear");
        one.build(Shape.of(3, 4, 2));
        Tensor x = uniform(r, -1, 1, 1, 3, 4, 2);
        assertThat(run(one, x).toArray()).as("size (1, 1): TensorFlow copies the image").containsExactly(x.toArray());
        UpSampling2D any = new UpSampling2D(2, 3).interpolation("bilinear");
        any.build(Shape.withUnknown(Input.NONE, Input.NONE, 2));
        Tensor odd = uniform(r, -1, 1, 1, 5, 1, 2);
        assertThat(run(any, odd).toArray()).as("None axes: each call's own sizes")
                .containsExactly(tfBilinear(odd.toArray(), 1, 5, 1, 2, 2, 3));
    }

    @Test
    void kerasDefaults() {
        assertThat(new ZeroPadding2D().padding()).as("ZeroPadding2D padding=(1, 1)")
                .isDeepEqualTo(new int[][] {{1, 1}, {1, 1}});
        assertThat(new ZeroPadding3D().padding()).isDeepEqualTo(new int[][] {{1, 1}, {1, 1}, {1, 1}});
        assertThat(new ZeroPadding2D(1, 2).padding()).as("a tuple of 2 ints: symmetric per axis")
                .isDeepEqualTo(new int[][] {{1, 1}, {2, 2}});
        assertThat(new Cropping2D().cropping()).as("Cropping2D crops nothing by default")
                .isDeepEqualTo(new int[][] {{0, 0}, {0, 0}});
        assertThat(new Cropping3D().cropping()).as("Cropping3D crops one off each side by default")
                .isDeepEqualTo(new int[][] {{1, 1}, {1, 1}, {1, 1}});
        assertThat(new Cropping3D(0, 1, 2).cropping()).isDeepEqualTo(new int[][] {{0, 0}, {1, 1}, {2, 2}});
        UpSampling2D up = new UpSampling2D();
        assertThat(up.size()).containsExactly(2, 2);
        assertThat(up.interpolation()).isEqualTo("nearest");
        assertThat(new UpSampling3D().size()).containsExactly(2, 2, 2);
        assertThat(new UpSampling3D(3).size()).containsExactly(3, 3, 3);
        for (GridReshaping<?> l : List.of(new ZeroPadding2D(), new ZeroPadding3D(), new Cropping2D(), new Cropping3D(),
                up, new UpSampling3D())) {
            assertThat(l.dataFormat()).as("%s data_format", l).isEqualTo("channels_last");
            assertThat(l.countParams()).isZero();
        }
        assertThat(new ZeroPadding2D().dataFormat("CHANNELS_FIRST").dataFormat()).as("any case, as Keras")
                .isEqualTo("channels_first");
        assertThat(new UpSampling2D().interpolation("Nearest").interpolation()).isEqualTo("nearest");
        assertThat(new ZeroPadding2D().name()).startsWith("zero_padding2d");
        assertThat(new Cropping3D().name()).startsWith("cropping3d");
        assertThat(new UpSampling3D().name()).startsWith("up_sampling3d");
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        List<Layer> layers = List.of(new ZeroPadding2D(new int[][] {{2, 0}, {1, 1}}),
                new ZeroPadding3D(1, 0, 2).dataFormat("channels_first"),
                new Cropping2D(new int[][] {{1, 0}, {0, 2}}).dataFormat("channels_first"), new Cropping3D(),
                new UpSampling2D(2, 3), new UpSampling3D(2, 1, 2).dataFormat("channels_first"),
                new UpSampling2D(3, 2).interpolation("bilinear"),
                new UpSampling2D(2, 3).interpolation("bilinear").dataFormat("channels_first"));
        for (Layer l : layers) {
            int[] in = l instanceof GridReshaping<?> g && g.rank() == 2 ? new int[] {2, 4, 5, 3}
                    : new int[] {2, 3, 4, 3, 2};
            l.build(Shape.of(in).tail());
            Variable x = Variable.parameter(uniform(r, -1, 1, in));
            GradCheck.checkParameters(l + " " + l.outputShape(), () -> l.call(x, null, CallContext.inference()),
                    List.of(x));
        }
    }

    @Test
    void noneAxesStayNoneAndEachCallTakesItsSizes() {
        Sequential m = Sequential.of(Input.shape(Input.NONE, Input.NONE, 2),
                new ZeroPadding2D(new int[][] {{1, 0}, {2, 1}}), new UpSampling2D(2, 3),
                new Cropping2D(new int[][] {{3, 1}, {0, 2}}));
        assertThat(m.outputShape()).as("None spatial axes stay None")
                .isEqualTo(Shape.withUnknown(Input.NONE, Input.NONE, 2));
        for (int[] hw : new int[][] {{2, 1}, {3, 2}, {5, 4}}) {
            int h = hw[0];
            int w = hw[1];
            Tensor x = uniform(r, -1, 1, 2, h, w, 2);
            int[] padded = {2, h + 1, w + 3, 2};
            int[] upped = {2, 2 * (h + 1), 3 * (w + 3), 2};
            int[] cropped = {2, 2 * (h + 1) - 4, 3 * (w + 3) - 2, 2};
            float[] want = reference(reference(reference(x.toArray(), new int[] {2, h, w, 2}, padded,
                    maps(false, pad(1, h), pad(2, w))), padded, upped, maps(false, up(2), up(3))), upped, cropped,
                    maps(false, crop(3), crop(0)));
            assertThat(m.predict(x).toArray()).as("%dx%d through pad, upsample, crop", h, w).containsExactly(want);
        }
        Layer crop = m.layers().get(2);
        assertThat(crop.computeOutputShapes(List.of(Shape.of(8, 9, 2)))).as("known sizes given to a None-built layer")
                .containsExactly(Shape.of(4, 7, 2));
        assertThatThrownBy(() -> crop.call(Variable.constant(uniform(r, -1, 1, 1, 4, 9, 2)), null,
                CallContext.inference()))
                .as("a None axis too small for the cropping, found at call time")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer '" + crop.name() + "' (Cropping2D): cropping ((3, 1), (0, 2)) must be smaller than "
                        + "the input's spatial sizes: it leaves nothing of spatial axis 1 of an input (None, 4, 9, 2)");
        Sequential three = Sequential.of(Input.shape(3, Input.NONE, 4, Input.NONE),
                new ZeroPadding3D(1).dataFormat("channels_first"), new UpSampling3D(2).dataFormat("channels_first"));
        assertThat(three.outputShape()).isEqualTo(Shape.withUnknown(3, Input.NONE, 12, Input.NONE));
        assertThat(three.predict(uniform(r, -1, 1, 1, 3, 2, 4, 1)).shape()).isEqualTo(Shape.of(1, 3, 8, 12, 6));
    }

    @Test
    void anEmptyBatchGivesAnEmptyOutput() {
        Sequential two = Sequential.of(Input.shape(4, 3, 2), new ZeroPadding2D(), new Cropping2D(1),
                new UpSampling2D(2, 3), new UpSampling2D(3, 2).interpolation("bilinear"));
        assertThat(two.predict(Tensor.of(new float[0], 0, 4, 3, 2)).shape()).isEqualTo(Shape.of(0, 24, 18, 2));
        Sequential three = Sequential.of(Input.shape(2, 3, 4, 2), new ZeroPadding3D(), new Cropping3D(),
                new UpSampling3D());
        assertThat(three.predict(Tensor.of(new float[0], 0, 2, 3, 4, 2)).shape()).isEqualTo(Shape.of(0, 4, 6, 8, 2));
    }

    @Test
    void theMaskIsDroppedAsKeras3DropsIt() {
        Tensor mask = Tensor.of(new float[] {1, 0, 1, 1, 1, 0}, 1, 2, 3);
        for (Layer l : List.of(new ZeroPadding2D(), new Cropping2D(), new UpSampling2D())) {
            l.build(Shape.of(2, 3, 4));
            Variable x = Variable.constant(uniform(r, -1, 1, 1, 2, 3, 4));
            assertThat(l.computeMask(x, mask)).as("%s passes no mask on (no supports_masking in Keras 3)", l)
                    .isNull();
            assertThat(l.call(x, mask, CallContext.inference()).value().toArray()).as("%s ignores the mask", l)
                    .containsExactly(l.call(x, null, CallContext.inference()).value().toArray());
        }
    }

    @Test
    void badOptionsAndInputsAreRefusedByName() {
        assertThatThrownBy(() -> new ZeroPadding2D(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("(ZeroPadding2D): the 1st entry of padding must be two integers >= 0, got "
                        + "((-1, -1), (-1, -1))");
        assertThatThrownBy(() -> new Cropping3D(new int[][] {{1, 1}, {0, 2}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("(Cropping3D): cropping must have 3 entries of (before, after), got "
                        + "((1, 1), (0, 2))");
        assertThatThrownBy(() -> new Cropping2D(new int[][] {{1, 1}, {0, 2, 3}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("(Cropping2D): the 2nd entry of cropping must be two integers >= 0, got "
                        + "((1, 1), (0, 2, 3))");
        assertThatThrownBy(() -> new UpSampling3D(1, 0, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("(UpSampling3D): size must be positive integers, got (1, 0, 2)");
        assertThatThrownBy(() -> new UpSampling2D().interpolation("lanczos3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("(UpSampling2D): interpolation 'lanczos3' is not supported; rnn4j computes "
                        + "'nearest' and 'bilinear'");
        assertThatThrownBy(() -> new Cropping2D().dataFormat("channels_middle"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data_format");
        Cropping2D tooMuch = new Cropping2D(new int[][] {{2, 1}, {0, 0}}).named("c");
        assertThatThrownBy(() -> tooMuch.build(Shape.of(3, 5, 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer 'c' (Cropping2D): cropping ((2, 1), (0, 0)) must be smaller than the input's "
                        + "spatial sizes: it leaves nothing of spatial axis 1 of an input (None, 3, 5, 2)");
        UpSampling3D rank = new UpSampling3D().dataFormat("channels_first").named("u");
        assertThatThrownBy(() -> rank.build(Shape.of(3, 4, 5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer 'u' (UpSampling3D): expected an input (batch, channels, dim1, dim2, dim3), got "
                        + "(None, 3, 4, 5)");
        ZeroPadding2D built = new ZeroPadding2D().named("z");
        built.build(Shape.of(3, 4, 2));
        assertThatThrownBy(() -> built.call(Variable.constant(uniform(r, -1, 1, 1, 3, 4)), null,
                CallContext.inference())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Input of layer 'z' (ZeroPadding2D) is incompatible with the layer: expected shape=(None, "
                        + "None, None, None), found shape=(1, 3, 4)");
        assertThatThrownBy(() -> built.dataFormat("channels_first")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("data_format");
    }
}
