package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.internal.Piecewise;

/**
 * Keras's LeakyReLU layer: {@code x} where {@code x > 0}, else {@code negative_slope · x}
 * (Keras 3's default slope 0.3; tf.keras 2 called it {@code alpha}). As TensorFlow's leaky_relu,
 * the gradient at 0 is the slope. Passes the mask on.
 */
public final class LeakyReLU extends ShapeKeepingLayer {
    private final float negativeSlope;

    /** negative_slope 0.3, Keras 3's default. */
    public LeakyReLU() {
        this(0.3f);
    }

    /**
     * @param negativeSlope Keras's negative_slope: the slope for {@code x <= 0}, {@code >= 0}
     * @throws IllegalArgumentException for a negative (or NaN) slope, as Keras refuses one
     */
    public LeakyReLU(double negativeSlope) {
        super("leaky_re_lu");
        this.negativeSlope = checked("negative_slope", negativeSlope, true);
    }

    /** Keras's negative_slope, as the float32 applied. */
    public float negativeSlope() {
        return negativeSlope;
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        return leaky(x, negativeSlope);
    }

    /**
     * TensorFlow's leaky_relu: {@code x · (x > 0 ? 1 : slope)}, the same products as its kernel's
     * {@code x > 0 ? x : x·slope} (NaN and ±∞ included), and the gradient {@code g · (x > 0 ? 1 : slope)}.
     */
    static Variable leaky(Variable x, float slope) {
        return Ops.mul(x, Variable.constant(Piecewise.slopes(x.value(), slope)));
    }
}
