package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.initializers.Initializers;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * Keras 3's RMSNormalization: each sample divided by its root mean square over {@code axis}
 * (default -1, counted with the batch axis; several axes may be given) and multiplied by a learned
 * scale, {@code x · rsqrt(mean(x²) + epsilon) · scale}, in that order as Keras's
 * {@code ops.rms_normalization} computes it. No centring (LayerNormalization's mean). One weight,
 * "scale", of the normalised axes' sizes, initialised to ones (Keras offers no other initializer,
 * regularizer or constraint for it). Default epsilon 1e-6. Like Keras's, it does not support
 * masking: an incoming mask is dropped with Keras's warning.
 *
 * <p>As in Keras 3 (rms_normalization.py multiplies by {@code self.scale} as it is), the scale is
 * broadcast against the input's <em>last</em> axes, NumPy-style, not placed on the normalised
 * axes: the same thing when those are the last axes (the default -1, or {@code axis(1, 2)} of
 * {@code (batch, 8, 18)}). Otherwise Keras's numbers are kept where Keras runs (axis 1 of
 * {@code (batch, 6, 6)} scales the last axis), and inputs where Keras's broadcast fails or would
 * change the output's shape ({@code axis(1)} of {@code (batch, 8, 18)}) are refused when built.
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
        requireScaleBroadcasts(in, dims);
        scale = addWeight("scale", Shape.of(dims), Initializers.ones(), random, null, null, true);
        return in;
    }

    /**
     * Refuses inputs where Keras's {@code outputs * scale} (the scale aligned with the input's last
     * axes) fails or would broadcast the output to another shape.
     */
    private void requireScaleBroadcasts(Shape in, int[] dims) {
        for (int i = 1; i <= dims.length; i++) {
            int s = in.dim(in.rank() - i), d = dims[dims.length - i];
            if (d != 1 && s != d) {
                throw new IllegalArgumentException(where() + ": Keras 3 multiplies by the scale " + Shape.of(dims)
                        + " (the sizes of axis " + Arrays.toString(batchAxes) + ") broadcast against the input's"
                        + " last " + dims.length + " axes, not along the normalized axes, so inputs "
                        + batchless(in) + " cannot be computed as Keras does (its call fails or changes the shape, "
                        + (s == Shape.UNKNOWN ? "None" : s) + " against " + d + "); normalize over the last axes"
                        + " (e.g. every axis from the one wanted to the last)");
            }
        }
    }

    /** Any sizes but the normalised axes' and those of the last axes the scale is broadcast against. */
    @Override
    protected Shape acceptedShape() {
        Shape scaleShape = scale.shape();
        IntStream lastAxes = IntStream.rangeClosed(1, scaleShape.rank())
                .filter(i -> scaleShape.dim(scaleShape.rank() - i) != 1).map(i -> -i);
        return keepingOnly(inputShape(), IntStream.concat(Arrays.stream(batchAxes).map(a -> a - 1), lastAxes).toArray());
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
        return Ops.mul(Ops.mul(x, rrms), scale.variable()); // Keras's broadcast: the scale on the last axes
    }
}
