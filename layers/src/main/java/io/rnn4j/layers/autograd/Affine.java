package io.rnn4j.layers.autograd;

import io.rnn4j.engine.Tensor;

/** {@code alpha · x + beta}: {@code dx = alpha · g}. */
final class Affine extends Function {
    private final float alpha;
    private final float beta;

    Affine(float alpha, float beta) {
        this.alpha = alpha;
        this.beta = beta;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor out = in[0].device().zeros(in[0].shape());
        in[0].device().affine(in[0], alpha, beta, out);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        if (alpha == 1f) {
            return new Tensor[] {g};
        }
        Tensor dx = g.device().zeros(g.shape());
        g.device().affine(g, alpha, 0f, dx);
        return new Tensor[] {dx};
    }
}
