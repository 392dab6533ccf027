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
import java.util.random.RandomGenerator;

/**
 * Keras's LayerNormalization: each sample normalised over {@code axis} (default -1, counted with the
 * batch axis; several axes may be given) to mean 0 and variance 1, then scaled by gamma and shifted
 * by beta. Computed as Keras does: {@code inv = rsqrt(var + epsilon) · gamma},
 * {@code out = x · inv + (beta − mean · inv)}, with the population variance
 * {@code mean((x − mean)²)}. Defaults: epsilon 1e-3, center and scale on, gamma ones, beta zeros.
 * Weights, in order: gamma (scale), beta (center), each of the normalised axes' sizes. Passes the
 * mask on.
 */
public final class LayerNormalization extends Layer {
    private int[] axes = {-1};
    private float epsilon = 1e-3f;
    private boolean center = true;
    private boolean scale = true;
    private Initializer betaInitializer = Initializers.zeros();
    private Initializer gammaInitializer = Initializers.ones();
    private Regularizer betaRegularizer;
    private Regularizer gammaRegularizer;
    private Constraint betaConstraint;
    private Constraint gammaConstraint;
    /** The normalised axes of a batch (batch axis 0), sorted. */
    private int[] batchAxes;
    private Weight gamma;
    private Weight beta;

    public LayerNormalization() {
        super("layer_normalization");
    }

    @Override
    public LayerNormalization named(String newName) {
        super.named(newName);
        return this;
    }

    /** The axes normalised over, counted with the batch axis (negative from the end); default -1. */
    public LayerNormalization axis(int... axis) {
        requireNotBuilt("axis");
        if (axis.length == 0) {
            throw new IllegalArgumentException(name() + ": axis needs at least one axis");
        }
        this.axes = axis.clone();
        return this;
    }

    /**
     * Keras's epsilon, added to the variance (default 1e-3); kept as a float32, which must be
     * {@code > 0}.
     */
    public LayerNormalization epsilon(double e) {
        requireNotBuilt("epsilon");
        if (!((float) e > 0f)) {
            throw new IllegalArgumentException(name() + ": epsilon must be > 0 (as a float32), got "
                    + KerasConfig.written(e));
        }
        this.epsilon = (float) e;
        return this;
    }

    /** Adds the learned offset beta (Keras's center, default true). */
    public LayerNormalization center(boolean on) {
        requireNotBuilt("center");
        this.center = on;
        return this;
    }

    /** Multiplies by the learned gamma (Keras's scale, default true). */
    public LayerNormalization scale(boolean on) {
        requireNotBuilt("scale");
        this.scale = on;
        return this;
    }

    public LayerNormalization betaInitializer(Initializer i) {
        requireNotBuilt("beta_initializer");
        this.betaInitializer = java.util.Objects.requireNonNull(i);
        return this;
    }

    public LayerNormalization gammaInitializer(Initializer i) {
        requireNotBuilt("gamma_initializer");
        this.gammaInitializer = java.util.Objects.requireNonNull(i);
        return this;
    }

    public LayerNormalization betaRegularizer(Regularizer r) {
        requireNotBuilt("beta_regularizer");
        this.betaRegularizer = r;
        return this;
    }

    public LayerNormalization gammaRegularizer(Regularizer r) {
        requireNotBuilt("gamma_regularizer");
        this.gammaRegularizer = r;
        return this;
    }

    public LayerNormalization betaConstraint(Constraint c) {
        requireNotBuilt("beta_constraint");
        this.betaConstraint = c;
        return this;
    }

    public LayerNormalization gammaConstraint(Constraint c) {
        requireNotBuilt("gamma_constraint");
        this.gammaConstraint = c;
        return this;
    }

    public float epsilon() {
        return epsilon;
    }

    /** The axes as given (counted with the batch axis; negative from the end); a copy. */
    public int[] axis() {
        return axes.clone();
    }

    public boolean center() {
        return center;
    }

    public boolean scale() {
        return scale;
    }

    public Initializer betaInitializer() {
        return betaInitializer;
    }

    public Initializer gammaInitializer() {
        return gammaInitializer;
    }

