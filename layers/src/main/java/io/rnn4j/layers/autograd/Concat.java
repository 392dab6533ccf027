package io.rnn4j.layers.autograd;

import io.rnn4j.engine.Tensor;

/** Joins its inputs along an axis; the gradient is split back into their sizes. */
final class Concat extends Function {
    private final int axis;

    Concat(int axis) {
        this.axis = axis;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        int a = in[0].shape().axis(axis);
        int total = 0;
        for (Tensor t : in) {
            total += t.dim(a);
        }
        Tensor out = in[0].device().zeros(in[0].shape().with(a, total));
        in[0].device().concat(in, a, out);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor[] parts = new Tensor[inputs.length];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = g.device().zeros(inputs[i].shape());
        }
        g.device().split(g, axis, parts);
        for (int i = 0; i < parts.length; i++) {
            if (!needsGrad(i)) {
                parts[i] = null;
            }
        }
        return parts;
    }
}
