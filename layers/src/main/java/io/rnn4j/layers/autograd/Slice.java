package io.rnn4j.layers.autograd;

import io.rnn4j.engine.Tensor;

/**
 * Indices {@code start .. start+length-1} of one axis (a time step of a sequence, say); the
 * gradient is the upstream one placed back between zeros. Along the first axis it is a view.
 */
final class Slice extends Function {
    private final int axis;
    private final int start;
    private final int length;

    Slice(int axis, int start, int length) {
        this.axis = axis;
        this.start = start;
        this.length = length;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        int a = x.shape().axis(axis);
        int n = x.dim(a);
        if (start < 0 || length < 0 || start + length > n) {
            throw new IllegalArgumentException("slice: indices " + start + ".." + (start + length - 1)
                    + " are outside axis " + axis + " of " + x.shape());
        }
        if (a == 0) {
            return x.narrow(start, length);
        }
        Tensor[] parts = parts(x, a);
        x.device().split(x, a, parts);
        return parts[1];
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor x = inputs[0].value();
        int a = x.shape().axis(axis);
        Tensor[] parts = parts(x, a);
        parts[1] = g;
        Tensor dx = x.device().zeros(x.shape());
        x.device().concat(parts, a, dx);
        return new Tensor[] {dx};
    }

    private Tensor[] parts(Tensor x, int a) {
        return new Tensor[] {
            x.device().zeros(x.shape().with(a, start)),
            x.device().zeros(x.shape().with(a, length)),
            x.device().zeros(x.shape().with(a, x.dim(a) - start - length))};
    }
}
