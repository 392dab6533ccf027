package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The random image layers (Keras 3's {@code random_flip.py}, {@code random_rotation.py},
 * {@code random_zoom.py}, {@code random_translation.py}, {@code random_contrast.py},
 * {@code random_brightness.py}, {@code random_crop.py}): the identity at inference (RandomCrop
 * too, as Keras 3.15.1), and in training one transformation per image drawn with Keras's
 * distributions (ranges checked over many draws, the flip probability within 5 standard errors of
 * 1/2), a seeded layer repeating its draws, one draw per frame inside TimeDistributed, the mask
 * dropped, None frames, height and width taking each call's sizes, gradients
 * against float64 finite differences, training through fit, and bad options refused by name.
 * The transforms' arithmetic is checked against Keras in ImagePreprocessingKerasTest. Seed 59.
 */
class ImageAugmentationTest {
    private final Random r = new Random(59);

    private static Tensor run(Layer layer, Tensor x, CallContext ctx) {
        if (!layer.isBuilt()) {
            layer.build(Shape.of(x.shape().dim(1), x.shape().dim(2), x.shape().dim(3)));
        }
        return layer.call(Variable.constant(x), null, ctx).value();
    }

    private static CallContext training(long seed) {
        return CallContext.training(new SplittableRandom(seed));
    }

    private static List<Layer> randomLayers() {
        return List.of(new RandomFlip(), new RandomRotation(0.3), new RandomZoom(0.4),
                new RandomTranslation(0.3, 0.3), new RandomContrast(0.5), new RandomBrightness(0.3),
                new RandomCrop(3, 4));
    }

    @Test
    void everyRandomLayerIsTheIdentityAtInferenceAndChangesImagesInTraining() {
        Tensor x = uniform(r, 0, 255, 4, 6, 7, 3);
        for (Layer l : randomLayers()) {
            assertThat(run(l, x, CallContext.inference()).toArray()).as("%s at inference", l).isEqualTo(x.toArray());
            Tensor y = run(l, x, training(5));
            if (!(l instanceof RandomCrop)) {
                assertThat(y.shape()).as("%s keeps the shape", l).isEqualTo(x.shape());
            }
            assertThat(y.toArray()).as("%s in training", l).isNotEqualTo(x.toArray());
        }
    }

