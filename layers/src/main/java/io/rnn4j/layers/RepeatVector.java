package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.random.RandomGenerator;

/** Keras's RepeatVector: (batch, features) to (batch, n, features), the vector repeated n times. */
public final class RepeatVector extends Layer {
    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();
    private final int n;

    public RepeatVector(int n) {
        super("repeat_vector");
        if (n < 1) {
            throw new IllegalArgumentException(name() + ": n must be >= 1, got " + n);
        }
        this.n = n;
    }

    /** How many times the vector is repeated. */
    public int n() {
        return n;
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        if (in.rank() != 1) {
            throw new IllegalArgumentException(name() + ": expected an input (batch, features), got "
                    + batchless(in));
        }
        return outputShapeFor(in);
    }

    /** Vectors of any size (Keras's ndim=2). */
    @Override
    protected Shape acceptedShape() {
        return keepingOnly(inputShape());
    }

    @Override
    protected Shape outputShapeFor(Shape in) {
        return Shape.withUnknown(n, in.dim(0));
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        droppedMask.check(this, mask);  // as Keras 3, which does not support masking here
        Variable x3 = Ops.reshape(x, x.dim(0), 1, x.dim(1));
        return Ops.broadcastTo(x3, Shape.of(x.dim(0), n, x.dim(1)));
    }
}
