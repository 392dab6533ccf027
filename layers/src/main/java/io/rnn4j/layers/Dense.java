package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.constraints.Constraint;
import io.rnn4j.layers.initializers.Initializer;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.regularizers.Regularizer;
import java.util.random.RandomGenerator;

/**
 * Keras's Dense: {@code activation(x · kernel + bias)} on the last axis (inputs of rank 3 are
 * applied per time step, as Keras does). Weights: kernel (in, units), bias (units). Defaults:
 * linear activation, bias on, glorot_uniform kernel, zeros bias. Passes the mask on.
 */
public final class Dense extends Layer {
    private final int units;
    private Activation activation;
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializers.glorotUniform();
    private Initializer biasInitializer = Initializers.zeros();
    private Regularizer kernelRegularizer;
    private Regularizer biasRegularizer;
    private Constraint kernelConstraint;
    private Constraint biasConstraint;
    private Weight kernel;
    private Weight bias;

    /** {@code units} outputs, linear activation. */
    public Dense(int units) {
        this(units, Activation.LINEAR);
    }

    public Dense(int units, Activation activation) {
        super("dense");
        this.units = checkUnits(units);
        this.activation = java.util.Objects.requireNonNull(activation, "activation");
    }

    /**
     * {@code units} outputs and the activation Keras calls {@code activation} ("relu", ...).
     *
     * @throws IllegalArgumentException for an unknown name, naming this layer
     */
    public Dense(int units, String activation) {
        super("dense");
        this.units = checkUnits(units);
        this.activation = Activations.named(activation, name());
    }

    private int checkUnits(int n) {
        if (n < 1) {
            throw new IllegalArgumentException(name() + ": units must be >= 1, got " + n);
        }
        return n;
    }

    public int units() {
        return units;
    }

    public Activation activation() {
        return activation;
    }

    public boolean useBias() {
        return useBias;
    }

    public Initializer kernelInitializer() {
        return kernelInitializer;
    }

    public Initializer biasInitializer() {
        return biasInitializer;
    }

    /** The kernel regularizer, or null. */
    public Regularizer kernelRegularizer() {
        return kernelRegularizer;
    }

    public Regularizer biasRegularizer() {
        return biasRegularizer;
    }

    /** The kernel constraint, or null. */
    public Constraint kernelConstraint() {
        return kernelConstraint;
    }

    public Constraint biasConstraint() {
        return biasConstraint;
    }

    public Dense useBias(boolean on) {
        requireNotBuilt("use_bias");
        this.useBias = on;
        return this;
    }

    public Dense kernelInitializer(Initializer init) {
        requireNotBuilt("kernel_initializer");
        this.kernelInitializer = init;
        return this;
    }

    public Dense biasInitializer(Initializer init) {
        requireNotBuilt("bias_initializer");
        this.biasInitializer = init;
        return this;
    }

    public Dense kernelRegularizer(Regularizer r) {
        requireNotBuilt("kernel_regularizer");
        this.kernelRegularizer = r;
        return this;
    }

    public Dense biasRegularizer(Regularizer r) {
        requireNotBuilt("bias_regularizer");
        this.biasRegularizer = r;
        return this;
    }

    public Dense kernelConstraint(Constraint c) {
        requireNotBuilt("kernel_constraint");
        this.kernelConstraint = c;
        return this;
    }

    public Dense biasConstraint(Constraint c) {
        requireNotBuilt("bias_constraint");
        this.biasConstraint = c;
        return this;
    }

    @Override
    public Dense named(String newName) {
        super.named(newName);
        return this;
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        if (in.rank() < 1) {
            throw new IllegalArgumentException(name() + ": expected an input of rank >= 2 (batch, ..., features), "
                    + "got " + batchless(in));
        }
        requireKnown(in, -1, "to size its kernel");
        kernel = addWeight("kernel", Shape.of(in.dim(-1), units), kernelInitializer, random, kernelRegularizer,
                kernelConstraint, true);
        if (useBias) {
            bias = addWeight("bias", Shape.of(units), biasInitializer, random, biasRegularizer, biasConstraint, true);
        }
        return outputShapeFor(in);
    }

    /** Any sizes but the last axis's (the kernel's rows), as Keras's input_spec {-1: features}. */
    @Override
    protected Shape acceptedShape() {
        return keepingOnly(inputShape(), -1);
    }

    @Override
    protected Shape outputShapeFor(Shape in) {
        return in.with(in.rank() - 1, units);
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        int features = x.dim(-1);
        Variable flat = x.rank() == 2 ? x : Ops.reshape(x, -1, features);
        Variable y = Ops.matmul(flat, kernel.variable());
        if (bias != null) {
            y = Ops.add(y, bias.variable());
        }
        if (x.rank() != 2) {
            int[] dims = x.shape().dims();
            dims[dims.length - 1] = units;
            y = Ops.reshape(y, dims);
        }
        return activation.apply(y);
    }

    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return mask;
    }
}
