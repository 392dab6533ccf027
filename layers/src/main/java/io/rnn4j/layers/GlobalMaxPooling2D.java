package io.rnn4j.layers;

/**
 * Keras's GlobalMaxPooling2D (keras/src/layers/pooling/global_max_pooling2d.py): the maximum over
 * every spatial axis of a 2-D input, per channel (see {@link GlobalPoolingBase}).
 */
public final class GlobalMaxPooling2D extends GlobalPoolingBase {
    /** Keras's defaults: channels_last, keepdims false. */
    public GlobalMaxPooling2D() {
        this(DataFormat.CHANNELS_LAST, false);
    }

    /**
     * @param dataFormat "channels_last" or "channels_first" (any case; null is channels_last)
     * @param keepdims   whether the spatial axes are kept with length 1
     * @throws IllegalArgumentException for another data_format, naming the layer
     */
    public GlobalMaxPooling2D(String dataFormat, boolean keepdims) {
        super("global_max_pooling2d", 2, dataFormat, keepdims);
    }

    @Override
    boolean max() {
        return true;
    }
}
