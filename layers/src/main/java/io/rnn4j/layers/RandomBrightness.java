package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Keras 3's RandomBrightness preprocessing layer: in training each image gets a delta added to
 * every value, drawn uniformly from {@code [lower, upper)} times the width of value_range (Keras's
 * default {@code [0, 255]}), then the result is clipped to value_range. A factor f is
 * {@code [-|f|, |f|]} or a pair (sorted), within {@code [-1, 1]}. The identity at inference. No
 * weights; the gradient passes where the clip does.
 */
public final class RandomBrightness extends ImageLayer {
    private final double lower;
    private final double upper;
    private final float[] valueRange;

    /**
     * Keras's {@code RandomBrightness(factor)}: value_range {@code [0, 255]}.
     *
     * @param factor one number f for {@code [-|f|, |f|]}, or two for a range
     * @throws IllegalArgumentException for a factor out of {@code [-1, 1]}, naming this layer
     */
    public RandomBrightness(double... factor) {
        this(factor, new double[] {0, 255}, null, null);
    }

    /**
     * @param valueRange the two bounds the result is clipped to (sorted, as Keras sorts them)
     * @param seed       the layer's own stream's seed, or null for the training call's stream
     * @param dataFormat "channels_last", "channels_first", or null (channels_last)
     */
    public RandomBrightness(double[] factor, double[] valueRange, Long seed, String dataFormat) {
        super("random_brightness", dataFormat, seed);
        double[] r = baseRange(where(), factor, -1);
        this.lower = r[0];
        this.upper = r[1];
        if (valueRange == null || valueRange.length != 2 || Double.isNaN(valueRange[0] + valueRange[1])) {
            throw new IllegalArgumentException(where() + ": The `value_range` argument should be a list of two "
                    + "numbers. Received: value_range=" + Arrays.toString(valueRange));
        }
        this.valueRange = new float[] {(float) Math.min(valueRange[0], valueRange[1]),
                (float) Math.max(valueRange[0], valueRange[1])};
    }

    /**
     * Keras's base _set_factor with bounds {@code [min, 1]}: a number f in them gives
     * {@code [max(-|f|, min), |f|]}, a pair (not wholly outside them) is sorted.
     *
     * @param layer "Layer 'name' (Class)", for the message
     */
    static double[] baseRange(String layer, double[] factor, double min) {
        String refused = layer + ": The `factor` argument should be a number (or a list of two numbers) in the "
                + "range [" + (int) min + ", 1]. Received: factor=" + Arrays.toString(factor);
        if (factor == null || factor.length < 1 || factor.length > 2 || Double.isNaN(factor[0])
                || Double.isNaN(factor[factor.length - 1])) {
            throw new IllegalArgumentException(refused);
        }
        if (factor.length == 2) {
            if (factor[0] > 1 || factor[1] < min) {
                throw new IllegalArgumentException(refused);
            }
            return new double[] {Math.min(factor[0], factor[1]), Math.max(factor[0], factor[1])};
        }
        double f = factor[0];
        if (f < min || f > 1) {
            throw new IllegalArgumentException(refused);
        }
        return new double[] {Math.max(-Math.abs(f), min), Math.abs(f)};
    }

    /** Keras's {@code factor} as it writes it: {@code [lower, upper]}. */
    public double[] factor() {
        return new double[] {lower, upper};
    }

    /** Keras's {@code value_range}, sorted. A copy. */
    public float[] valueRange() {
        return valueRange.clone();
    }

    @Override
    Variable transform(Variable images, CallContext ctx) {
        if (!ctx.training()) {
            return images;
        }
        RandomGenerator r = random(ctx);
        float[] delta = new float[images.dim(0)];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = uniform(r, lower, upper) * (valueRange[1] - valueRange[0]);
        }
        return adjust(images, delta);
    }

    private Variable adjust(Variable images, float[] delta) {
        Variable d = Variable.constant(ImageSampling.perImage(images, delta));
        return Ops.clip(Ops.add(images, d), valueRange[0], valueRange[1]);
    }

    /**
     * Keras's {@code transform_images(images, {"rgb_delta": deltas}, training=True)}: deltas in
     * the images' units (already scaled by value_range), one per image.
     *
     * @param images a batch in the layer's data_format
     * @throws IllegalArgumentException unless there is one delta per image
     */
    public Tensor brighten(Tensor images, float[] deltas) {
        return given(images, deltas.length, x -> adjust(x, deltas));
    }
}
