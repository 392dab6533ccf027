package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Sequential;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Resizing and CenterCrop as Keras 3's {@code resizing.py} and {@code center_crop.py} (TensorFlow's
 * tf.image.resize): outputs against plain float64 references written here (half-pixel bilinear
 * and nearest resampling, the aspect-ratio crop and pad, the centred window or smart_resize) within
 * 1e-5, in both data formats, at training and inference alike; gradients against float64 finite
 * differences; None height and width taking each call's sizes; no weights; bad options and ranks
 * refused by name. Seed 47.
 */
class ImageResizingTest {
    private final Random r = new Random(47);

    private static Tensor run(Layer layer, Tensor x, boolean training) {
        CallContext ctx = training ? CallContext.training(Seeds.of(3)) : CallContext.inference();
        return layer.call(Variable.constant(x), null, ctx).value();
    }

    /** Bilinear with half-pixel centers along one axis, in float64: {@code (i + 0.5)·n/m - 0.5}, clamped ends. */
    private static double[] bilinear1d(double[] in, int m) {
        int n = in.length;
        double[] out = new double[m];
        for (int i = 0; i < m; i++) {
            double c = (i + 0.5) * n / m - 0.5;
            int lo = (int) Math.floor(c);
            double t = c - lo;
            double a = in[Math.max(lo, 0)];
            double b = in[Math.min(lo + 1, n - 1)];
            out[i] = a + (b - a) * t;
        }
        return out;
    }

