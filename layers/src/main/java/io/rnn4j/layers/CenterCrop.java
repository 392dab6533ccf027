package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;

/**
 * Keras 3's CenterCrop preprocessing layer: the centred {@code (height, width)} window of each
 * image, starting at {@code (size - target) // 2}; an image smaller than the target on either axis
 * is instead resized as Keras's smart_resize does (the largest centred window of the target's
 * aspect, resized bilinearly to the target). In training and inference alike; no weights; the
 * gradient reaches the pixels kept.
 */
public final class CenterCrop extends ImageLayer {
    private final int height;
    private final int width;

    /**
     * Keras's {@code CenterCrop(height, width)}, channels_last.
     *
     * @throws IllegalArgumentException unless both sizes are positive, naming this layer
     */
    public CenterCrop(int height, int width) {
        this(height, width, null);
    }

    /**
     * @param dataFormat "channels_last", "channels_first", or null (channels_last)
     * @throws IllegalArgumentException for a size below 1 or another data_format, naming this layer
     */
    public CenterCrop(int height, int width, String dataFormat) {
        super("center_crop", dataFormat, null);
        this.height = size("height", height);
        this.width = size("width", width);
    }

    @Override
    public CenterCrop named(String newName) {
        super.named(newName);
        return this;
    }

    /** The output height (Keras's {@code height}). */
    public int height() {
        return height;
    }

    /** The output width (Keras's {@code width}). */
    public int width() {
        return width;
    }

    @Override
    Shape outputLast(Shape in) {
        return Shape.withUnknown(height, width, in.dim(2));
    }

    @Override
    Variable transform(Variable images, CallContext ctx) {
        int dh = images.dim(1) - height;
        int dw = images.dim(2) - width;
        if (dh >= 0 && dw >= 0) {
            return Ops.slice(Ops.slice(images, 1, dh / 2, height), 2, dw / 2, width);
        }
        return smartResize(where(), images, height, width);
    }

    /**
     * Keras's smart_resize of static sizes: the centred window of the target's aspect (sizes from
     * float64 division, as its Python arithmetic), resized bilinearly.
     */
    static Variable smartResize(String layer, Variable images, int height, int width) {
        int h = images.dim(1);
        int w = images.dim(2);
        int cropH = Math.max(Math.min(h, (int) ((double) w * height / width)), 1);
        int cropW = Math.max(Math.min(w, (int) ((double) h * width / height)), 1);
        Variable x = Ops.slice(Ops.slice(images, 1, (int) ((h - cropH) / 2.0), cropH), 2,
                (int) ((w - cropW) / 2.0), cropW);
        return ImageResize.resize(layer, x, height, width, true);
    }
}
