package io.rnn4j.layers;

import io.rnn4j.layers.autograd.Variable;
import java.util.List;

/**
 * What a recurrent layer returns: its output (the sequence with return_sequences, else the last
 * step) and its final states (h, and c for LSTM), as Keras returns them with return_state.
 */
public record RnnOutput(Variable output, List<Variable> states) {
    public RnnOutput {
        states = List.copyOf(states);
    }
}
