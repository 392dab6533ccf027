package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.random.RandomGenerator;

/**
 * Keras's GaussianDropout: in training, multiplies every element by normal noise of mean 1 and
 * standard deviation {@code sqrt(rate / (1 - rate))}; at inference the identity. Inputs of any
 * rank; passes the mask on (Keras's supports_masking).
 */
public final class GaussianDropout extends Layer {
    private final float rate;

    /**
     * @param rate the drop probability the noise stands for, in {@code [0, 1]} (1, as Keras, only at
     *             inference: it would make the noise's deviation infinite)
     * @throws IllegalArgumentException for a rate outside {@code [0, 1]}
     */
    public GaussianDropout(float rate) {
        super("gaussian_dropout");
        Masks.checkRate(rate, name(), "rate");
        this.rate = rate;
    }

    /** The drop probability; the multiplicative noise's standard deviation is {@code sqrt(rate / (1 - rate))}. */
    public float rate() {
        return rate;
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        return in;
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
        if (rate == 1f) {
            // Keras's call divides by zero here (ZeroDivisionError); say so before any update.
            throw new IllegalStateException(name() + ": rate 1 has no finite noise to train with (Keras raises "
                    + "ZeroDivisionError); it is the identity at inference only");
        }
        // Keras computes the deviation in Python floats from the rate as written.
        double p = KerasConfig.decimal(rate);
        double stddev = Math.sqrt(p / (1.0 - p));
        Tensor noise = Noise.normal(x.device(), x.shape(), 1.0, stddev, Noise.random(ctx, name()));
        return Ops.mul(x, Variable.constant(noise));
    }

    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return mask;
    }
}
