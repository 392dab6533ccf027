package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.constraints.Constraint;
import io.rnn4j.layers.initializers.Initializer;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.regularizers.Regularizer;
import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Keras's PReLU layer: {@code relu(x) − alpha · relu(−x)} with a trained {@code alpha} of the
 * input's sample shape, size 1 along {@code shared_axes} (1-based, the batch axis being 0, as
 * Keras's). Weight: alpha, initialised with zeros by default, with an optional regularizer and
 * constraint as Dense's weights have. The axes not shared must have a known size; a built layer
 * takes any size along the shared ones. Passes the mask on. The gradient at 0 is 0 (both relus').
 */
public final class PReLU extends Layer {
    private Initializer alphaInitializer = Initializers.zeros();
    private Regularizer alphaRegularizer;
    private Constraint alphaConstraint;
    private int[] sharedAxes;
    private Weight alpha;

    public PReLU() {
        super("p_re_lu");
    }

    public Initializer alphaInitializer() {
        return alphaInitializer;
    }

    /** The alpha regularizer, or null. */
    public Regularizer alphaRegularizer() {
        return alphaRegularizer;
    }

    /** The alpha constraint, or null. */
    public Constraint alphaConstraint() {
        return alphaConstraint;
    }

    /** The shared axes (1-based), or null for none (Keras's None). */
    public int[] sharedAxes() {
        return sharedAxes == null ? null : sharedAxes.clone();
    }

    public PReLU alphaInitializer(Initializer init) {
        requireNotBuilt("alpha_initializer");
        this.alphaInitializer = Objects.requireNonNull(init, "alpha_initializer");
        return this;
    }

    public PReLU alphaRegularizer(Regularizer r) {
        requireNotBuilt("alpha_regularizer");
        this.alphaRegularizer = r;
        return this;
    }

    public PReLU alphaConstraint(Constraint c) {
        requireNotBuilt("alpha_constraint");
        this.alphaConstraint = c;
        return this;
    }

    /**
     * Shares alpha along these axes of the input (1-based: 1 is the first axis after the batch's),
     * e.g. 1 for one alpha per feature of a (batch, steps, features) input; null for none.
     */
    public PReLU sharedAxes(int... axes) {
        requireNotBuilt("shared_axes");
        this.sharedAxes = axes == null ? null : axes.clone();
        return this;
    }

    @Override
    public PReLU named(String newName) {
        super.named(newName);
        return this;
    }

    /** The trained alpha; null before build. */
    public Weight alpha() {
        return alpha;
    }

    /**
     * @throws IllegalArgumentException for a shared axis outside 1..rank (Keras's list indexing would
     *                                  silently take 0 or a negative axis from the end), or an
     *                                  unknown size on an axis not shared
     */
    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        int[] dims = in.dims();
        if (sharedAxes != null) {
            for (int a : sharedAxes) {
                if (a < 1 || a > dims.length) {
                    throw new IllegalArgumentException(where() + ": shared_axes " + Arrays.toString(sharedAxes)
                            + " must be axes 1 to " + dims.length + " of the input " + batchless(in)
                            + " (the batch axis is 0); got " + a);
                }
                dims[a - 1] = 1;
            }
        }
        for (int i = 0; i < dims.length; i++) {
            if (!isShared(i + 1)) {
                requireKnown(in, i, "to size alpha (share the axis with shared_axes to take any size)");
            }
        }
        alpha = addWeight("alpha", Shape.of(dims), alphaInitializer, random, alphaRegularizer, alphaConstraint, true);
        return in;
    }

    private boolean isShared(int axis) {
        return sharedAxes != null && Arrays.stream(sharedAxes).anyMatch(a -> a == axis);
    }

    /** Any sizes along the shared axes; the others as built (alpha's), as Keras's input_spec. */
    @Override
    protected Shape acceptedShape() {
        Shape in = inputShape();
        int[] kept = java.util.stream.IntStream.range(0, in.rank()).filter(i -> !isShared(i + 1)).toArray();
        return keepingOnly(in, kept);
    }

    @Override
    protected Shape outputShapeFor(Shape in) {
        return in;
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        Variable positive = Ops.unary(UnaryOp.RELU, x);
        Variable negative = Ops.unary(UnaryOp.RELU, Ops.scale(x, -1f));
        return Ops.add(positive, Ops.mul(Ops.scale(alpha.variable(), -1f), negative));
    }

    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return mask;
    }
}
