package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.random.RandomGenerator;

/**
 * Keras 3's RandomContrast preprocessing layer: in training each image's contrast is scaled by a
 * factor c drawn uniformly from {@code [1 - lower, 1 + upper)}: {@code (x - mean)·c + mean} per
 * channel, the mean taken over the image's height then width, then clipped to value_range (Keras's
 * default {@code [0, 255]}). Keras's factor bounds are {@code [0, 1]}: a number f gives
 * {@code (max(-f, 0), f)}, so {@code RandomContrast(0.2)} only raises contrast, by up to 20%, as
 * Keras 3.15.1 does. The identity at inference. No weights; the gradient flows through the
 * adjustment where the clip passes it.
 */
public final class RandomContrast extends ImageLayer {
    private final double lower;
    private final double upper;
    private final float[] valueRange;

    /**
     * Keras's {@code RandomContrast(factor)}: value_range {@code [0, 255]}, channels_last.
     *
     * @param factor one number in {@code [0, 1]}, or two (sorted) not both outside it
     * @throws IllegalArgumentException for a factor Keras refuses, naming this layer
     */
    public RandomContrast(double... factor) {
        this(factor, new double[] {0, 255}, null, null);
    }

    /**
     * @param valueRange the two bounds the result is clipped to, low first
     * @param seed       the layer's own stream's seed, or null for the training call's stream
     * @param dataFormat "channels_last", "channels_first", or null (channels_last)
     */
    public RandomContrast(double[] factor, double[] valueRange, Long seed, String dataFormat) {
        super("random_contrast", dataFormat, seed);
        double[] r = RandomBrightness.baseRange(where(), factor, 0);
        this.lower = r[0];
        this.upper = r[1];
        if (valueRange == null || valueRange.length != 2 || !(valueRange[0] <= valueRange[1])) {
            throw new IllegalArgumentException(where() + ": value_range must be two numbers, low first, got "
                    + java.util.Arrays.toString(valueRange));
        }
        this.valueRange = new float[] {(float) valueRange[0], (float) valueRange[1]};
    }

    /** Keras's {@code factor} as it writes it: {@code [lower, upper]}. */
    public double[] factor() {
        return new double[] {lower, upper};
    }

    /** Keras's {@code value_range}: the bounds the result is clipped to. A copy. */
    public float[] valueRange() {
        return valueRange.clone();
    }

    @Override
    Variable transform(Variable images, CallContext ctx) {
        if (!ctx.training()) {
            return images;
        }
        RandomGenerator r = random(ctx);
        float[] c = new float[images.dim(0)];
        for (int i = 0; i < c.length; i++) {
            c[i] = uniform(r, 1.0 - lower, 1.0 + upper);
        }
        return adjust(images, c);
    }

    private Variable adjust(Variable images, float[] factors) {
        Variable mean = Ops.mean(Ops.mean(images, 1, true), 2, true);
        Variable f = Variable.constant(ImageSampling.perImage(images, factors));
        Variable out = Ops.add(Ops.mul(Ops.sub(images, mean), f), mean);
        return Ops.clip(out, valueRange[0], valueRange[1]);
    }

    /**
     * Keras's {@code transform_images(images, {"contrast_factor": factors}, training=True)}.
     *
     * @param images a batch in the layer's data_format
     * @throws IllegalArgumentException unless there is one factor per image
     */
    public Tensor contrast(Tensor images, float[] factors) {
        return given(images, factors.length, x -> adjust(x, factors));
    }
}
