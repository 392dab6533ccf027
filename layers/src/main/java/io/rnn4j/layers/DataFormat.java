package io.rnn4j.layers;

import java.util.Locale;

/**
 * Keras's {@code data_format} of the 1D layers that take both layouts (ZeroPadding1D and the
 * global poolings): "channels_last", {@code (batch, steps, features)}, or "channels_first",
 * {@code (batch, features, steps)}.
 */
final class DataFormat {
    static final String CHANNELS_LAST = "channels_last";
    static final String CHANNELS_FIRST = "channels_first";

    private DataFormat() {
    }

    /**
     * The value as Keras's standardize_data_format takes it: null is "channels_last" (Keras's
     * default image_data_format), a name in any case is lower-cased.
     *
     * @param layer "Layer 'name' (Class)", for the message
     * @throws IllegalArgumentException for another value, naming the layer and the values allowed
     */
    static String standardize(String layer, String value) {
        String f = value == null ? CHANNELS_LAST : value.toLowerCase(Locale.ROOT);
        if (!f.equals(CHANNELS_LAST) && !f.equals(CHANNELS_FIRST)) {
            throw new IllegalArgumentException(layer + ": data_format must be 'channels_last' or 'channels_first', "
                    + "got '" + value + "'");
        }
        return f;
    }
}
