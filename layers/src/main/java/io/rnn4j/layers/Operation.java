package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.Collections;
import java.util.List;

/**
 * Keras 3's {@code Operation} in a functional model: what {@code x + y}, {@code x[:, -1, :]} or a
 * {@code keras.ops} function ({@code keras.ops.mean(x, axis=1)}) records between layers. An
 * operation is not a Keras layer: it holds no weights, and its output carries no mask (Keras's
 * {@code Operation.symbolic_call} records a node and nothing else, and at run time the backend op
 * returns a tensor without {@code _keras_mask}), so a mask coming in is dropped without a warning.
 * As in Keras, Sequential and TimeDistributed take layers only.
 *
 * <p>In rnn4j an operation is a {@link Layer} of a functional graph, so it is applied, run and
 * saved as layers are. {@code Model.layers()} lists the operations among the layers, in the order
 * Keras's {@code model.operations} (and so its config.json's "layers" list and its summary) gives
 * them; Keras's {@code model.layers} leaves them out. The concrete operations are
 * {@link GetItem} and those of {@code io.rnn4j.layers.ops} ({@code KerasOps}).
 */
public abstract class Operation extends Layer {

    /** @param kerasPrefix the snake_case name Keras gives operations of this class ("add", "get_item") */
    protected Operation(String kerasPrefix) {
        super(kerasPrefix);
    }

    /**
     * The Python module Keras 3 defines this operation's class in, as a saved config's "module"
     * names it: {@code keras.src.ops.numpy} (the default) or {@code keras.src.ops.nn}.
     */
    public String kerasModule() {
        return "keras.src.ops.numpy";
    }

    /** None: an operation's output carries no mask in Keras. */
    @Override
    public final Tensor computeMask(Variable x, Tensor mask) {
        return null;
    }

    /** No mask for any of its outputs, whatever came in. */
    @Override
    public final List<Tensor> computeMasks(List<Variable> inputs, List<Tensor> masks) {
        return Collections.nCopies(outputCount(), null);
    }

    /** How many tensors the built operation gives: one, but for Keras's Split. */
    protected int outputCount() {
        return 1;
    }
}
