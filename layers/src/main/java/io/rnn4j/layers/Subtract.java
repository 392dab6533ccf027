package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.List;

/** Keras's Subtract: exactly two inputs, the first minus the second. */
public final class Subtract extends Merge {

    public Subtract() {
        super("subtract");
    }

    @Override
    int minInputs() {
        return 2;
    }

    @Override
    int maxInputs() {
        return 2;
    }

    @Override
    Variable merge(List<Variable> inputs, List<Tensor> masks) {
        return Ops.sub(inputs.get(0), inputs.get(1));
    }
}
