package io.rnn4j.layers;

/**
 * Keras's GlobalMaxPooling3D (keras/src/layers/pooling/global_max_pooling3d.py): the maximum over
 * every spatial axis of a 3-D input, per channel (see {@link GlobalPoolingBase}).
 */
public final class GlobalMaxPooling3D extends GlobalPoolingBase {
    /** Keras's defaults: channels_last, keepdims false. */
    public GlobalMaxPooling3D() {
        this(DataFormat.CHANNELS_LAST, false);
    }

    /**
     * @param dataFormat "channels_last" or "channels_first" (any case; null is channels_last)
     * @param keepdims   whether the spatial axes are kept with length 1
     * @throws IllegalArgumentException for another data_format, naming the layer
     */
    public GlobalMaxPooling3D(String dataFormat, boolean keepdims) {
        super("global_max_pooling3d", 3, dataFormat, keepdims);
    }

    @Override
    boolean max() {
        return true;
    }
}
