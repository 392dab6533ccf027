package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.List;

/** Keras's Average: the sum of the inputs divided by their number (a division, as Keras rounds it). */
public final class Average extends Merge {

    public Average() {
        super("average");
    }

    @Override
    Variable merge(List<Variable> inputs, List<Tensor> masks) {
        Variable sum = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) {
            sum = Ops.add(sum, inputs.get(i));
        }
        Tensor n = sum.device().full(Shape.of(), inputs.size());
        return Ops.div(sum, Variable.constant(n));
    }
}
