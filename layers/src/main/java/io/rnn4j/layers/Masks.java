package io.rnn4j.layers;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import java.util.random.RandomGenerator;

/**
 * The constant tensors layers make on the host: dropout keep-masks and Keras masks computed from
 * values (the engine has no comparison op; these are small, once per batch).
 */
final class Masks {
    private Masks() {
    }

    /**
     * Keras's dropout multiplier: each element kept with probability {@code 1 - rate} and then
     * scaled by {@code 1 / (1 - rate)}, else 0.
     */
    static Tensor dropout(Device device, Shape shape, float rate, RandomGenerator random, String layer) {
        if (random == null) {
            throw new IllegalStateException(layer + ": training needs a random stream in the CallContext");
        }
        float keep = 1f - rate;  // rate 1 keeps nothing: zeros, as Keras's TensorFlow dropout gives
        // TensorFlow computes 1 / (1 - rate) in Python floats from the rate as written, then casts.
        float scale = (float) (1.0 / (1.0 - KerasConfig.decimal(rate)));
        float[] m = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < m.length; i++) {
            m[i] = random.nextFloat() < keep ? scale : 0f;
        }
        return device.tensor(m, shape.dims());
    }

    /** 1 where {@code (b, t)} has any feature different from {@code value}, else 0 (Keras's Masking). */
    static Tensor anyNotEqual(Tensor x, float value) {
        int b = x.dim(0);
        int t = x.dim(1);
        int f = Math.toIntExact(x.shape().inner(1));
        float[] v = x.toArray();
        float[] m = new float[b * t];
        for (int i = 0; i < b * t; i++) {
            for (int j = 0; j < f; j++) {
                if (v[i * f + j] != value) {
                    m[i] = 1f;
                    break;
                }
            }
        }
        return x.device().tensor(m, b, t);
    }

    /**
     * Whether a recurrent cell's dropout of {@code rate} drops anything in training: Keras's LSTM and
     * GRU cells drop only for {@code 0 < rate < 1} (lstm.py, gru.py: rate 1 leaves the input as it
     * is, on the CPU), while SimpleRNN's cell applies any mask it draws (simple_rnn.py: rate 1 gives
     * zeros).
     */
    static boolean recurrentDropoutApplies(float rate, boolean simpleRnn) {
        return rate > 0f && (rate < 1f || simpleRnn);
    }

    /**
     * {@code rate} as the float32 the layer keeps, refused outside [0, 1] (or NaN) as Keras refuses
     * the number it was given: the check is on the value as written, before rounding.
     */
    static float checkRate(double rate, String layer, String option) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(layer + ": " + option + " must be in [0, 1], got "
                    + KerasConfig.written(rate));
        }
        return (float) rate;
    }
}
