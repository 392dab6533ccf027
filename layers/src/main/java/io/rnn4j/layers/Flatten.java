package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.random.RandomGenerator;

/** Keras's Flatten: each sample to one dimension, {@code (batch, d1·d2·…)}; a view, no copy. */
public final class Flatten extends Layer {
    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();

    public Flatten() {
        super("flatten");
    }

    @Override
    protected Shape build(Shape inputShape, RandomGenerator random) {
        return outputShapeFor(inputShape);
    }

    /** Any sizes (of the rank it was built for; Keras's min_ndim). */
    @Override
    protected Shape acceptedShape() {
        return keepingOnly(inputShape());
    }

    /** As Keras: None anywhere leaves the flattened size None (a Dense after it then cannot build). */
    @Override
    protected Shape outputShapeFor(Shape in) {
        return in.isKnown() ? Shape.of(Math.toIntExact(in.size())) : Shape.withUnknown(Shape.UNKNOWN);
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        droppedMask.check(this, mask);  // as Keras 3, which does not support masking here
        return Ops.reshape(x, x.dim(0), Math.toIntExact(x.shape().inner(0)));
    }
}
