package io.rnn4j.layers;

/**
 * Keras's SpatialDropout2D: on {@code (batch, rows, cols, channels)} inputs (channels_first:
 * channels on axis 1), in training, each channel of each sample — a whole 2D feature map — is
 * dropped with probability {@code rate}, the kept ones scaled by {@code 1 / (1 - rate)} (Keras's
 * noise shape {@code (batch, 1, 1, channels)}, channels_first {@code (batch, channels, 1, 1)}); at
 * inference the identity. Passes the mask on, as Keras's Dropout, which it extends there (see
 * {@link SpatialDropout}).
 */
public final class SpatialDropout2D extends SpatialDropout {

    /**
     * @param rate the fraction of channels to drop, in {@code [0, 1]} (1 drops all in training)
     * @throws IllegalArgumentException for a rate outside {@code [0, 1]}
     */
    public SpatialDropout2D(double rate) {
        super("spatial_dropout2d", 2, rate);
    }

    /** "channels_last" (the default) or "channels_first". */
    public String dataFormat() {
        return format();
    }

    /**
     * Keras's {@code data_format}, any case: "channels_last" (null too, Keras's default) or
     * "channels_first".
     *
     * @throws IllegalArgumentException for another value, naming this layer
     */
    public SpatialDropout2D dataFormat(String format) {
        format(format);
        return this;
    }

    @Override
    public SpatialDropout2D named(String newName) {
        super.named(newName);
        return this;
    }

    @Override
    String axes() {
        return "(batch, rows, cols, channels)";
    }
}
