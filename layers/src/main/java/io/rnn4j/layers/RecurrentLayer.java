package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.List;

/**
 * What runs a sequence with states and can be wrapped by {@link Bidirectional}: the fused
 * recurrent layers ({@link Recurrent}: SimpleRNN, LSTM, GRU) and {@link RNN} over a cell — Keras's
 * RNN base class, whose options they share.
 */
public sealed interface RecurrentLayer permits Recurrent, RNN {

    /** This as the layer it is. */
    default Layer layer() {
        return (Layer) this;
    }

    String name();

    boolean trainable();

    /** The weights in Keras's get_weights() order. */
    List<Weight> weights();

    /** Copies of the weight values, in Keras's get_weights() order. */
    List<Tensor> getWeights();

    boolean returnSequences();

    boolean returnState();

    boolean goBackwards();

    boolean stateful();

    boolean zeroOutputForMask();

    /** Sets zero_output_for_mask (before the layer is built). */
    RecurrentLayer zeroOutputForMask(boolean on);

    /** The size of each state (Keras's state_size). */
    int[] stateSizes();

    /** The number of states. */
    default int stateCount() {
        return stateSizes().length;
    }

    /**
     * Runs the sequence (Keras's call with {@code initial_state}); the output is the sequence or
     * the last step as return_sequences says, the states are the final ones.
     *
     * @param mask         (batch, timesteps) of 0/1, or null
     * @param initialState one tensor per state, or null
     */
    RnnOutput run(Variable x, Tensor mask, List<Variable> initialState, CallContext ctx);

    /** Zeroes the states of a stateful layer (Keras's reset_states). */
    void resetStates();

    /** The batch size a stateful layer holds states for, or 0. */
    int fixedBatchSize();

    /**
     * An unbuilt copy of this layer's configuration named {@code newName}, going backwards as
     * asked (Bidirectional's backward layer).
     *
     * @throws UnsupportedOperationException for an RNN over a cell that cannot copy itself
     */
    RecurrentLayer copy(String newName, boolean backwards);
}
