package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.random.RandomGenerator;

/**
 * Keras's Dropout: in training, each element is zeroed with probability {@code rate} and the rest
 * scaled by {@code 1 / (1 - rate)}; at inference the identity. Passes the mask on.
 */
public final class Dropout extends Layer {
    private final float rate;

    /**
     * @param rate Keras's rate: the fraction of the input dropped in training, in {@code [0, 1]};
     *             kept as a float32
     * @throws IllegalArgumentException for a rate outside {@code [0, 1]} (or NaN)
     */
    public Dropout(double rate) {
        super("dropout");
        this.rate = Masks.checkRate(rate, name(), "rate");
    }

    /** Keras's rate, as the float32 the layer applies. */
    public float rate() {
        return rate;
    }

    @Override
    protected Shape build(Shape inputShape, RandomGenerator random) {
        return inputShape;
    }

    /** Any sizes (of the rank it was built for): the output is the input's shape. */
    @Override
    protected Shape acceptedShape() {
        return keepingOnly(inputShape());
    }

    @Override
    protected Shape outputShapeFor(Shape in) {
        return in;
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        if (!ctx.training() || rate == 0f) {
            return x;
        }
        if (rate == 1f) {  // TensorFlow's zeros_like (x·0 would keep the signs of negative zeros)
            return Variable.constant(x.device().zeros(x.shape()));
        }
        return Ops.mul(x, Variable.constant(Masks.dropout(x.device(), x.shape(), rate, ctx.random(), name())));
    }

    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return mask;
    }
}
