package io.rnn4j.layers;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.ReduceOp;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.constraints.Constraint;
import io.rnn4j.layers.initializers.Initializer;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.regularizers.Regularizer;
import java.util.random.RandomGenerator;

/**
 * Keras 3's BatchNormalization over the last axis (the features), with Keras's defaults:
 * momentum 0.99, epsilon 1e-3, center and scale on. Weights, in Keras's get_weights() order:
 * gamma (with scale), beta (with center), moving_mean, moving_variance — the last two not
 * trainable.
 *
 * <p>As Keras computes it ({@code tf.nn.batch_normalization}):
 * {@code inv = gamma / sqrt(variance + epsilon); y = x·inv + (beta − mean·inv)}. In training (and
 * only while the layer is {@link #trainable()}, as Keras does) mean and variance are the batch's,
 * over every axis but the last ({@code variance = mean((x − mean)²)}), and the moving statistics
 * become {@code moving·momentum + batch·(1 − momentum)}; with a Keras mask (batch, timesteps) the
 * batch statistics are weighted by it (Keras's {@code _moments}, dividing by the mask's sum plus
 * 1e-7). At inference, and when frozen, the moving statistics are used. Passes the mask on.
 *
 * <p>Training updates the moving statistics in place, so a model in training must not be
 * called from several threads at once; inference reads them only.
 */
public final class BatchNormalization extends Layer {
    /** Keras's backend epsilon, added to the mask's sum in masked moments. */
    private static final float KERAS_EPSILON = 1e-7f;

    private int axis = -1;
    private double momentum = 0.99;
    private double epsilon = 1e-3;
    private boolean center = true;
    private boolean scale = true;
    private Initializer betaInitializer = Initializers.zeros();
    private Initializer gammaInitializer = Initializers.ones();
    private Initializer movingMeanInitializer = Initializers.zeros();
    private Initializer movingVarianceInitializer = Initializers.ones();
    private Regularizer betaRegularizer;
    private Regularizer gammaRegularizer;
    private Constraint betaConstraint;
    private Constraint gammaConstraint;
    private Weight gamma;
    private Weight beta;
    private Weight movingMean;
    private Weight movingVariance;

    public BatchNormalization() {
        super("batch_normalization");
    }

    // ---- options ----

    /**
     * The axis normalized, counted with the batch axis as Keras counts it: -1 (the default) or the
     * index of the last axis; others are refused at build.
     */
    public BatchNormalization axis(int a) {
        requireNotBuilt("axis");
        if (a == 0 || a < -1) {
            throw new IllegalArgumentException(name() + ": axis must be -1 or the index of the last axis, got " + a);
        }
        this.axis = a;
        return this;
    }

    /** The moving statistics' decay, in [0, 1]; Keras's default 0.99. */
    public BatchNormalization momentum(double m) {
        requireNotBuilt("momentum");
        if (!(m >= 0 && m <= 1)) {
            throw new IllegalArgumentException(name() + ": momentum must be in [0, 1], got " + m);
        }
        this.momentum = m;
        return this;
    }

    /** Added to the variance; Keras's default 1e-3. */
    public BatchNormalization epsilon(double e) {
        requireNotBuilt("epsilon");
        if (!(e >= 0) || Double.isInfinite(e)) {
            throw new IllegalArgumentException(name() + ": epsilon must be >= 0 and finite, got " + e);
        }
        this.epsilon = e;
        return this;
    }

    /** Whether beta is added (Keras's {@code center}). */
    public BatchNormalization center(boolean on) {
        requireNotBuilt("center");
        this.center = on;
        return this;
    }

    /** Whether the result is multiplied by gamma (Keras's {@code scale}). */
    public BatchNormalization scale(boolean on) {
        requireNotBuilt("scale");
        this.scale = on;
        return this;
    }

    public BatchNormalization betaInitializer(Initializer i) {
        requireNotBuilt("beta_initializer");
        this.betaInitializer = java.util.Objects.requireNonNull(i, "beta_initializer");
        return this;
    }

    public BatchNormalization gammaInitializer(Initializer i) {
        requireNotBuilt("gamma_initializer");
        this.gammaInitializer = java.util.Objects.requireNonNull(i, "gamma_initializer");
        return this;
    }

    public BatchNormalization movingMeanInitializer(Initializer i) {
        requireNotBuilt("moving_mean_initializer");
        this.movingMeanInitializer = java.util.Objects.requireNonNull(i, "moving_mean_initializer");
        return this;
    }

    public BatchNormalization movingVarianceInitializer(Initializer i) {
        requireNotBuilt("moving_variance_initializer");
        this.movingVarianceInitializer = java.util.Objects.requireNonNull(i, "moving_variance_initializer");
        return this;
    }

    public BatchNormalization betaRegularizer(Regularizer r) {
        requireNotBuilt("beta_regularizer");
        this.betaRegularizer = r;
        return this;
    }

    public BatchNormalization gammaRegularizer(Regularizer r) {
        requireNotBuilt("gamma_regularizer");
        this.gammaRegularizer = r;
        return this;
    }

    public BatchNormalization betaConstraint(Constraint c) {
        requireNotBuilt("beta_constraint");
        this.betaConstraint = c;
        return this;
    }

