package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.List;

/** Keras's Add: the elementwise sum of its inputs (shapes broadcast as {@link Merge} says). */
public final class Add extends Merge {

    public Add() {
        super("add");
    }

    @Override
    Variable merge(List<Variable> inputs, List<Tensor> masks) {
        Variable out = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) {
            out = Ops.add(out, inputs.get(i));
        }
        return out;
    }
}
