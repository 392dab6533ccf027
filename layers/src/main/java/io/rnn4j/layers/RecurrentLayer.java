package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.List;

/**
 * What runs a sequence with states and can be wrapped by {@link Bidirectional}: the fused
 * recurrent layers ({@link Recurrent}: SimpleRNN, LSTM, GRU), {@link RNN} over a cell and the
 * {@link ConvLSTM} layers — Keras's RNN base class and its subclasses, whose options they share.
 */
public sealed interface RecurrentLayer permits Recurrent, RNN, ConvLSTM {

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

    /**
     * Each state's shape without the batch: {@code (size,)} for a vector state (the default), the
     * spatial states' whole shapes for {@link ConvLSTM} (once built).
     */
    default List<Shape> stateShapes() {
        return java.util.Arrays.stream(stateSizes()).mapToObj(Shape::of).toList();
    }

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
