package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.random.RandomGenerator;

/**
 * Keras 3's RandomCrop preprocessing layer. In training, when the images are larger than
 * {@code (height, width)} on both axes, one window of that size is cut from the whole batch at a
 * top-left corner drawn uniformly (every offset from 0 to {@code size - target}); otherwise, as
 * Keras 3.15.1 does, a {@code (height, width)} window (cut short by the image's edge) is taken from
 * the corner of the centred window of the target's aspect and resized bilinearly to the target. At
 * inference Keras 3.15.1 returns the images unchanged, whole (its output then differs from its
 * declared shape, and a layer after it that needs the cropped size fails, as in Keras); rnn4j does
 * the same. No weights; the gradient reaches the pixels kept.
 */
public final class RandomCrop extends ImageLayer {
    private final int height;
    private final int width;

    /**
     * Keras's {@code RandomCrop(height, width)}: channels_last, drawing from the training stream.
     *
     * @throws IllegalArgumentException unless both sizes are positive, naming this layer
     */
    public RandomCrop(int height, int width) {
        this(height, width, null, null);
    }

    /**
     * @param seed       the layer's own stream's seed, or null for the training call's stream
     * @param dataFormat "channels_last", "channels_first", or null (channels_last)
     * @throws IllegalArgumentException for a size below 1 or another data_format, naming this layer
     */
    public RandomCrop(int height, int width, Long seed, String dataFormat) {
        super("random_crop", dataFormat, seed);
        this.height = size("height", height);
        this.width = size("width", width);
    }

    @Override
    public RandomCrop named(String newName) {
        super.named(newName);
        return this;
    }

    /** The crop's height (Keras's {@code height}). */
    public int height() {
        return height;
    }

    /** The crop's width (Keras's {@code width}). */
    public int width() {
        return width;
    }

    @Override
    Shape outputLast(Shape in) {
        return Shape.withUnknown(height, width, in.dim(2));
    }

    @Override
    Variable transform(Variable images, CallContext ctx) {
        if (!ctx.training()) {
            return images;
        }
        int h = images.dim(1);
        int w = images.dim(2);
        if (h > height && w > width) {
            RandomGenerator r = random(ctx);
            // Keras's int(uniform(0, size - target + 1)): each offset equally likely.
            int top = Math.min((int) uniform(r, 0, h - height + 1), h - height);
            int left = Math.min((int) uniform(r, 0, w - width + 1), w - width);
            return crop(images, top, left);
        }
        // Keras centres a window of the target's aspect, but cuts (height, width) from its corner (as much
        // of it as the image holds), then resizes that bilinearly to (height, width).
        int cropH = Math.max(Math.min(h, (int) ((double) w * height / width)), 1);
        int cropW = Math.max(Math.min(w, (int) ((double) h * width / height)), 1);
        int top = (int) ((h - cropH) / 2.0);
        int left = (int) ((w - cropW) / 2.0);
        Variable cut = Ops.slice(Ops.slice(images, 1, top, Math.min(height, h - top)), 2, left,
                Math.min(width, w - left));
        return ImageResize.resize(where(), cut, height, width, true);
    }

    private Variable crop(Variable images, int top, int left) {
        return Ops.slice(Ops.slice(images, 1, top, height), 2, left, width);
    }

    /**
     * Keras's {@code transform_images(images, (top, left), training=True)} for images larger than
     * the crop on both axes: the window at {@code (top, left)} of every image.
     *
     * @param images a batch in the layer's data_format
     * @throws IllegalArgumentException if the window does not fit the images
     */
    public Tensor crop(Tensor images, int top, int left) {
        return given(images, -1, x -> {
            if (top < 0 || left < 0 || top + height > x.dim(1) || left + width > x.dim(2)) {
                throw new IllegalArgumentException(where() + ": a " + height + "x" + width + " window at (" + top
                        + ", " + left + ") does not fit images of " + x.dim(1) + "x" + x.dim(2));
            }
            return crop(x, top, left);
        });
    }
}
