package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import java.util.random.RandomGenerator;

/**
 * Keras 3's RandomZoom preprocessing layer: in training each image is scaled about its centre,
 * its height by a zoom drawn uniformly from {@code [1 + lower, 1 + upper)} of height_factor and its
 * width by one drawn from width_factor's range, or by the height's zoom when width_factor is None
 * (the default: aspect kept). Keras's zoom is the input distance per output pixel: above 1 zooms
 * out, below 1 in. Applied as {@link AffineImageLayer} says; the identity at inference. A factor
 * f is {@code [-|f|, |f|]} or a pair, each in {@code (-1, 1]}.
 */
public final class RandomZoom extends AffineImageLayer<RandomZoom> {
    private final double[] heightFactor;
    private final double[] heightRange;
    private double[] widthFactor;
    private double[] widthRange;

    /**
     * Keras's {@code RandomZoom(height_factor)}: the width zoomed as the height.
     *
     * @param heightFactor one number f for {@code [-|f|, |f|]}, or two for a range (sorted)
     * @throws IllegalArgumentException for a value out of {@code (-1, 1]} or another length
     */
    public RandomZoom(double... heightFactor) {
        this(heightFactor, null, null, null);
    }

    /**
     * @param widthFactor one or two numbers, or null for Keras's None (the height's zoom)
     * @param seed        the layer's own stream's seed, or null for the training call's stream
     * @param dataFormat  "channels_last", "channels_first", or null (channels_last)
     */
    public RandomZoom(double[] heightFactor, double[] widthFactor, Long seed, String dataFormat) {
        super("random_zoom", seed, dataFormat);
        this.heightRange = range("height_factor", heightFactor, true);
        this.heightFactor = heightFactor.clone();
        if (widthFactor != null) {
            this.widthRange = range("width_factor", widthFactor, true);
            this.widthFactor = widthFactor.clone();
        }
    }

    /** Keras's {@code height_factor} as given: one number or two. A copy. */
    public double[] heightFactor() {
        return heightFactor.clone();
    }

    /** Keras's {@code width_factor} as given, or null (None: the height's zoom). A copy. */
    public double[] widthFactor() {
        return widthFactor == null ? null : widthFactor.clone();
    }

    @Override
    float[][] draw(int batch, int height, int width, RandomGenerator random) {
        float[] h = new float[batch];
        float[] w = new float[batch];
        for (int i = 0; i < batch; i++) {
            h[i] = uniform(random, 1 + heightRange[0], 1 + heightRange[1]);
        }
        for (int i = 0; i < batch; i++) {
            w[i] = widthRange == null ? h[i] : uniform(random, 1 + widthRange[0], 1 + widthRange[1]);
        }
        return matrices(h, w, height, width);
    }

    /** Keras's _get_zoom_matrix, in float32. */
    static float[][] matrices(float[] heightZoom, float[] widthZoom, int height, int width) {
        float[][] t = new float[heightZoom.length][];
        for (int i = 0; i < t.length; i++) {
            float xOffset = ((width - 1f) / 2f) * (1f - widthZoom[i]);
            float yOffset = ((height - 1f) / 2f) * (1f - heightZoom[i]);
            t[i] = new float[] {widthZoom[i], 0, xOffset, 0, heightZoom[i], yOffset, 0, 0};
        }
        return t;
    }

    /**
     * Keras's {@code transform_images(images, {"height_zoom": ..., "width_zoom": ...}, training=True)}.
     *
     * @param images a batch in the layer's data_format
     * @throws IllegalArgumentException unless there is one zoom of each per image
     */
    public Tensor zoom(Tensor images, float[] heightZoom, float[] widthZoom) {
        if (heightZoom.length != widthZoom.length) {
            throw new IllegalArgumentException(where() + ": expected as many width zooms as height zooms, got "
                    + widthZoom.length + " and " + heightZoom.length);
        }
        return given(images, heightZoom.length, x -> apply(x, matrices(heightZoom, widthZoom, x.dim(1), x.dim(2))));
    }
}
