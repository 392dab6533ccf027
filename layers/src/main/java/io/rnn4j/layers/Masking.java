package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.random.RandomGenerator;

/**
 * Keras's Masking: a time step whose features all equal {@code maskValue} (default 0) is masked
 * for the layers after; its values are set to zero. Inputs are (batch, timesteps, features).
 */
public final class Masking extends Layer {
    private final float maskValue;

    /** Keras's default mask_value 0. */
    public Masking() {
        this(0f);
    }

    /**
     * @param maskValue Keras's mask_value: a step is masked when every feature equals it, compared
     *                  in float32 as Keras compares it with a float32 input
     */
    public Masking(double maskValue) {
        super("masking");
        this.maskValue = (float) maskValue;
    }

    /** The value a time step's features must all equal to be masked. */
    public float maskValue() {
        return maskValue;
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        if (in.rank() != 2) {
            // Keras masks a rank-4 input per position, (batch, timesteps, steps): no layer here takes such a mask.
            throw new IllegalArgumentException(name() + ": expected an input (batch, timesteps, features), got "
                    + batchless(in) + (in.rank() > 2 ? "; Keras's per-position mask of a rank-" + (in.rank() + 1)
                    + " input is not reproduced" : ""));
        }
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
        Tensor m = Masks.anyNotEqual(x.value(), maskValue);
        return Ops.mul(x, Variable.constant(m.reshape(x.dim(0), x.dim(1), 1)));
    }

    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return Masks.anyNotEqual(x.value(), maskValue);
    }
}
