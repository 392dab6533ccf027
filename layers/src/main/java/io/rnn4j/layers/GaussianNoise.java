package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;

/**
 * Keras's GaussianNoise: in training, adds zero-centred normal noise of standard deviation
 * {@code stddev} to every element; at inference the identity. Inputs of any rank; passes the mask
 * on (Keras's supports_masking).
 */
public final class GaussianNoise extends NoiseLayer {
    private final float stddev;

    /**
     * @param stddev the noise's standard deviation, in {@code [0, 1]} as Keras 3 requires
     * @throws IllegalArgumentException for a stddev outside {@code [0, 1]}
     */
    public GaussianNoise(double stddev) {
        super("gaussian_noise");
        this.stddev = Masks.checkRate(stddev, name(), "stddev");
    }

    /** The standard deviation of the noise added in training. */
    public float stddev() {
        return stddev;
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        if (!ctx.training() || stddev == 0f) {
            return x;
        }
        Tensor noise = normal(x.device(), x.shape(), 0.0, stddev, random(ctx));
        return Ops.add(x, Variable.constant(noise));
    }
}
