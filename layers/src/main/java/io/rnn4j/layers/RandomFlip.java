package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.random.RandomGenerator;

/**
 * Keras 3's RandomFlip preprocessing layer: in training each image is flipped with probability
 * 1/2 (Keras's {@code uniform() <= 0.5}), left-right ("horizontal"), upside-down ("vertical"),
 * or both at once ("horizontal_and_vertical", Keras's default: one draw per image decides both
 * flips). The identity at inference. No weights; the gradient of a flipped pixel goes to its
 * source.
 */
public final class RandomFlip extends ImageLayer {
    /** Keras's {@code mode} names. */
    public static final String HORIZONTAL = "horizontal";
    public static final String VERTICAL = "vertical";
    public static final String HORIZONTAL_AND_VERTICAL = "horizontal_and_vertical";

    private final String mode;

    /** Keras's {@code RandomFlip()}: "horizontal_and_vertical", channels_last, the training stream. */
    public RandomFlip() {
        this(HORIZONTAL_AND_VERTICAL);
    }

    /**
     * @param mode "horizontal", "vertical" or "horizontal_and_vertical"
     * @throws IllegalArgumentException for another mode, naming this layer
     */
    public RandomFlip(String mode) {
        this(mode, null, null);
    }

    /**
     * @param mode       "horizontal", "vertical" or "horizontal_and_vertical"
     * @param seed       the layer's own stream's seed, or null for the training call's stream
     * @param dataFormat "channels_last", "channels_first", or null (channels_last)
     * @throws IllegalArgumentException for another mode or data_format, naming this layer
     */
    public RandomFlip(String mode, Long seed, String dataFormat) {
        super("random_flip", dataFormat, seed);
        if (!HORIZONTAL.equals(mode) && !VERTICAL.equals(mode) && !HORIZONTAL_AND_VERTICAL.equals(mode)) {
            throw new IllegalArgumentException(where() + ": mode must be 'horizontal', 'vertical' or "
                    + "'horizontal_and_vertical', got " + (mode == null ? "null" : "'" + mode + "'"));
        }
        this.mode = mode;
    }

    @Override
    public RandomFlip named(String newName) {
        super.named(newName);
        return this;
    }

    /** Keras's {@code mode}. */
    public String mode() {
        return mode;
    }

    @Override
    Variable transform(Variable images, CallContext ctx) {
        if (!ctx.training()) {
            return images;
        }
        RandomGenerator r = random(ctx);
        boolean[] flips = new boolean[images.dim(0)];
        for (int i = 0; i < flips.length; i++) {
            flips[i] = uniform(r, 0, 1) <= 0.5f;
        }
        return flip(images, flips);
    }

    private Variable flip(Variable images, boolean[] flips) {
        boolean h = !mode.equals(VERTICAL);
        boolean v = !mode.equals(HORIZONTAL);
        float lastX = images.dim(2) - 1;
        float lastY = images.dim(1) - 1;
        float[][] t = new float[flips.length][];
        for (int i = 0; i < flips.length; i++) {
            boolean fh = flips[i] && h;
            boolean fv = flips[i] && v;
            // Input x = lastX - x (and y = lastY - y): whole pixels, so "nearest" reads them exactly.
            t[i] = new float[] {fh ? -1 : 1, 0, fh ? lastX : 0, 0, fv ? -1 : 1, fv ? lastY : 0, 0, 0};
        }
        return ImageSampling.project(where(), images, t, false, ImageSampling.Fill.NEAREST, 0f);
    }

    /**
     * Keras's {@code transform_images(images, {"flips": flips}, training=True)}: the images whose
     * flag is set flipped as the mode says, the others unchanged.
     *
     * @param images a batch in the layer's data_format
     * @throws IllegalArgumentException unless there is one flag per image
     */
    public Tensor flip(Tensor images, boolean[] flips) {
        return given(images, flips.length, x -> flip(x, flips));
    }
}
