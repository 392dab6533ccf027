package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.random.RandomGenerator;

/**
 * Keras 3's UnitNormalization: each sample scaled to unit L2 norm over {@code axis} (default -1,
 * counted with the batch axis; several axes may be given), as Keras's {@code ops.normalize(x, axis,
 * order=2, epsilon=1e-12)} computes it: {@code x · min(rsqrt(sum(x²)), 1e12)}, so an all-zero
 * sample stays zero. No weights. Passes the mask on (Keras's supports_masking).
 */
public final class UnitNormalization extends ShapeKeepingLayer {
    /** 1 / epsilon, Keras's bound on the inverse norm, as the float32 it becomes. */
    private static final float MAX_INVERSE_NORM = (float) (1.0 / 1e-12);

    private int[] axes = {-1};
    /** The normalised axes of a batch (batch axis 0), sorted; set when built. */
    private int[] batchAxes;

    public UnitNormalization() {
        super("unit_normalization");
    }

    @Override
    public UnitNormalization named(String newName) {
        super.named(newName);
        return this;
    }

    /** The axes normalised over, counted with the batch axis (negative from the end); default -1. */
    public UnitNormalization axis(int... axis) {
        requireNotBuilt("axis");
        if (axis.length == 0) {
            throw new IllegalArgumentException(where() + ": axis needs at least one axis");
        }
        this.axes = axis.clone();
        return this;
    }

    /** The axes as given (counted with the batch axis; negative from the end); a copy. */
    public int[] axis() {
        return axes.clone();
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        batchAxes = LayerNormalization.batchAxes(where(), axes, in);
        return in;
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        Variable squareSum = Ops.unary(UnaryOp.SQUARE, x);
        for (int a : batchAxes) {
            squareSum = Ops.sum(squareSum, a, true);
        }
        Variable inverseNorm = Ops.unary(UnaryOp.RECIPROCAL, Ops.unary(UnaryOp.SQRT, squareSum));
        Variable bound = Variable.constant(x.device().full(squareSum.shape(), MAX_INVERSE_NORM));
        return Ops.mul(x, Ops.minimum(inverseNorm, bound));
    }
}
