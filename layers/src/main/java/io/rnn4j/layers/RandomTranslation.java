package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import java.util.random.RandomGenerator;

/**
 * Keras 3's RandomTranslation preprocessing layer: in training each image is shifted down by a
 * fraction of its height drawn uniformly from height_factor's range and right by a fraction of its
 * width drawn from width_factor's (negative: up, left), applied as {@link AffineImageLayer} says;
 * the identity at inference. A factor f is {@code [-|f|, |f|]} or a pair, each in {@code [-1, 1]}.
 */
public final class RandomTranslation extends AffineImageLayer<RandomTranslation> {
    private final double[] heightFactor;
    private final double[] widthFactor;
    private final double[] heightRange;
    private final double[] widthRange;

    /**
     * Keras's {@code RandomTranslation(height_factor, width_factor)} with symmetric ranges.
     *
     * @throws IllegalArgumentException for a factor out of {@code [-1, 1]}
     */
    public RandomTranslation(double heightFactor, double widthFactor) {
        this(new double[] {heightFactor}, new double[] {widthFactor}, null, null);
    }

    /**
     * @param heightFactor one number f for {@code [-|f|, |f|]}, or two for a range (sorted)
     * @param widthFactor  likewise, for the width
     * @param seed         the layer's own stream's seed, or null for the training call's stream
     * @param dataFormat   "channels_last", "channels_first", or null (channels_last)
     */
    public RandomTranslation(double[] heightFactor, double[] widthFactor, Long seed, String dataFormat) {
        super("random_translation", seed, dataFormat);
        this.heightRange = range("height_factor", heightFactor, false);
        this.widthRange = range("width_factor", widthFactor, false);
        this.heightFactor = heightFactor.clone();
        this.widthFactor = widthFactor.clone();
    }

    /** Keras's {@code height_factor} as given: one number or two. A copy. */
    public double[] heightFactor() {
        return heightFactor.clone();
    }

    /** Keras's {@code width_factor} as given: one number or two. A copy. */
    public double[] widthFactor() {
        return widthFactor.clone();
    }

    @Override
    float[][] draw(int batch, int height, int width, RandomGenerator random) {
        float[] dy = new float[batch];
        float[] dx = new float[batch];
        for (int i = 0; i < batch; i++) {
            dy[i] = uniform(random, heightRange[0], heightRange[1]) * height;
        }
        for (int i = 0; i < batch; i++) {
            dx[i] = uniform(random, widthRange[0], widthRange[1]) * width;
        }
        return matrices(dy, dx);
    }

    /** Keras's _get_translation_matrix: the input point is the output's minus the shift. */
    static float[][] matrices(float[] dy, float[] dx) {
        float[][] t = new float[dy.length][];
        for (int i = 0; i < t.length; i++) {
            t[i] = new float[] {1, 0, -dx[i], 0, 1, -dy[i], 0, 0};
        }
        return t;
    }

    /**
     * Keras's {@code transform_images(images, {"translations": [[dx, dy], ...]}, training=True)}:
     * shifts in pixels, one pair per image.
     *
     * @param images a batch in the layer's data_format
     * @throws IllegalArgumentException unless there is one shift of each per image
     */
    public Tensor translate(Tensor images, float[] dy, float[] dx) {
        if (dy.length != dx.length) {
            throw new IllegalArgumentException(where() + ": expected as many width shifts as height shifts, got "
                    + dx.length + " and " + dy.length);
        }
        return given(images, dy.length, x -> apply(x, matrices(dy, dx)));
    }
}
