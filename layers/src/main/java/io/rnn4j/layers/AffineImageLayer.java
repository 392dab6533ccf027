package io.rnn4j.layers;

import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * What Keras 3's RandomRotation, RandomZoom and RandomTranslation share: in training one affine
 * transform drawn per image and applied with Keras's TensorFlow {@code affine_transform}
 * ({@link ImageSampling}): {@code interpolation} "bilinear" (default) or "nearest", points
 * outside the image moved in by {@code fill_mode} "reflect" (default), "wrap", "nearest", or
 * reading {@code fill_value} with "constant". The identity at inference.
 *
 * <p>The gradient to the input is TensorFlow's, as Keras's fit on TensorFlow gives it to a
 * trainable layer before these: its registered gradient of ImageProjectiveTransformV3 warps the
 * incoming gradient by the inverse transform ({@link ImageSampling}), which is not the sampling's
 * exact derivative.
 */
public abstract sealed class AffineImageLayer<L extends AffineImageLayer<L>> extends ImageLayer
        permits RandomRotation, RandomZoom, RandomTranslation {
    private ImageSampling.Fill fillMode = ImageSampling.Fill.REFLECT;
    private boolean bilinear = true;
    private float fillValue;

    AffineImageLayer(String kerasPrefix, Long seed, String dataFormat) {
        super(kerasPrefix, dataFormat, seed);
    }

    @SuppressWarnings("unchecked")
    private L self() {
        return (L) this;
    }

    @Override
    public L named(String newName) {
        super.named(newName);
        return self();
    }

    /** Keras's {@code fill_mode}: "reflect", "wrap", "constant" or "nearest". */
    public final String fillMode() {
        return fillMode.kerasName();
    }

    /**
     * Keras's {@code fill_mode}: how a point outside the image is read.
     *
     * @throws IllegalArgumentException for a name other than Keras's four, naming this layer
     */
    public final L fillMode(String mode) {
        requireNotBuilt("fill_mode");
        this.fillMode = ImageSampling.Fill.of(where(), mode);
        return self();
    }

    /** Keras's {@code interpolation}: "bilinear" or "nearest". */
    public final String interpolation() {
        return bilinear ? "bilinear" : "nearest";
    }

    /**
     * Keras's {@code interpolation}: "bilinear" or "nearest" (the two Keras's affine_transform takes).
     *
     * @throws IllegalArgumentException for another value, naming this layer
     */
    public final L interpolation(String value) {
        requireNotBuilt("interpolation");
        this.bilinear = bilinear(value, "");
        return self();
    }

    /** Keras's {@code fill_value}: what fill_mode "constant" reads outside the image (0 by default). */
    public final float fillValue() {
        return fillValue;
    }

    /** Keras's {@code fill_value}, used with fill_mode "constant". */
    public final L fillValue(double value) {
        requireNotBuilt("fill_value");
        this.fillValue = (float) value;
        return self();
    }

    @Override
    final Variable transform(Variable images, CallContext ctx) {
        if (!ctx.training()) {
            return images;
        }
        return apply(images, draw(images.dim(0), images.dim(1), images.dim(2), random(ctx)));
    }

    /** The transforms (8 numbers each, Keras's layout) of a batch of images. */
    abstract float[][] draw(int batch, int height, int width, RandomGenerator random);

    /** {@code images} (channels_last) transformed, one transform per image. */
    final Variable apply(Variable images, float[][] transforms) {
        return ImageSampling.project(where(), images, transforms, bilinear, fillMode, fillValue);
    }

    /**
     * A factor as Keras's zoom and translation layers take it: one number {@code f} for
     * {@code [-|f|, |f|]}, or two, sorted; each within Keras's bounds.
     *
     * @param lowerOpen whether the lower bound -1 itself is refused (zoom: a zoom of 0)
     * @throws IllegalArgumentException naming the layer, the option and what came
     */
    final double[] range(String option, double[] factor, boolean lowerOpen) {
        if (factor == null || factor.length < 1 || factor.length > 2) {
            throw new IllegalArgumentException(where() + ": " + option + " must be a number or a list of two "
                    + "numbers, got " + Arrays.toString(factor));
        }
        for (double f : factor) {
            if (Double.isNaN(f) || f > 1 || (lowerOpen ? f <= -1 : f < -1)) {
                throw new IllegalArgumentException(where() + ": " + option + " values must be in "
                        + (lowerOpen ? "(-1, 1]" : "[-1, 1]") + ", got " + Arrays.toString(factor));
            }
        }
        if (factor.length == 1) {
            return new double[] {-Math.abs(factor[0]), Math.abs(factor[0])};
        }
        return new double[] {Math.min(factor[0], factor[1]), Math.max(factor[0], factor[1])};
    }
}
