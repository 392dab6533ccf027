package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;

/**
 * Keras's GaussianDropout: in training, multiplies every element by normal noise of mean 1 and
 * standard deviation {@code sqrt(rate / (1 - rate))}; at inference the identity. Inputs of any
 * rank; passes the mask on (Keras's supports_masking).
 */
public final class GaussianDropout extends NoiseLayer {
    private final float rate;

    /**
     * @param rate the drop probability the noise stands for, in {@code [0, 1]} (1, as Keras, only at
     *             inference: it would make the noise's deviation infinite)
     * @throws IllegalArgumentException for a rate outside {@code [0, 1]}
     */
    public GaussianDropout(double rate) {
        super("gaussian_dropout");
        this.rate = Masks.checkRate(rate, name(), "rate");
    }

    /** The drop probability; the multiplicative noise's standard deviation is {@code sqrt(rate / (1 - rate))}. */
    public float rate() {
        return rate;
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        if (!ctx.training() || rate == 0f) {
            return x;
        }
        refuseRateOneInTraining(rate);
        // Keras computes the deviation in Python floats from the rate as written.
        double p = KerasConfig.decimal(rate);
        double stddev = Math.sqrt(p / (1.0 - p));
        Tensor noise = normal(x.device(), x.shape(), 1.0, stddev, random(ctx));
        return Ops.mul(x, Variable.constant(noise));
    }
}