    /** Null when none. */
    public Regularizer betaRegularizer() {
        return betaRegularizer;
    }

    /** Null when none. */
    public Regularizer gammaRegularizer() {
        return gammaRegularizer;
    }

    /** Null when none. */
    public Constraint betaConstraint() {
        return betaConstraint;
    }

    /** Null when none. */
    public Constraint gammaConstraint() {
        return gammaConstraint;
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        int[] a = batchAxes(name(), axes, in);
        batchAxes = a;
        int[] dims = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            requireKnown(in, a[i] - 1, "to size its weights (axis " + a[i] + " is normalized)");
            dims[i] = in.dim(a[i] - 1);
        }
        Shape weightShape = Shape.of(dims);
        if (scale) {
            gamma = addWeight("gamma", weightShape, gammaInitializer, random, gammaRegularizer, gammaConstraint,
                    true);
        }
        if (center) {
            beta = addWeight("beta", weightShape, betaInitializer, random, betaRegularizer, betaConstraint, true);
        }
        return in;
    }

    /**
     * {@code axes} counted with the batch axis (negative from the end) as sorted axes of a batch of
     * {@code in} samples (Keras's axis of LayerNormalization and Normalization).
     *
     * @param layer how the messages name the layer
     * @throws IllegalArgumentException for the batch axis, an axis out of range or a repeated one
     */
    static int[] batchAxes(String layer, int[] axes, Shape in) {
        int rank = in.rank() + 1;
        int[] a = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            int x = axes[i] < 0 ? axes[i] + rank : axes[i];
            if (x <= 0 || x >= rank) {
                throw new IllegalArgumentException(layer + ": axis " + axes[i] + " is " + (x == 0 ? "the batch axis"
                        : "out of range") + " for inputs " + batchless(in));
            }
            a[i] = x;
        }
        Arrays.sort(a);
        for (int i = 1; i < a.length; i++) {
            if (a[i] == a[i - 1]) {
                throw new IllegalArgumentException(layer + ": duplicate axes are not allowed, got "
                        + Arrays.toString(axes));
            }
        }
        return a;
    }

    /** Any sizes but those of {@code batchAxes} (counted with the batch axis), as a sample shape of {@code sample}. */
    static Shape keepingBatchAxes(Shape sample, int[] batchAxes) {
        int[] kept = new int[batchAxes.length];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = batchAxes[i] - 1;
        }
        return keepingOnly(sample, kept);
    }

    /** Any sizes but the normalized axes'. */
    @Override
    protected Shape acceptedShape() {
        return keepingBatchAxes(inputShape(), batchAxes);
    }

    @Override
    protected Shape outputShapeFor(Shape in) {
        return in;
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        Variable mean = x;
        for (int a : batchAxes) {
            mean = Ops.mean(mean, a, true);
        }
        Variable sq = Ops.unary(UnaryOp.SQUARE, Ops.sub(x, mean));
        Variable variance = sq;
        for (int a : batchAxes) {
            variance = Ops.mean(variance, a, true);
        }
        Variable inv = Ops.unary(UnaryOp.RECIPROCAL, Ops.unary(UnaryOp.SQRT, Ops.affine(variance, 1f, epsilon)));
        if (gamma != null) {
            inv = Ops.mul(inv, broadcastable(gamma.variable(), batchAxes, x.rank()));
        }
        Variable res = Ops.mul(Ops.scale(mean, -1f), inv);
        if (beta != null) {
            res = Ops.add(res, broadcastable(beta.variable(), batchAxes, x.rank()));
        }
        return Ops.add(Ops.mul(x, inv), res);
    }

    /** A weight over the normalised axes viewed with 1 on the others, unless it is just the last axis. */
    static Variable broadcastable(Variable w, int[] batchAxes, int rank) {
        if (batchAxes.length == 1 && batchAxes[0] == rank - 1) {
            return w;
        }
        int[] d = new int[rank];
        Arrays.fill(d, 1);
        for (int i = 0; i < batchAxes.length; i++) {
            d[batchAxes[i]] = w.dim(i);
        }
        return Ops.reshape(w, d);
    }

    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return mask;
    }
}
