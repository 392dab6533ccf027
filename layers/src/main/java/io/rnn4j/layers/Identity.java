package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;

/**
 * Keras 3's Identity layer: returns its input unchanged (no copy) and passes the mask on, a
 * placeholder where a model needs a layer that does nothing.
 */
public final class Identity extends ShapeKeepingLayer {
    public Identity() {
        super("identity");
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        return x;
    }
}
