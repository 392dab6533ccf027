package io.rnn4j.layers;

/**
 * Keras 3's AdaptiveAveragePooling3D (keras/src/layers/pooling/adaptive_average_pooling3d.py):
 * the mean of each window (its sum divided by its length, per axis, as TensorFlow's average pooling computes it), per channel, over {@code output_size} windows per spatial axis of
 * {@code (batch, depth, rows, cols, channels)} (or channels first); see {@link AdaptiveGridPooling} for the windows.
 */
public final class AdaptiveAveragePooling3D extends AdaptiveGridPooling<AdaptiveAveragePooling3D> {
    /**
     * {@code outputSize} windows: one count for every spatial axis, or one per axis.
     *
     * @throws IllegalArgumentException for a count below 1 or another number of counts, naming the layer
     */
    public AdaptiveAveragePooling3D(int... outputSize) {
        super("adaptive_average_pooling3d", 3, false, outputSize);
    }
}
