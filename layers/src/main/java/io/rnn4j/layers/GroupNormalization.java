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
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Keras's GroupNormalization: the channels of {@code axis} (default -1) split into {@code groups}
 * consecutive groups; each sample's group is normalised over its channels and every other non-batch
 * axis, then scaled by gamma and shifted by beta (one per channel). Computed as Keras does:
 * {@code inv = rsqrt(var + epsilon) · gamma}, {@code out = x · inv + (beta − mean · inv)} with the
 * population variance. Defaults: groups 32, epsilon 1e-3, center and scale on, gamma ones, beta
 * zeros; {@code groups = -1} means one group per channel (instance normalisation), replaced by the
 * channel count when built, as Keras's build does. Weights, in order: gamma, beta, each (channels).
 * Passes the mask on and, as Keras, ignores it in the statistics.
 */
public final class GroupNormalization extends Layer {
    private int groups = 32;
    private int axis = -1;
    private float epsilon = 1e-3f;
    private boolean center = true;
    private boolean scale = true;
    private Initializer betaInitializer = Initializers.zeros();
    private Initializer gammaInitializer = Initializers.ones();
    private Regularizer betaRegularizer;
    private Regularizer gammaRegularizer;
    private Constraint betaConstraint;
    private Constraint gammaConstraint;
    /** The channel axis of a batch (batch axis 0), once built. */
    private int batchAxis;
    private Weight gamma;
    private Weight beta;

    public GroupNormalization() {
        super("group_normalization");
    }

    @Override
    public GroupNormalization named(String newName) {
        super.named(newName);
        return this;
    }

    /** Keras's groups (default 32): a count dividing the channels, or -1 for one group per channel. */
    public GroupNormalization groups(int g) {
        requireNotBuilt("groups");
        if (g <= 0 && g != -1) {
            throw new IllegalArgumentException(name() + ": groups must be a positive integer (or -1 for instance "
                    + "normalization), got " + g);
        }
        this.groups = g;
        return this;
    }

    /** The channel axis, counted with the batch axis (negative from the end); default -1. */
    public GroupNormalization axis(int a) {
        requireNotBuilt("axis");
        this.axis = a;
        return this;
    }

    /** Keras's epsilon, added to the variance (default 1e-3); kept as a float32, which must be {@code > 0}. */
    public GroupNormalization epsilon(double e) {
        requireNotBuilt("epsilon");
        if (!((float) e > 0f)) {
            throw new IllegalArgumentException(name() + ": epsilon must be > 0 (as a float32), got "
                    + KerasConfig.written(e));
        }
        this.epsilon = (float) e;
        return this;
    }

    /** Adds the learned offset beta (Keras's center, default true). */
    public GroupNormalization center(boolean on) {
        requireNotBuilt("center");
        this.center = on;
        return this;
    }

    /** Multiplies by the learned gamma (Keras's scale, default true). */
    public GroupNormalization scale(boolean on) {
        requireNotBuilt("scale");
        this.scale = on;
        return this;
    }

    /** Keras's beta_initializer (default zeros). */
    public GroupNormalization betaInitializer(Initializer i) {
        requireNotBuilt("beta_initializer");
        this.betaInitializer = Objects.requireNonNull(i);
        return this;
    }

    /** Keras's gamma_initializer (default ones). */
    public GroupNormalization gammaInitializer(Initializer i) {
        requireNotBuilt("gamma_initializer");
        this.gammaInitializer = Objects.requireNonNull(i);
        return this;
    }

    /** Keras's beta_regularizer, or null (default). */
    public GroupNormalization betaRegularizer(Regularizer r) {
        requireNotBuilt("beta_regularizer");
        this.betaRegularizer = r;
        return this;
    }

    /** Keras's gamma_regularizer, or null (default). */
    public GroupNormalization gammaRegularizer(Regularizer r) {
        requireNotBuilt("gamma_regularizer");
        this.gammaRegularizer = r;
        return this;
    }

    /** Keras's beta_constraint, or null (default). */
    public GroupNormalization betaConstraint(Constraint c) {
        requireNotBuilt("beta_constraint");
        this.betaConstraint = c;
        return this;
    }

    /** Keras's gamma_constraint, or null (default). */
    public GroupNormalization gammaConstraint(Constraint c) {
        requireNotBuilt("gamma_constraint");
        this.gammaConstraint = c;
        return this;
    }

    /** The group count: as given, or once built the channel count where -1 was given (as Keras's get_config). */
    public int groups() {
        return groups;
    }

    /** The channel axis as given. */
    public int axis() {
        return axis;
    }

    public float epsilon() {
        return epsilon;
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
        batchAxis = LayerNormalization.batchAxes(name(), new int[] {axis}, in)[0];
        requireKnown(in, batchAxis - 1, "to size gamma and beta (axis " + axis + " holds the channels)");
        int channels = in.dim(batchAxis - 1);
        int g = groups == -1 ? channels : groups;
        if (channels < g || channels % g != 0) {
            throw new IllegalArgumentException(name() + ": groups must divide the " + channels + " channels of axis "
                    + axis + " (inputs " + batchless(in) + "), got groups=" + g);
        }
        groups = g;
        if (scale) {
            gamma = addWeight("gamma", Shape.of(channels), gammaInitializer, random, gammaRegularizer,
                    gammaConstraint, true);
        }
        if (center) {
            beta = addWeight("beta", Shape.of(channels), betaInitializer, random, betaRegularizer, betaConstraint,
                    true);
        }
        return in;
    }

    /** Any sizes but the channels'. */
    @Override
    protected Shape acceptedShape() {
        return keepingOnly(inputShape(), batchAxis - 1);
    }

    @Override
    protected Shape outputShapeFor(Shape in) {
        return in;
    }

    /**
     * The batch viewed as (batch, before, groups, channels/groups, after), normalised over axes 1, 3
     * and 4: Keras's reshape into groups, with the axes before and after the channels flattened.
     */
    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        int[] dims = x.shape().dims();
        int before = 1;
        for (int i = 1; i < batchAxis; i++) {
            before *= dims[i];
        }
        int after = 1;
        for (int i = batchAxis + 1; i < dims.length; i++) {
            after *= dims[i];
        }
        int per = dims[batchAxis] / groups;
        Variable g = Ops.reshape(x, dims[0], before, groups, per, after);
        int[] reduced = {1, 3, 4};
        Variable mean = g;
        for (int a : reduced) {
            mean = Ops.mean(mean, a, true);
        }
        Variable variance = Ops.unary(UnaryOp.SQUARE, Ops.sub(g, mean));
        for (int a : reduced) {
            variance = Ops.mean(variance, a, true);
        }
        Variable inv = Ops.unary(UnaryOp.RECIPROCAL, Ops.unary(UnaryOp.SQRT, Ops.affine(variance, 1f, epsilon)));
        if (gamma != null) {
            inv = Ops.mul(inv, Ops.reshape(gamma.variable(), 1, 1, groups, per, 1));
        }
        Variable res = Ops.mul(Ops.scale(mean, -1f), inv);
        if (beta != null) {
            res = Ops.add(res, Ops.reshape(beta.variable(), 1, 1, groups, per, 1));
        }
        return Ops.reshape(Ops.add(Ops.mul(g, inv), res), dims);
    }

    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return mask;
    }
}
