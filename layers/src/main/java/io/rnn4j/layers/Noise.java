package io.rnn4j.layers;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import java.util.random.RandomGenerator;

/**
 * The random tensors of the noise layers (GaussianNoise, GaussianDropout, AlphaDropout), drawn on
 * the host from the call's stream as {@link Masks#dropout} draws dropout's: the engine has no
 * random op, and these are one tensor per training batch.
 */
final class Noise {
    private Noise() {
    }

    /** The training stream of {@code ctx}, refused with the layer's name when the context has none. */
    static RandomGenerator random(CallContext ctx, String layer) {
        if (ctx.random() == null) {
            throw new IllegalStateException(layer + ": training needs a random stream in the CallContext");
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

    /** Whether a drawn element is kept: Keras's AlphaDropout keeps where {@code uniform >= rate}. */
    static boolean[] kept(int n, float rate, RandomGenerator random) {
        boolean[] k = new boolean[n];
        for (int i = 0; i < n; i++) {
            k[i] = random.nextFloat() >= rate;
        }
        return k;
    }

    /** Checks a standard deviation or rate that Keras 3 takes in {@code [0, 1]}, naming the layer and option. */
    static void checkUnitInterval(float value, String layer, String option) {
        if (!(value >= 0f && value <= 1f)) {
            throw new IllegalArgumentException(layer + ": " + option + " must be in [0, 1] (as Keras 3), got "
                    + value);
        }
    }
}
