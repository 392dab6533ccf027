package io.rnn4j.layers.keras;

import java.io.Serial;

/**
 * A Keras file that cannot be loaded as it is: an unsupported layer, option or dtype, a
 * truncated or corrupt file, a missing entry or a weight of the wrong shape. The message names the
 * file, the layer (its config name and Keras class), the option or dataset, and what was found.
 * Nothing has been changed when it is thrown.
 */
public final class KerasFileException extends IllegalArgumentException {
    @Serial
    private static final long serialVersionUID = 1L;

    public KerasFileException(String message) {
        super(message);
    }

    public KerasFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
