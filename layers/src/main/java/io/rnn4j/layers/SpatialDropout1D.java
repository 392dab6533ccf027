package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.random.RandomGenerator;

/**
 * Keras's SpatialDropout1D: on {@code (batch, timesteps, features)} inputs, in training, each
 * feature channel of each sample is dropped whole — zeroed at every time step — with probability
 * {@code rate}, the kept ones scaled by {@code 1 / (1 - rate)} (Keras's noise shape
 * {@code (batch, 1, features)}); at inference the identity. Passes the mask on, as Keras's
 * Dropout, which it extends there.
 */
public final class SpatialDropout1D extends NoiseLayer {
    private final float rate;

    /**
     * @param rate the fraction of feature channels to drop, in {@code [0, 1]} (1 drops all in training)
     * @throws IllegalArgumentException for a rate outside {@code [0, 1]}
     */
    public SpatialDropout1D(double rate) {
        super("spatial_dropout1d");
        this.rate = Masks.checkRate(rate, name(), "rate");
    }

    /** The fraction of feature channels dropped in training. */
    public float rate() {
        return rate;
    }

    /** Rank 3 only (Keras's InputSpec(ndim=3)), any sizes. */
    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        requireRank(in, 2, "(batch, timesteps, features)");
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
        // One keep/scale value per (sample, channel), broadcast over the time steps.
        Tensor keep = Masks.dropout(x.device(), Shape.of(x.dim(0), 1, x.dim(2)), rate, ctx.random(), name());
        return Ops.mul(x, Variable.constant(keep));
    }
}
