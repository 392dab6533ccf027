package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.internal.Piecewise;

/**
 * Keras's ELU layer: {@code x} where {@code x > 0}, else {@code alpha · (exp(x) − 1)}; alpha 1 by
 * default. As Keras 3 on TensorFlow ({@code where(x > 0, elu(x), alpha · elu(x))}), the gradient at
 * 0 is alpha. Passes the mask on.
 */
public final class ELU extends ShapeKeepingLayer {
    private final float alpha;

    /** alpha 1. */
    public ELU() {
        this(1f);
    }

    /**
     * Any alpha, as Keras 3 takes any.
     *
     * @param alpha Keras's alpha: the scale of the negative part, {@code alpha · (exp(x) − 1)}
     * @throws IllegalArgumentException for NaN
     */
    public ELU(double alpha) {
        super("elu");
        this.alpha = checked("alpha", alpha, false);
    }

    /** Keras's alpha, as the float32 applied. */
    public float alpha() {
        return alpha;
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        Variable e = Ops.unary(UnaryOp.ELU, x);
        // elu(x)·(x > 0 ? 1 : alpha): TensorFlow's alpha·elu(x) where x <= 0, the same product.
        return alpha == 1f ? e : Ops.mul(e, Variable.constant(Piecewise.slopes(x.value(), alpha)));
    }
}
