package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.initializers.Initializers;
import java.util.random.RandomGenerator;

/**
 * Keras 3's RMSNormalization: each sample divided by its root mean square over {@code axis}
 * (default -1, counted with the batch axis; several axes may be given) and multiplied by a learned
 * scale, {@code x · rsqrt(mean(x²) + epsilon) · scale}, in that order as Keras's
 * {@code ops.rms_normalization} computes it. No centring (LayerNormalization's mean). One weight,
 * "scale", of the normalised axes' sizes, initialised to ones (Keras offers no other initializer,
 * regularizer or constraint for it). Default epsilon 1e-6. Like Keras's, it does not support
 * masking: an incoming mask is dropped with Keras's warning.
 */
public final class RMSNormalization extends Layer {
    private int[] axes = {-1};
    private float epsilon = 1e-6f;
    /** The normalised axes of a batch (batch axis 0), sorted; set when built. */
    private int[] batchAxes;
    private Weight scale;
    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();

    public RMSNormalization() {
        super("rms_normalization");
    }

    @Override
    public RMSNormalization named(String newName) {
        super.named(newName);
        return this;
    }

    /** The axes normalised over, counted with the batch axis (negative from the end); default -1. */
    public RMSNormalization axis(int... axis) {
        requireNotBuilt("axis");
        if (axis.length == 0) {
            throw new IllegalArgumentException(where() + ": axis needs at least one axis");
        }
        this.axes = axis.clone();
        return this;
    }

    /** Keras's epsilon, added to the mean square (default 1e-6); kept as a float32, which must be {@code > 0}. */
    public RMSNormalization epsilon(double e) {
        requireNotBuilt("epsilon");
        if (!((float) e > 0f)) {
            throw new IllegalArgumentException(where() + ": epsilon must be > 0 (as a float32), got "
                    + KerasConfig.written(e));
        }
        this.epsilon = (float) e;
        return this;
    }

    /** The axes as given (counted with the batch axis; negative from the end); a copy. */
    public int[] axis() {
        return axes.clone();
    }

    public float epsilon() {
        return epsilon;
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        batchAxes = LayerNormalization.batchAxes(where(), axes, in);
        int[] dims = new int[batchAxes.length];
        for (int i = 0; i < dims.length; i++) {
            requireKnown(in, batchAxes[i] - 1, "to size its scale (axis " + batchAxes[i] + " is normalized)");
            dims[i] = in.dim(batchAxes[i] - 1);
        }
        scale = addWeight("scale", Shape.of(dims), Initializers.ones(), random, null, null, true);
        return in;
    }

    /** Any sizes but the normalised axes'. */
    @Override
    protected Shape acceptedShape() {
        return LayerNormalization.keepingBatchAxes(inputShape(), batchAxes);
    }

    @Override
    protected Shape outputShapeFor(Shape in) {
        return in;
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        droppedMask.check(this, mask);
        Variable meanSquare = Ops.unary(UnaryOp.SQUARE, x);
        for (int a : batchAxes) {
            meanSquare = Ops.mean(meanSquare, a, true);
        }
        Variable rrms = Ops.unary(UnaryOp.RECIPROCAL, Ops.unary(UnaryOp.SQRT, Ops.affine(meanSquare, 1f, epsilon)));
        return Ops.mul(Ops.mul(x, rrms), LayerNormalization.broadcastable(scale.variable(), batchAxes, x.rank()));
    }
}
