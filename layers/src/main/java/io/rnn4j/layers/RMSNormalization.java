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
 * <p>As in Keras, the scale's axes are the given axes sorted as given (so {@code [-1, 1]} stays in
 * that order) and the scale multiplies with NumPy broadcasting, lined up with the input's last
 * axes: over the trailing axes in increasing order that is the per-axis scale one expects; over
 * other axes it is what Keras computes (axis 1 of a (4, 4) sample scales along axis 2), and where
 * Keras's broadcast fails or would change the output's shape the layer is refused when built.
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
        // Keras's build: the scale's axes are the axes as given, sorted by their given values.
        int[] scaleAxes = axes.clone();
        Arrays.sort(scaleAxes);
        int[] dims = new int[scaleAxes.length];
        for (int i = 0; i < dims.length; i++) {
            int a = scaleAxes[i] < 0 ? scaleAxes[i] + in.rank() : scaleAxes[i] - 1;
            requireKnown(in, a, "to size its scale (axis " + (a + 1) + " is normalized)");
            dims[i] = in.dim(a);
        }
        requireBroadcastable(in, dims);
        scale = addWeight("scale", Shape.of(dims), Initializers.ones(), random, null, null, true);
        return in;
    }

    /**
     * Keras multiplies by the scale with NumPy broadcasting, so each scale axis meets the input's
     * axis at the same place from the end; refused unless each is that axis's size or 1 (else
     * Keras raises "Dimensions must be equal", or the output would take the scale's size).
     */
    private void requireBroadcastable(Shape in, int[] dims) {
        int offset = in.rank() - dims.length;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] != 1 && in.dim(offset + i) != dims[i]) {
                throw new IllegalArgumentException(where() + ": Keras multiplies the input by a scale of shape "
                        + GridWindows.tuple(dims) + " (the sizes on axis " + Arrays.toString(axes) + ", sorted) with "
                        + "broadcasting, against the input's last axes " + GridWindows.shown(
                        Arrays.copyOfRange(in.dims(), offset, in.rank())) + ", which fails for inputs " + batchless(in)
                        + " (Keras raises \"Dimensions must be equal\"); normalize over the last axes, in increasing "
                        + "order, for a scale per normalized axis");
            }
        }
    }

    /** Any sizes but the normalised axes' and those the scale is multiplied along. */
    @Override
    protected Shape acceptedShape() {
        Shape s = scale.shape();
        int[] kept = IntStream.concat(Arrays.stream(batchAxes).map(a -> a - 1), IntStream.range(0, s.rank())
                .filter(i -> s.dim(i) != 1).map(i -> inputShape().rank() - s.rank() + i)).distinct().toArray();
        return keepingOnly(inputShape(), kept);
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
        // Keras's order, x · rrms · scale, the scale broadcast against the last axes as NumPy does.
        return Ops.mul(Ops.mul(x, rrms), scale.variable());
    }
}
