package io.rnn4j.layers;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;

/**
 * Keras's AlphaDropout, the dropout of self-normalizing (SELU) networks: in training each element
 * is kept with probability {@code 1 - rate} or else set to SELU's negative saturation
 * {@code alpha' = -alpha·scale}, then the whole is mapped by {@code a·x + b} with
 * {@code a = ((1 - rate)(1 + rate·alpha'²))^-1/2} and {@code b = -a·alpha'·rate}, which keeps a
 * zero-mean unit-variance input so; at inference the identity. Inputs of any rank; passes the
 * mask on (Keras's supports_masking). Keras's {@code noise_shape} is not supported (the noise is
 * drawn per element, Keras's default).
 */
public final class AlphaDropout extends NoiseLayer {
    /** SELU's constants, as Keras writes them. */
    static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    static final double SELU_SCALE = 1.0507009873554804934193349852946;

    private final float rate;

    /**
     * @param rate the drop probability, in {@code [0, 1]} (1, as Keras, only at inference: it would make
     *             {@code a} infinite)
     * @throws IllegalArgumentException for a rate outside {@code [0, 1]}
     */
    public AlphaDropout(double rate) {
        super("alpha_dropout");
        this.rate = Masks.checkRate(rate, name(), "rate");
    }

    /** The drop probability. */
    public float rate() {
        return rate;
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        if (!ctx.training() || rate == 0f) {
            return x;
        }
        refuseRateOneInTraining(rate);
        // Keras computes a and b in Python floats from the rate as written, then applies them in float32.
        double p = KerasConfig.decimal(rate);
        double alphaP = -SELU_ALPHA * SELU_SCALE;
        double a = Math.pow((1 - p) * (1 + p * alphaP * alphaP), -0.5);
        double b = -a * alphaP * p;
        float fa = (float) a;
        float fb = (float) b;
        // A dropped element gives a·alpha' + b, rounded as float32 ops round it; a kept one a·x + b.
        float dropped = fa * (float) alphaP + fb;
        boolean[] kept = kept(Math.toIntExact(x.shape().size()), rate, random(ctx));
        float[] scale = new float[kept.length];
        float[] shift = new float[kept.length];
        for (int i = 0; i < kept.length; i++) {
            scale[i] = kept[i] ? fa : 0f;
            shift[i] = kept[i] ? fb : dropped;
        }
        Device d = x.device();
        int[] dims = x.shape().dims();
        return Ops.add(Ops.mul(x, Variable.constant(d.tensor(scale, dims))), Variable.constant(d.tensor(shift, dims)));
    }
}
