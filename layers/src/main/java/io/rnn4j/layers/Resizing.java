package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.autograd.Variable;
import java.util.Locale;

/**
 * Keras 3's Resizing preprocessing layer: images {@code (batch, height, width, channels)} (or
 * channels_first) resized to {@code (target height, target width)} as Keras's TensorFlow backend
 * does with {@code tf.image.resize}: "bilinear" (Keras's default; half-pixel centers, no
 * antialiasing) or "nearest". With crop_to_aspect_ratio the largest centred window of the target's
 * aspect is resized (no distortion); with pad_to_aspect_ratio the short side is first padded
 * evenly with fill_value. In training and inference alike; no weights; the gradient reaches every
 * pixel read. Keras's "bicubic", "lanczos3", "lanczos5", "area" and antialias are refused.
 */
public final class Resizing extends ImageLayer {
    private final int height;
    private final int width;
    private String interpolation = "bilinear";
    private boolean cropToAspectRatio;
    private boolean padToAspectRatio;
    private float fillValue;

    /**
     * Keras's {@code Resizing(height, width)}: bilinear, channels_last.
     *
     * @throws IllegalArgumentException unless both sizes are positive, naming this layer
     */
    public Resizing(int height, int width) {
        this(height, width, null);
    }

    /**
     * @param dataFormat "channels_last", "channels_first", or null (channels_last)
     * @throws IllegalArgumentException for a size below 1 or another data_format, naming this layer
     */
    public Resizing(int height, int width, String dataFormat) {
        super("resizing", dataFormat, null);
        this.height = size("height", height);
        this.width = size("width", width);
    }

    @Override
    public Resizing named(String newName) {
        super.named(newName);
        return this;
    }

    /** The target height (Keras's {@code height}). */
    public int height() {
        return height;
    }

    /** The target width (Keras's {@code width}). */
    public int width() {
        return width;
    }

    /** Keras's {@code interpolation}: "bilinear" or "nearest". */
    public String interpolation() {
        return interpolation;
    }

    /**
     * Keras's {@code interpolation} (any case, as Keras lower-cases it): "bilinear" or "nearest".
     *
     * @throws IllegalArgumentException for Keras's "bicubic", "lanczos3", "lanczos5", "area" (other
     *                                  TensorFlow kernels, not reproduced) or any other value
     */
    public Resizing interpolation(String value) {
        requireNotBuilt("interpolation");
        String v = value == null ? null : value.toLowerCase(Locale.ROOT);
        bilinear(v, "; Keras's 'bicubic', 'lanczos3', 'lanczos5' and 'area' run TensorFlow kernels rnn4j does "
                + "not reproduce");
        this.interpolation = v;
        return this;
    }

    /** Keras's {@code crop_to_aspect_ratio}. */
    public boolean cropToAspectRatio() {
        return cropToAspectRatio;
    }

    /**
     * Keras's {@code crop_to_aspect_ratio}: resize the largest centred window of the target's aspect.
     *
     * @throws IllegalArgumentException if pad_to_aspect_ratio is on too (Keras refuses both)
     */
    public Resizing cropToAspectRatio(boolean on) {
        requireNotBuilt("crop_to_aspect_ratio");
        if (on && padToAspectRatio) {
            throw new IllegalArgumentException(where() + ": Only one of `pad_to_aspect_ratio` & "
                    + "`crop_to_aspect_ratio` can be `True`.");
        }
        this.cropToAspectRatio = on;
        return this;
    }

    /** Keras's {@code pad_to_aspect_ratio}. */
    public boolean padToAspectRatio() {
        return padToAspectRatio;
    }

    /**
     * Keras's {@code pad_to_aspect_ratio}: pad the short side evenly with fill_value to the target's
     * aspect, then resize.
     *
     * @throws IllegalArgumentException if crop_to_aspect_ratio is on too (Keras refuses both)
     */
    public Resizing padToAspectRatio(boolean on) {
        requireNotBuilt("pad_to_aspect_ratio");
        if (on && cropToAspectRatio) {
            throw new IllegalArgumentException(where() + ": Only one of `pad_to_aspect_ratio` & "
                    + "`crop_to_aspect_ratio` can be `True`.");
        }
        this.padToAspectRatio = on;
        return this;
    }

    /** Keras's {@code fill_value}: what pad_to_aspect_ratio pads with (0 by default). */
    public float fillValue() {
        return fillValue;
    }

    /** Keras's {@code fill_value} (fill_mode is "constant", the only one Keras's resize takes). */
    public Resizing fillValue(double value) {
        requireNotBuilt("fill_value");
        this.fillValue = (float) value;
        return this;
    }

    @Override
    Shape outputLast(Shape in) {
        return Shape.withUnknown(height, width, in.dim(2));
    }

    @Override
    Variable transform(Variable images, CallContext ctx) {
        Variable x = images;
        if (cropToAspectRatio) {
            x = ImageResize.cropToAspect(x, height, width);
        } else if (padToAspectRatio) {
            x = ImageResize.padToAspect(x, height, width, fillValue);
        }
        return ImageResize.resize(where(), x, height, width, interpolation.equals("bilinear"));
    }
}