    public BatchNormalization gammaConstraint(Constraint c) {
        requireNotBuilt("gamma_constraint");
        this.gammaConstraint = c;
        return this;
    }

    @Override
    public BatchNormalization named(String newName) {
        super.named(newName);
        return this;
    }

    // ---- what the options are ----

    /** The axis as configured (-1, or the last axis's index). */
    public int axis() {
        return axis;
    }

    public double momentum() {
        return momentum;
    }

    public double epsilon() {
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

    public Initializer movingMeanInitializer() {
        return movingMeanInitializer;
    }

    public Initializer movingVarianceInitializer() {
        return movingVarianceInitializer;
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

    // ---- build and call ----

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        if (in.rank() < 1) {
            throw new IllegalArgumentException(name() + ": expected an input of rank >= 2 (batch, ..., features), got "
                    + batchless(in));
        }
        if (axis != -1 && axis != in.rank()) {
            throw new IllegalArgumentException(name() + ": only the last axis (-1 or " + in.rank() + " for input "
                    + batchless(in) + ") can be normalized, got axis=" + axis);
        }
        requireKnown(in, -1, "to size its statistics");
        Shape c = Shape.of(in.dim(-1));
        if (scale) {
            gamma = addWeight("gamma", c, gammaInitializer, random, gammaRegularizer, gammaConstraint, true);
        }
        if (center) {
            beta = addWeight("beta", c, betaInitializer, random, betaRegularizer, betaConstraint, true);
        }
        movingMean = addWeight("moving_mean", c, movingMeanInitializer, random, null, null, false);
        movingVariance = addWeight("moving_variance", c, movingVarianceInitializer, random, null, null, false);
        return in;
    }

    /** Any sizes but the normalized last axis's. */
    @Override
    protected Shape acceptedShape() {
        return keepingOnly(inputShape(), -1);
    }

    @Override
    protected Shape outputShapeFor(Shape in) {
        return in;
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        if (mask != null && x.rank() != mask.rank() + 1) {
            throw new IllegalArgumentException(name() + ": the mask must have one dimension less than the inputs, "
                    + "got mask " + mask.shape() + " for inputs " + x.shape());
        }
        int features = x.dim(-1);
        Variable x2 = x.rank() == 2 ? x : Ops.reshape(x, -1, features);
        Variable mean;
        Variable variance;
        if (ctx.training() && trainable()) {
            Variable[] moments = mask == null ? moments(x2) : maskedMoments(x2, mask);
            mean = moments[0];
            variance = moments[1];
            updateMoving(movingMean.value(), mean.value());
            updateMoving(movingVariance.value(), variance.value());
        } else {
            mean = movingMean.variable();
            variance = movingVariance.variable();
        }
        // tf.nn.batch_normalization: inv = rsqrt(variance + epsilon) · scale; x · inv + (offset − mean · inv).
        Variable inv = Ops.unary(UnaryOp.RECIPROCAL,
                Ops.unary(UnaryOp.SQRT, Ops.affine(variance, 1f, (float) epsilon)));
        if (gamma != null) {
            inv = Ops.mul(inv, gamma.variable());
        }
        Variable shift = Ops.mul(mean, inv);
        shift = beta != null ? Ops.sub(beta.variable(), shift) : Ops.scale(shift, -1f);
        Variable y = Ops.add(Ops.mul(x2, inv), shift);
        return x.rank() == 2 ? y : Ops.reshape(y, x.shape().dims());
    }

    /** tf.nn.moments over the rows of (n, features): the mean, then the mean squared distance from it. */
    private static Variable[] moments(Variable x2) {
        Variable mean = Ops.mean(x2, 0, true);
        Variable d = Ops.sub(x2, mean);
        return new Variable[] {mean, Ops.mean(Ops.mul(d, d), 0, true)};
    }

    /** Keras's masked moments: rows weighted by the mask, sums divided by (mask sum + 1e-7). */
    private static Variable[] maskedMoments(Variable x2, Tensor mask) {
        Device d = x2.device();
        Tensor w = mask.reshape(-1, 1);
        Tensor count = d.zeros(Shape.of(1, 1));
        d.reduce(ReduceOp.SUM, w, 0, count);
        d.affine(count, 1f, KERAS_EPSILON, count);
        Variable weights = Variable.constant(w);
        Variable denominator = Variable.constant(count);
        Variable weighted = Ops.mul(x2, weights);
        Variable mean = Ops.div(Ops.sum(weighted, 0, true), denominator);
        Variable diff = Ops.sub(weighted, mean);
        Variable distSq = Ops.sum(Ops.mul(weights, Ops.mul(diff, diff)), 0, true);
        return new Variable[] {mean, Ops.div(distSq, denominator)};
    }

    /** {@code moving = moving · momentum + batch · (1 − momentum)}, in float32 as Keras's assign computes it. */
    private void updateMoving(Tensor moving, Tensor batch) {
        Device d = moving.device();
        Tensor part = d.zeros(moving.shape());
        d.affine(batch.reshape(moving.shape().dims()), (float) (1.0 - momentum), 0f, part);
        d.affine(moving, (float) momentum, 0f, moving);
        d.binary(BinaryOp.ADD, moving, part, moving);
    }

    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return mask;
    }
}
