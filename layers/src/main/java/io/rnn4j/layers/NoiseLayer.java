package io.rnn4j.layers;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.random.RandomGenerator;

/**
 * What Keras's noise regularization layers share (SpatialDropout1D/2D/3D, GaussianNoise,
 * GaussianDropout, AlphaDropout): no weights, an output of the input's shape, any sizes of the
 * rank built for, the identity at inference, and the mask passed on (Keras's supports_masking).
 * Their random tensors are drawn on the host from the call's stream, as {@link Masks#dropout}
 * draws dropout's: the engine has no random op, and these are one tensor per training batch.
 */
abstract sealed class NoiseLayer extends Layer permits SpatialDropout, GaussianNoise, GaussianDropout,
        AlphaDropout {

    NoiseLayer(String kerasPrefix) {
        super(kerasPrefix);
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        return in;
    }

    /** Any sizes (of the rank it was built for). */
    @Override
    protected final Shape acceptedShape() {
        return keepingOnly(inputShape());
    }

    @Override
    protected final Shape outputShapeFor(Shape in) {
        return in;
    }

    @Override
    public final Tensor computeMask(Variable x, Tensor mask) {
        return mask;
    }

    /**
     * Refuses training at rate 1, where Keras's call divides by zero (ZeroDivisionError), before
     * any update; such a layer is the identity at inference only.
     */
    final void refuseRateOneInTraining(float rate) {
        if (rate == 1f) {
            throw new IllegalStateException(name() + ": rate 1 has no finite noise to train with (Keras raises "
                    + "ZeroDivisionError); it is the identity at inference only");
        }
    }

    /** The training stream of {@code ctx}, refused with the layer's name when the context has none. */
    final RandomGenerator random(CallContext ctx) {
        if (ctx.random() == null) {
            throw new IllegalStateException(name() + ": training needs a random stream in the CallContext");
        }
        return ctx.random();
    }

    /** Independent normal values of {@code mean} and {@code stddev}, one per element of {@code shape}. */
    static Tensor normal(Device device, Shape shape, double mean, double stddev, RandomGenerator random) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + stddev * random.nextGaussian());
        }
        return device.tensor(v, shape.dims());
    }

    /** Whether each of {@code n} drawn elements is kept: Keras's AlphaDropout keeps where {@code uniform >= rate}. */
    static boolean[] kept(int n, float rate, RandomGenerator random) {
        boolean[] k = new boolean[n];
        for (int i = 0; i < n; i++) {
            k[i] = random.nextFloat() >= rate;
        }
        return k;
    }
}
