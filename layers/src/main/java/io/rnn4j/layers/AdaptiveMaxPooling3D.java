package io.rnn4j.layers;

/**
 * Keras 3's AdaptiveMaxPooling3D (keras/src/layers/pooling/adaptive_max_pooling3d.py):
 * the largest value of each window, per channel, over {@code output_size} windows per spatial axis of
 * {@code (batch, depth, rows, cols, channels)} (or channels first); see {@link AdaptiveGridPooling} for the windows.
 */
public final class AdaptiveMaxPooling3D extends AdaptiveGridPooling<AdaptiveMaxPooling3D> {
    /**
     * {@code outputSize} windows: one count for every spatial axis, or one per axis.
     *
     * @throws IllegalArgumentException for a count below 1 or another number of counts, naming the layer
     */
    public AdaptiveMaxPooling3D(int... outputSize) {
        super("adaptive_max_pooling3d", 3, true, outputSize);
    }
}
