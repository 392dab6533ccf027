package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import java.util.random.RandomGenerator;

/**
 * Keras 3's RandomRotation preprocessing layer: in training each image is rotated about its
 * centre by an angle drawn uniformly from {@code [lower·360°, upper·360°)}, with Keras's rotation
 * matrix ({@code _compute_affine_matrix}, in float32) applied as {@link AffineImageLayer} says.
 * {@code factor} f is {@code [-f, f]} (a fraction of a full turn) or a pair {@code [lower, upper]},
 * within {@code [-1, 1]}. The identity at inference.
 */
public final class RandomRotation extends AffineImageLayer<RandomRotation> {
    private final double lower;
    private final double upper;

    /**
     * Keras's {@code RandomRotation(factor)}.
     *
     * @param factor one number f for {@code [-|f|, |f|]}, or two for a range (sorted)
     * @throws IllegalArgumentException for a factor out of {@code [-1, 1]} or of another length
     */
    public RandomRotation(double... factor) {
        this(factor, null, null);
    }

    /**
     * @param seed       the layer's own stream's seed, or null for the training call's stream
     * @param dataFormat "channels_last", "channels_first", or null (channels_last)
     */
    public RandomRotation(double[] factor, Long seed, String dataFormat) {
        super("random_rotation", seed, dataFormat);
        double[] r = baseRange(factor);
        this.lower = r[0];
        this.upper = r[1];
    }

    /** Keras's base _set_factor: a number f gives {@code [max(-|f|, -1), |f|]}, a pair is sorted. */
    private double[] baseRange(double[] factor) {
        String refused = where() + ": The `factor` argument should be a number (or a list of two numbers) in the "
                + "range [-1, 1]. Received: factor=" + java.util.Arrays.toString(factor);
        if (factor == null || factor.length < 1 || factor.length > 2) {
            throw new IllegalArgumentException(refused);
        }
        if (factor.length == 2) {
            if (Double.isNaN(factor[0] + factor[1]) || factor[0] > 1 || factor[1] < -1) {
                throw new IllegalArgumentException(refused);
            }
            return new double[] {Math.min(factor[0], factor[1]), Math.max(factor[0], factor[1])};
        }
        double f = factor[0];
        if (Double.isNaN(f) || f < -1 || f > 1) {
            throw new IllegalArgumentException(refused);
        }
        return new double[] {Math.max(-Math.abs(f), -1), Math.abs(f)};
    }

    /** Keras's {@code factor} as it writes it: {@code [lower, upper]}, fractions of a full turn. */
    public double[] factor() {
        return new double[] {lower, upper};
    }

    @Override
    float[][] draw(int batch, int height, int width, RandomGenerator random) {
        float[] degrees = new float[batch];
        for (int i = 0; i < batch; i++) {
            degrees[i] = uniform(random, lower * 360.0, upper * 360.0);
        }
        return matrices(degrees, height, width);
    }

    /** Keras's _compute_affine_matrix for a rotation by each angle about the image centre, in float32. */
    static float[][] matrices(float[] degrees, int height, int width) {
        float[][] t = new float[degrees.length][];
        float cx = 0.5f * (width - 1f);
        float cy = 0.5f * (height - 1f);
        float toRadians = (float) (Math.PI / 180.0);
        for (int i = 0; i < degrees.length; i++) {
            float angle = degrees[i] * toRadians;
            float cos = (float) Math.cos(angle);
            float sin = (float) Math.sin(angle);
            // Scale 1, no shear or translation: a0 = cos, a1 = -sin, b0 = sin, b1 = cos.
            float a2 = cx - cx * cos - cy * -sin;
            float b2 = cy - cx * sin - cy * cos;
            t[i] = new float[] {cos, -sin, a2, sin, cos, b2, 0, 0};
        }
        return t;
    }

    /**
     * Keras's {@code transform_images(images, {"rotation_matrix": ...}, training=True)} for the
     * rotation matrices of the given angles (degrees, one per image).
     *
     * @param images a batch in the layer's data_format
     * @throws IllegalArgumentException unless there is one angle per image
     */
    public Tensor rotate(Tensor images, float[] degrees) {
        return given(images, degrees.length, x -> apply(x, matrices(degrees, x.dim(1), x.dim(2))));
    }
}