    @Test
    void flipsHappenToAboutHalfTheImagesAndBothAxesTogetherByDefault() {
        int n = 4000;
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}.clone(), 1, 2, 2, 1);
        float[] many = new float[n * 4];
        for (int i = 0; i < n; i++) {
            System.arraycopy(new float[] {1, 2, 3, 4}, 0, many, 4 * i, 4);
        }
        int[] counts = new int[3];
        String[] modes = {RandomFlip.HORIZONTAL, RandomFlip.VERTICAL, RandomFlip.HORIZONTAL_AND_VERTICAL};
        float[][] flipped = {{2, 1, 4, 3}, {3, 4, 1, 2}, {4, 3, 2, 1}};
        for (int m = 0; m < 3; m++) {
            float[] y = run(new RandomFlip(modes[m]), Tensor.of(many, n, 2, 2, 1), training(17 + m)).toArray();
            for (int i = 0; i < n; i++) {
                float[] img = java.util.Arrays.copyOfRange(y, 4 * i, 4 * i + 4);
                boolean isFlipped = java.util.Arrays.equals(img, flipped[m]);
                assertThat(isFlipped || java.util.Arrays.equals(img, x.toArray()))
                        .as("%s: image %d is either unchanged or flipped (%s)", modes[m], i,
                                java.util.Arrays.toString(img)).isTrue();
                counts[m] += isFlipped ? 1 : 0;
            }
            // Binomial(4000, 1/2): standard error 31.6; 5 of them is 158.
            assertThat(Math.abs(counts[m] - n / 2)).as("%s: %d of %d flipped, about half", modes[m], counts[m], n)
                    .isLessThan(158);
        }
    }

    @Test
    void affineDrawsFollowKerassRanges() {
        SplittableRandom s = new SplittableRandom(23);
        int n = 3000;
        float[][] rot = new RandomRotation(-0.1, 0.25).draw(n, 7, 9, s);
        double lo = 1e9;
        double hi = -1e9;
        for (float[] t : rot) {
            double deg = Math.toDegrees(Math.atan2(t[3], t[0]));
            lo = Math.min(lo, deg);
            hi = Math.max(hi, deg);
            assertThat(t[0]).as("rotation only: a0 = b1 = cos").isEqualTo(t[4]);
        }
        assertThat(lo).as("rotation angles from factor (-0.1, 0.25): [-36, 90) degrees").isBetween(-36.001, -35.0);
        assertThat(hi).isBetween(89.0, 90.0);
        RandomZoom zoom = new RandomZoom(new double[] {-0.5, 0.2}, new double[] {0.3}, null, null);
        double[] h = {1e9, -1e9};
        double[] w = {1e9, -1e9};
        for (float[] t : zoom.draw(n, 7, 9, s)) {
            h[0] = Math.min(h[0], t[4]);
            h[1] = Math.max(h[1], t[4]);
            w[0] = Math.min(w[0], t[0]);
            w[1] = Math.max(w[1], t[0]);
        }
        assertThat(h).as("height zooms in [1 - 0.5, 1 + 0.2)").satisfies(v -> {
            assertThat(v[0]).isBetween(0.5, 0.51);
            assertThat(v[1]).isBetween(1.19, 1.2);
        });
        assertThat(w).as("width zooms in [1 - 0.3, 1 + 0.3)").satisfies(v -> {
            assertThat(v[0]).isBetween(0.7, 0.71);
            assertThat(v[1]).isBetween(1.29, 1.3);
        });
        for (float[] t : new RandomZoom(0.4).draw(50, 7, 9, s)) {
            assertThat(t[0]).as("width_factor None: the height's zoom").isEqualTo(t[4]);
        }
        double[] dy = {1e9, -1e9};
        double[] dx = {1e9, -1e9};
        RandomTranslation tr = new RandomTranslation(new double[] {0.2}, new double[] {-0.1, 0.5}, null, null);
        for (float[] t : tr.draw(n, 10, 20, s)) {
            dy[0] = Math.min(dy[0], -t[5]);
            dy[1] = Math.max(dy[1], -t[5]);
            dx[0] = Math.min(dx[0], -t[2]);
            dx[1] = Math.max(dx[1], -t[2]);
        }
        assertThat(dy[0]).as("height shifts in [-0.2, 0.2)·10 pixels").isBetween(-2.0, -1.98);
        assertThat(dy[1]).isBetween(1.98, 2.0);
        assertThat(dx[0]).as("width shifts in [-0.1, 0.5)·20 pixels").isBetween(-2.0, -1.97);
        assertThat(dx[1]).isBetween(9.97, 10.0);
    }

    @Test
    void contrastBrightnessAndCropDrawFromKerassRanges() {
        int n = 2000;
        float[] two = new float[n * 2];
        for (int i = 0; i < n; i++) {
            two[2 * i] = 100;
            two[2 * i + 1] = 140;
        }
        Tensor x = Tensor.of(two, n, 1, 2, 1);
        // Keras's RandomContrast(0.3) is (max(-0.3, 0), 0.3): factors in [1, 1.3), about the mean 120.
        float[] c = run(new RandomContrast(0.3), x, training(3)).toArray();
        double[] range = {1e9, -1e9};
        for (int i = 0; i < n; i++) {
            double f = (c[2 * i + 1] - 120.0) / 20.0;
            range[0] = Math.min(range[0], f);
            range[1] = Math.max(range[1], f);
            assertThat(c[2 * i] - 120.0).as("image %d: about its own mean", i).isCloseTo(-f * 20, within(1e-3));
        }
        assertThat(range[0]).as("contrast factors in [1, 1.3)").isBetween(1.0, 1.002);
        assertThat(range[1]).isBetween(1.298, 1.3);
        float[] b = run(new RandomBrightness(new double[] {-0.1, 0.2}, new double[] {0, 200}, null, null), x,
                training(4)).toArray();
        range[0] = 1e9;
        range[1] = -1e9;
        for (int i = 0; i < n; i++) {
            double d = b[2 * i] - 100.0;
            assertThat(b[2 * i + 1] - 140.0).as("image %d: one delta for all its values", i).isCloseTo(d, within(1e-3));
            range[0] = Math.min(range[0], d);
            range[1] = Math.max(range[1], d);
        }
        assertThat(range[0]).as("deltas in [-0.1, 0.2)·200").isBetween(-20.0, -19.8);
        assertThat(range[1]).isBetween(39.8, 40.0);
        for (float v : run(new RandomBrightness(1.0), x, training(5)).toArray()) {
            assertThat(v).as("clipped to [0, 255]").isBetween(0f, 255f);
        }
        // RandomCrop: one corner for the whole batch, each of the 3x4 corners of a 2x2 window in 4x5 images.
        float[] grid = new float[2 * 20];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = i % 20;
        }
        Tensor images = Tensor.of(grid, 2, 4, 5, 1);
        java.util.Set<Float> corners = new java.util.HashSet<>();
        RandomCrop crop = new RandomCrop(2, 2);
        for (int k = 0; k < 400; k++) {
            float[] y = run(crop, images, training(100 + k)).toArray();
            assertThat(y[4]).as("the same window in every image").isEqualTo(y[0]);
            corners.add(y[0]);
        }
        assertThat(corners).as("every corner (row 0..2, column 0..3) drawn").containsExactlyInAnyOrder(0f, 1f, 2f,
                3f, 5f, 6f, 7f, 8f, 10f, 11f, 12f, 13f);
    }

    private static org.assertj.core.data.Offset<Double> within(double d) {
        return org.assertj.core.data.Offset.offset(d);
    }

    @Test
    void aSeededLayerRepeatsItsDrawsAndAnUnseededOneFollowsTheCallsStream() {
        Tensor x = uniform(r, 0, 1, 6, 5, 5, 2);
        for (long seed : new long[] {7, 8}) {
            RandomRotation a = new RandomRotation(new double[] {0.5}, seed, null);
            RandomRotation b = new RandomRotation(new double[] {0.5}, seed, null);
            float[] first = run(a, x, training(1)).toArray();
            assertThat(run(b, x, training(2)).toArray()).as("seed %d: same draws whatever the call's stream", seed)
                    .isEqualTo(first);
            assertThat(run(a, x, training(1)).toArray()).as("seed %d: the next call draws anew", seed)
                    .isNotEqualTo(first);
        }
        assertThat(run(new RandomRotation(new double[] {0.5}, 7L, null), x, training(1)).toArray())
                .isNotEqualTo(run(new RandomRotation(new double[] {0.5}, 8L, null), x, training(1)).toArray());
        RandomZoom z = new RandomZoom(0.5);
        assertThat(run(z, x, training(3)).toArray()).as("unseeded: the call's stream decides")
                .isEqualTo(run(z, x, training(3)).toArray());
        assertThatThrownBy(() -> run(new RandomFlip(), x, CallContext.training(null)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a random stream");
    }

    @Test
    void insideTimeDistributedEachFrameDrawsItsOwnTransformation() {
        int frames = 8;
        float[] v = new float[frames * 4];
        for (int f = 0; f < frames; f++) {
            System.arraycopy(new float[] {1, 2, 3, 4}, 0, v, 4 * f, 4);
        }
        TimeDistributed td = new TimeDistributed(new RandomFlip(RandomFlip.HORIZONTAL));
        td.build(Shape.of(frames, 2, 2, 1));
        float[] y = td.call(Variable.constant(Tensor.of(v, 1, frames, 2, 2, 1)), null, training(9)).value().toArray();
        int flipped = 0;
        for (int f = 0; f < frames; f++) {
            flipped += y[4 * f] == 2f ? 1 : 0;
        }
        assertThat(flipped).as("frames flipped independently (seed 9): some, not all").isBetween(1, frames - 1);
    }

    @Test
    void theMaskIsDroppedAndNoneFramesHeightAndWidthTakeEachCallsSizes() {
        Tensor mask = Tensor.of(new float[] {1, 0}, 2, 1);
        for (Layer l : randomLayers()) {
            assertThat(l.computeMask(Variable.constant(uniform(r, 0, 1, 2, 4, 4, 1)), mask))
                    .as("%s: supports_masking is False in Keras 3", l).isNull();
        }
        Sequential m = Sequential.of(Input.shape(Input.NONE, Input.NONE, Input.NONE, 2),
                new TimeDistributed(new RandomRotation(0.2)), new TimeDistributed(new Resizing(3, 3)));
        for (int[] d : new int[][] {{1, 5, 4}, {6, 3, 7}}) {
            Tensor x = uniform(r, 0, 1, 2, d[0], d[1], d[2], 2);
            assertThat(m.predict(x).shape()).as("%d frames of %dx%d", d[0], d[1], d[2])
                    .isEqualTo(Shape.of(2, d[0], 3, 3, 2));
            assertThat(m.call(Variable.constant(x), CallContext.training(new SplittableRandom(2))).shape())
                    .as("in training").isEqualTo(Shape.of(2, d[0], 3, 3, 2));
        }
    }

    /**
     * The layers whose gradient is their exact derivative. RandomRotation, RandomZoom and
     * RandomTranslation pass back TensorFlow's gradient instead (the inverse transform of the incoming
     * gradient, not the derivative): keras/ImageGradientKerasTest checks it against tf.GradientTape.
     */
    @Test
    void gradientsReachTheInputAsFiniteDifferencesSay() {
        Tensor x = uniform(r, 0.2f, 0.8f, 2, 5, 6, 2);
        List<Layer> layers = List.of(new RandomFlip(RandomFlip.HORIZONTAL, 1L, null),
                new RandomContrast(new double[] {0.5}, new double[] {0, 1}, 5L, null),
                new RandomBrightness(new double[] {0.1}, new double[] {0, 1}, 6L, "channels_first"),
                new RandomCrop(3, 4, 7L, null));
        for (Layer l : layers) {
            l.build(Shape.of(5, 6, 2));
            // A seeded layer's draws advance on each call: a fresh same-seeded layer per pass gives the same ones.
            GradCheck.check(l.toString(), in -> fresh(l).call(in[0], null, training(0)), x);
        }
    }

    /** A built copy of a seeded layer, its stream restarted, so that each pass draws the same transformation. */
    private static Layer fresh(Layer l) {
        Layer c = switch (l) {
            case RandomFlip f -> new RandomFlip(f.mode(), f.seed(), f.dataFormat());
            case RandomContrast k -> new RandomContrast(k.factor(), new double[] {0, 1}, k.seed(), k.dataFormat());
            case RandomBrightness b -> new RandomBrightness(b.factor(), new double[] {0, 1}, b.seed(), b.dataFormat());
            case RandomCrop k -> new RandomCrop(k.height(), k.width(), k.seed(), k.dataFormat());
            default -> throw new IllegalArgumentException(l.toString());
        };
        c.build(l.inputShape());
        return c;
    }

    @Test
    void aModelWithAugmentationTrainsThroughFitAndPredictsWithout() {
        Seeds.set(61);
        Sequential m = Sequential.of(Input.shape(8, 8, 1), new RandomFlip(), new RandomRotation(0.1),
                new RandomZoom(0.1), new RandomTranslation(0.1, 0.1), new RandomContrast(0.2, 0.0),
                new RandomBrightness(0.1), new Conv2D(2, 3), new Flatten(), new Dense(1));
        m.compile(Optimizers.adam(0.01), Losses.meanSquaredError());
        Tensor x = uniform(r, 0, 255, 8, 8, 8, 1);
        Tensor y = uniform(r, -1, 1, 8, 1);
        double loss = m.fit(x, y, Fit.defaults().batchSize(4).epochs(2).verbose(0)).last("loss");
        assertThat(loss).as("training loss").isFinite();
        assertThat(m.predict(x).toArray()).as("predict is deterministic: the augmentation is off")
                .isEqualTo(m.predict(x).toArray());
        assertThat(m.countParams()).as("only the Conv2D and Dense have weights").isEqualTo(2 * 9 + 2 + 72 + 1);
    }

    @Test
    void badOptionsAndGivenTransformationsAreRefusedNamingTheLayer() {
        assertThatThrownBy(() -> new RandomFlip("diagonal")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("Layer 'random_flip(_\\d+)?' \\(RandomFlip\\): mode must be 'horizontal', "
                        + "'vertical' or 'horizontal_and_vertical', got 'diagonal'");
        assertThatThrownBy(() -> new RandomRotation(1.5)).hasMessageContaining("(RandomRotation): The `factor` "
                + "argument should be a number (or a list of two numbers) in the range [-1, 1]. Received: factor=[1.5]");
        assertThatThrownBy(() -> new RandomRotation(0.1, 0.2, 0.3)).hasMessageContaining("Received: factor=");
        assertThatThrownBy(() -> new RandomContrast(-0.2)).hasMessageContaining("in the range [0, 1]");
        assertThatThrownBy(() -> new RandomContrast(new double[] {0.1}, new double[] {255, 0}, null, null))
                .hasMessageContaining("value_range must be two numbers, low first");
        assertThatThrownBy(() -> new RandomZoom(-1.0)).hasMessageContaining("height_factor values must be in (-1, 1]");
        assertThatThrownBy(() -> new RandomTranslation(0.1, 1.2)).hasMessageContaining("width_factor values must be "
                + "in [-1, 1]");
        assertThatThrownBy(() -> new RandomRotation(0.1).fillMode("mirror")).hasMessageContaining(
                "fill_mode 'mirror' is not supported; Keras's are 'reflect', 'wrap', 'constant' and 'nearest'");
        assertThatThrownBy(() -> new RandomZoom(0.1).interpolation("bicubic")).hasMessageContaining(
                "(RandomZoom): interpolation 'bicubic' is not supported");
        Tensor x = uniform(r, 0, 1, 2, 4, 4, 1);
        assertThatThrownBy(() -> new RandomRotation(0.1).rotate(x, new float[] {1})).hasMessageContaining(
                "expected one transformation per image (2), got 1");
        assertThatThrownBy(() -> new RandomCrop(3, 3).crop(x, 2, 0)).hasMessageContaining("a 3x3 window at (2, 0) "
                + "does not fit images of 4x4");
        assertThatThrownBy(() -> new RandomFlip().flip(uniform(r, 0, 1, 2, 4, 4), new boolean[2]))
                .hasMessageContaining("expected images (batch, height, width, channels)");
        RandomFlip flip = new RandomFlip();
        assertThatThrownBy(() -> flip.build(Shape.of(4, 4, 4, 1))).hasMessageContaining(
                "(RandomFlip): expected an input (batch, height, width, channels), got (None, 4, 4, 4, 1)");
    }
}
