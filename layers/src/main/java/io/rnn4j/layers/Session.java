package io.rnn4j.layers;

import io.rnn4j.layers.internal.AutoNames;

/** The process-wide state Keras's {@code keras.backend.clear_session()} resets. */
public final class Session {
    private Session() {
    }

    /**
     * Keras's {@code clear_session()}: automatic layer and model names start again ("lstm", then
     * "lstm_1", ...), as in a fresh process. Layers already made keep their names; a model that
     * then holds two layers of one name is refused where Keras refuses it.
     */
    public static void clear() {
        AutoNames.clear();
    }
}
