package io.rnn4j.layers.autograd;

import io.rnn4j.engine.Tensor;

/** Cuts x along an axis into parts of the given sizes; the gradient is their concatenation (zeros where none came). */
final class Split extends MultiFunction {
    private final int axis;
    private final int[] sizes;

    Split(int axis, int[] sizes) {
        super(sizes.length);
        this.axis = axis;
        this.sizes = sizes.clone();
    }

    @Override
    protected Tensor[] forward(Tensor... in) {
        Tensor x = in[0];
        int a = x.shape().axis(axis);
        Tensor[] parts = new Tensor[sizes.length];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = x.device().zeros(x.shape().with(a, sizes[i]));
        }
        x.device().split(x, a, parts);
        return parts;
    }

    @Override
    protected Tensor[] backward(Tensor[] g) {
        Tensor x = inputs[0].value();
        int a = x.shape().axis(axis);
        Tensor[] parts = new Tensor[sizes.length];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = g[i] != null ? g[i] : x.device().zeros(x.shape().with(a, sizes[i]));
        }
        Tensor dx = x.device().zeros(x.shape());
        x.device().concat(parts, a, dx);
        return new Tensor[] {dx};
    }
}
