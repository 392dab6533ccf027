package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.random.RandomGenerator;

/**
 * Keras's GaussianNoise: in training, adds zero-centred normal noise of standard deviation
 * {@code stddev} to every element; at inference the identity. Inputs of any rank; passes the mask
 * on (Keras's supports_masking).
 */
public final class GaussianNoise extends Layer {
    private final float stddev;

    /**
     * @param stddev the noise's standard deviation, in {@code [0, 1]} as Keras 3 requires
     * @throws IllegalArgumentException for a stddev outside {@code [0, 1]}
     */
    public GaussianNoise(float stddev) {
        super("gaussian_noise");
        Noise.checkUnitInterval(stddev, name(), "stddev");
        this.stddev = stddev;
    }

    /** The standard deviation of the noise added in training. */
    public float stddev() {
        return stddev;
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
        if (!ctx.training() || stddev == 0f) {
            return x;
        }
        Tensor noise = Noise.normal(x.device(), x.shape(), 0.0, stddev, Noise.random(ctx, name()));
        return Ops.add(x, Variable.constant(noise));
    }

    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return mask;
    }
}
