package io.rnn4j.layers;

/**
 * Keras 3's AdaptiveMaxPooling2D (keras/src/layers/pooling/adaptive_max_pooling2d.py):
 * the largest value of each window, per channel, over {@code output_size} windows per spatial axis of
 * {@code (batch, rows, cols, channels)} (or channels first); see {@link AdaptiveGridPooling} for the windows.
 */
public final class AdaptiveMaxPooling2D extends AdaptiveGridPooling<AdaptiveMaxPooling2D> {
    /**
     * {@code outputSize} windows: one count for every spatial axis, or one per axis.
     *
     * @throws IllegalArgumentException for a count below 1 or another number of counts, naming the layer
     */
    public AdaptiveMaxPooling2D(int... outputSize) {
        super("adaptive_max_pooling2d", 2, true, outputSize);
    }
}
