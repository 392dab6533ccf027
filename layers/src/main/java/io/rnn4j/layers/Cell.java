package io.rnn4j.layers;

import io.rnn4j.engine.Device;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.List;

/**
 * A Keras RNN cell: the computation of ONE time step, run over a sequence by {@link RNN} with
 * generic autograd ops (so a user-written cell trains with no backward code of its own). As in
 * Keras a cell is a layer: it is built for the features of one step ({@code (features,)}) and
 * creates its weights with {@link #addWeight}; {@link #build(io.rnn4j.engine.Shape,
 * java.util.random.RandomGenerator)} returns {@code (outputSize(),)}.
 *
 * <pre>{@code
 * class MinimalCell extends Cell {
 *     private Weight kernel, recurrent;
 *     MinimalCell() { super("minimal_cell"); }
 *     public int[] stateSizes() { return new int[] {32}; }
 *     protected Shape build(Shape in, RandomGenerator r) {
 *         kernel = addWeight("kernel", Shape.of(in.dim(0), 32), Initializers.glorotUniform(), r, null, null, true);
 *         recurrent = addWeight("recurrent_kernel", Shape.of(32, 32), Initializers.orthogonal(), r, null, null, true);
 *         return Shape.of(32);
 *     }
 *     public RnnOutput step(Variable x, List<Variable> states, CallContext ctx) {
 *         Variable h = Ops.add(Ops.matmul(x, kernel.variable()), Ops.matmul(states.get(0), recurrent.variable()));
 *         return new RnnOutput(h, List.of(h));
 *     }
 * }
 * var y = new RNN(new MinimalCell()).apply(input);
 * }</pre>
 *
 * <p>A cell is stepped by an RNN; calling it as a plain layer is refused.
 */
public abstract class Cell extends Layer {

    protected Cell(String kerasPrefix) {
        super(kerasPrefix);
    }

    /** The size of each state (Keras's state_size): {units} for SimpleRNN and GRU, {units, units} for LSTM. */
    public abstract int[] stateSizes();

    /** The size of the output of a step (Keras's output_size); the first state's by default. */
    public int outputSize() {
        return stateSizes()[0];
    }

    /**
     * One time step: the step's input x (batch, features) and the states (each (batch, size))
     * to the output (batch, outputSize()) and the new states, in the order of {@link #stateSizes()}.
     */
    public abstract RnnOutput step(Variable x, List<Variable> states, CallContext ctx);

    /** The states a sequence starts from (Keras's get_initial_state): zeros by default. */
    public List<Variable> initialState(int batch, Device device) {
        List<Variable> states = new ArrayList<>();
        for (int size : stateSizes()) {
            states.add(Variable.constant(device.zeros(batch, size)));
        }
        return states;
    }

    /**
     * An unbuilt cell of the same configuration (Keras's {@code from_config(get_config())}), which
     * Bidirectional needs to make a backward copy of an RNN. Keras's cells can; a cell of one's own
     * can by overriding this, or Bidirectional is given its backward layer.
     *
     * @throws UnsupportedOperationException unless overridden
     */
    public Cell copy() {
        throw new UnsupportedOperationException(name() + " (" + className() + ") cannot copy itself: override "
                + "Cell.copy() or give Bidirectional a backward layer");
    }

    /**
     * Forgets dropout masks kept for the steps of one sequence; {@link RNN} calls it before and
     * after each sequence (Keras's reset_dropout_mask). Nothing by default.
     */
    protected void resetDropoutMasks() {
    }

    @Override
    protected final Variable forward(Variable x, io.rnn4j.engine.Tensor mask, CallContext ctx) {
        throw new IllegalStateException(name() + ": a cell runs one step with states; wrap it in new RNN(cell) or "
                + "call step(x, states, ctx)");
    }
}
