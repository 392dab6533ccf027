package io.rnn4j.engine;

/**
 * The states of a recurrent cell, each (batch, units): {@code h}, and {@code c} for LSTM (null
 * otherwise). Used for initial states, final states and their gradients; a null member means zeros
 * on input and "not wanted" on output.
 */
public record RnnState(Tensor h, Tensor c) {
    public static RnnState none() {
        return new RnnState(null, null);
    }
}