    /** The float64 reference of tf.image.resize on channels_last {@code (batch, h, w, c)}. */
    private static double[] resize(float[] x, int batch, int h, int w, int c, int oh, int ow, boolean bilinear) {
        double[] y = new double[batch * oh * ow * c];
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < c; k++) {
                double[][] rows = new double[h][];
                for (int i = 0; i < h; i++) {
                    double[] row = new double[w];
                    for (int j = 0; j < w; j++) {
                        row[j] = x[((b * h + i) * w + j) * c + k];
                    }
                    rows[i] = bilinear ? bilinear1d(row, ow) : nearest1d(row, ow);
                }
                for (int j = 0; j < ow; j++) {
                    double[] col = new double[h];
                    for (int i = 0; i < h; i++) {
                        col[i] = rows[i][j];
                    }
                    double[] out = bilinear ? bilinear1d(col, oh) : nearest1d(col, oh);
                    for (int i = 0; i < oh; i++) {
                        y[((b * oh + i) * ow + j) * c + k] = out[i];
                    }
                }
            }
        }
        return y;
    }

    /** Nearest with half-pixel centers: {@code floor((i + 0.5)·n/m)}. */
    private static double[] nearest1d(double[] in, int m) {
        double[] out = new double[m];
        for (int i = 0; i < m; i++) {
            out[i] = in[Math.min((int) Math.floor((i + 0.5) * in.length / m), in.length - 1)];
        }
        return out;
    }

    /** The window {@code [top, top + oh) x [left, left + ow)} of channels_last images, as a float array. */
    private static float[] window(float[] x, int batch, int h, int w, int c, int top, int left, int oh, int ow) {
        float[] y = new float[batch * oh * ow * c];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int k = 0; k < c; k++) {
                        y[((b * oh + i) * ow + j) * c + k] = x[((b * h + i + top) * w + j + left) * c + k];
                    }
                }
            }
        }
        return y;
    }

    private static void assertNear(String what, float[] got, double[] want) {
        assertThat(got).as("%s: size", what).hasSize(want.length);
        for (int i = 0; i < got.length; i++) {
            assertThat((double) got[i]).as("%s, value %d: rnn4j %s, float64 reference %s (bar 1e-5)", what, i,
                    got[i], want[i]).isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    private static double[] doubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /** channels_last {@code (b, h, w, c)} to channels_first {@code (b, c, h, w)}. */
    private static float[] toFirst(float[] x, int b, int h, int w, int c) {
        float[] y = new float[x.length];
        for (int n = 0; n < b; n++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    for (int k = 0; k < c; k++) {
                        y[((n * c + k) * h + i) * w + j] = x[((n * h + i) * w + j) * c + k];
                    }
                }
            }
        }
        return y;
    }

    @Test
    void resizingIsHalfPixelBilinearOrNearestInBothFormatsAtTrainingAndInference() {
        int[][] sizes = {{7, 9, 10, 13}, {7, 9, 4, 5}, {6, 5, 12, 3}, {5, 8, 5, 8}, {4, 4, 1, 1}};
        for (int[] s : sizes) {
            for (String interpolation : new String[] {"bilinear", "nearest"}) {
                Tensor x = uniform(r, -1, 1, 2, s[0], s[1], 3);
                double[] want = resize(x.toArray(), 2, s[0], s[1], 3, s[2], s[3], interpolation.equals("bilinear"));
                for (boolean training : new boolean[] {false, true}) {
                    Resizing last = new Resizing(s[2], s[3]).interpolation(interpolation);
                    last.build(Shape.of(s[0], s[1], 3));
                    String what = interpolation + " " + s[0] + "x" + s[1] + " to " + s[2] + "x" + s[3];
                    assertNear(what, run(last, x, training).toArray(), want);
                    Resizing first = new Resizing(s[2], s[3], "channels_first").interpolation(interpolation);
                    first.build(Shape.of(3, s[0], s[1]));
                    Tensor xf = Tensor.of(toFirst(x.toArray(), 2, s[0], s[1], 3), 2, 3, s[0], s[1]);
                    float[] wantFirst = new float[want.length];
                    for (int i = 0; i < want.length; i++) {
                        wantFirst[i] = (float) want[i];
                    }
                    assertNear(what + ", channels_first", run(first, xf, training).toArray(),
                            doubles(toFirst(wantFirst, 2, s[2], s[3], 3)));
                }
            }
        }
        assertThat(new Resizing(3, 4).interpolation()).as("Keras's default interpolation").isEqualTo("bilinear");
    }

    @Test
    void cropAndPadToAspectRatioResizeTheCentredWindowOrThePaddedImage() {
        Tensor x = uniform(r, -1, 1, 2, 6, 11, 2);
        float[] v = x.toArray();
        // Crop: target 5x5 of a 6x11 image is the centred 6x6 window (left (11 - 6) / 2 = 2), resized.
        Resizing crop = new Resizing(5, 5).cropToAspectRatio(true);
        crop.build(Shape.of(6, 11, 2));
        assertNear("crop_to_aspect_ratio", run(crop, x, false).toArray(),
                resize(window(v, 2, 6, 11, 2, 0, 2, 6, 6), 2, 6, 6, 2, 5, 5, true));
        // Pad: target 6x6 of 6x11 pads int((11 - 6) / 2) = 2 rows of fill_value above and below (10 rows).
        Resizing pad = new Resizing(6, 6).padToAspectRatio(true).fillValue(0.75);
        pad.build(Shape.of(6, 11, 2));
        float[] padded = new float[2 * 10 * 11 * 2];
        java.util.Arrays.fill(padded, 0.75f);
        for (int b = 0; b < 2; b++) {
            System.arraycopy(v, b * 6 * 11 * 2, padded, (b * 10 + 2) * 11 * 2, 6 * 11 * 2);
        }
        assertNear("pad_to_aspect_ratio", run(pad, x, false).toArray(), resize(padded, 2, 10, 11, 2, 6, 6, true));
        assertThatThrownBy(() -> new Resizing(2, 2).cropToAspectRatio(true).padToAspectRatio(true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Only one of");
    }

    @Test
    void centerCropTakesTheCentredWindowOrSmartResizesASmallerImage() {
        Tensor x = uniform(r, -1, 1, 2, 7, 9, 3);
        float[] v = x.toArray();
        CenterCrop crop = new CenterCrop(4, 6);
        crop.build(Shape.of(7, 9, 3));
        assertNear("window at ((7-4)//2, (9-6)//2)", run(crop, x, false).toArray(),
                doubles(window(v, 2, 7, 9, 3, 1, 1, 4, 6)));
        assertNear("the same in training", run(crop, x, true).toArray(), doubles(window(v, 2, 7, 9, 3, 1, 1, 4, 6)));
        // 5x10 of 7x9: wider than the image, so smart_resize: the centred window of aspect 1:2 (4 rows, from row
        // int((7 - 4) / 2) = 1; 9 columns), resized to 5x10.
        CenterCrop wide = new CenterCrop(5, 10);
        wide.build(Shape.of(7, 9, 3));
        assertNear("smart_resize", run(wide, x, false).toArray(),
                resize(window(v, 2, 7, 9, 3, 1, 0, 4, 9), 2, 4, 9, 3, 5, 10, true));
        CenterCrop first = new CenterCrop(3, 8, "channels_first");
        first.build(Shape.of(3, 7, 9));
        Tensor xf = Tensor.of(toFirst(v, 2, 7, 9, 3), 2, 3, 7, 9);
        assertNear("channels_first window", run(first, xf, false).toArray(),
                doubles(toFirst(window(v, 2, 7, 9, 3, 2, 0, 3, 8), 2, 3, 8, 3)));
    }

    @Test
    void gradientsReachThePixelsReadAsFiniteDifferencesSay() {
        Tensor x = uniform(r, -1, 1, 2, 5, 6, 2);
        for (Layer l : new Layer[] {new Resizing(7, 4), new Resizing(3, 8).interpolation("nearest"),
                new Resizing(4, 4).cropToAspectRatio(true), new Resizing(4, 4).padToAspectRatio(true).fillValue(2),
                new CenterCrop(3, 4), new CenterCrop(6, 6)}) {
            l.build(Shape.of(5, 6, 2));
            GradCheck.check(l.toString(), in -> l.call(in[0], null, CallContext.inference()), x);
        }
    }

    @Test
    void noneHeightAndWidthTakeEachCallsSizesAndTheLayersHaveNoWeights() {
        Resizing resize = new Resizing(4, 5);
        CenterCrop crop = new CenterCrop(2, 3);
        Sequential m = Sequential.of(Input.shape(Input.NONE, Input.NONE, 3), resize, crop);
        assertThat(resize.outputShape()).isEqualTo(Shape.of(4, 5, 3));
        assertThat(crop.outputShape()).isEqualTo(Shape.of(2, 3, 3));
        for (int[] hw : new int[][] {{6, 7}, {3, 11}, {1, 1}}) {
            Tensor x = uniform(r, 0, 1, 2, hw[0], hw[1], 3);
            assertThat(m.predict(x).shape()).as("input %dx%d", hw[0], hw[1]).isEqualTo(Shape.of(2, 2, 3, 3));
        }
        assertThat(m.countParams()).as("no weights").isZero();
        assertThat(m.summary()).contains("Resizing", "CenterCrop", "(None, 4, 5, 3)", "(None, 2, 3, 3)");
    }

    @Test
    void badOptionsAndInputsAreRefusedNamingTheLayer() {
        assertThatThrownBy(() -> new Resizing(0, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("Layer 'resizing(_\\d+)?' \\(Resizing\\): height must be a positive number of "
                        + "pixels, got 0");
        assertThatThrownBy(() -> new CenterCrop(3, -1)).hasMessageContaining("CenterCrop): width must be a positive");
        for (String bad : new String[] {"bicubic", "lanczos3", "area", "cubic"}) {
            assertThatThrownBy(() -> new Resizing(3, 3).interpolation(bad)).isInstanceOf(
                    IllegalArgumentException.class).hasMessageContaining("interpolation '" + bad + "' is not supported");
        }
        assertThatThrownBy(() -> new Resizing(3, 3, "channels_middle")).hasMessageContaining("data_format must be");
        Resizing resize = new Resizing(3, 3);
        assertThatThrownBy(() -> resize.build(Shape.of(5, 5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(Resizing): expected an input (batch, height, width, channels), got (None, 5, 5)");
        CenterCrop crop = new CenterCrop(2, 2);
        crop.build(Shape.of(4, 4, 1));
        assertThatThrownBy(() -> crop.call(Variable.constant(uniform(r, 0, 1, 2, 4, 4)), null,
                CallContext.inference())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(CenterCrop) is incompatible with the layer: expected shape=(None, None, None, "
                        + "None), found shape=(2, 4, 4)");
    }
}
