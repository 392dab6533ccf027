package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.random.RandomGenerator;

/**
 * Keras's Masking: a time step whose features all equal {@code maskValue} (default 0) is masked
 * for the layers after; its values are set to zero.
 */
public final class Masking extends Layer {
    private final float maskValue;

    public Masking() {
        this(0f);
    }

    public Masking(float maskValue) {
        super("masking");
        this.maskValue = maskValue;
    }

    /** The value a time step's features must all equal to be masked. */
    public float maskValue() {
        return maskValue;
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        if (in.rank() < 2) {
            throw new IllegalArgumentException(name() + ": expected an input (batch, timesteps, features...), got "
                    + batchless(in));
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
        int[] d = new int[x.rank()];
        java.util.Arrays.fill(d, 1);
        d[0] = x.dim(0);
        d[1] = x.dim(1);
        return Ops.mul(x, Variable.constant(m.reshape(d)));
    }

    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return Masks.anyNotEqual(x.value(), maskValue);
    }
}
