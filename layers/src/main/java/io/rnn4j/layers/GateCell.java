package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.constraints.Constraint;
import io.rnn4j.layers.initializers.Initializer;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.regularizers.Regularizer;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * What Keras's SimpleRNNCell, LSTMCell and GRUCell share: their options with Keras's defaults and
 * the weights kernel (D, G·H), recurrent_kernel (H, G·H) and bias, in that order, laid out as the
 * fused layers' (DESIGN.md) so the same weights give the same numbers.
 *
 * <p>Dropout is the fused layers' scheme: in training one mask on the step's input and one on the
 * state before its recurrent product, each drawn on the first step of a sequence and kept for its
 * other steps (Keras's DropoutRNNCell; masks are dropped by {@link #resetDropoutMasks()}). Keras 3.8
 * and later draw a mask per gate when recurrent_dropout is set; this follows the earlier single-mask
 * scheme, which the fused kernels implement.
 *
 * @param <C> the concrete cell, so that the fluent setters return it
 */
public abstract sealed class GateCell<C extends GateCell<C>> extends Cell implements GateOptions<C>
        permits SimpleRNNCell, LSTMCell, GRUCell {
    private final int units;
    private Activation activation = Activation.TANH;
    private Activation recurrentActivation = Activation.SIGMOID;
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializers.glorotUniform();
    private Initializer recurrentInitializer = Initializers.orthogonal();
    private Initializer biasInitializer = Initializers.zeros();
    private Regularizer kernelRegularizer;
    private Regularizer recurrentRegularizer;
    private Regularizer biasRegularizer;
    private Constraint kernelConstraint;
    private Constraint recurrentConstraint;
    private Constraint biasConstraint;
    private float dropout;
    private float recurrentDropout;
    private Weight kernel;
    private Weight recurrentKernel;
    private Weight bias;
    private Tensor dropoutMask;
    private Tensor recurrentDropoutMask;

    GateCell(String kerasPrefix, int units) {
        super(kerasPrefix);
        if (units < 1) {
            throw new IllegalArgumentException(kerasPrefix + ": units must be >= 1, got " + units);
        }
        this.units = units;
    }

    @SuppressWarnings("unchecked")
    private C self() {
        return (C) this;
    }

    /** The number of gate blocks: 1 SimpleRNN, 4 LSTM, 3 GRU. */
    abstract int gates();

    /** The bias shape (GRU with reset_after has two rows). */
    Shape biasShape() {
        return Shape.of(gates() * units);
    }

    /** The initializer of the whole bias (LSTM's unit_forget_bias). */
    Initializer effectiveBiasInitializer(Initializer configured) {
        return configured;
    }

    @Override
    public C named(String newName) {
        super.named(newName);
        return self();
    }

    /** Keras's activation: the cell's output activation, default tanh. */
    public C activation(Activation a) {
        requireNotBuilt("activation");
        this.activation = Objects.requireNonNull(a, "activation");
        return self();
    }

    /** @throws IllegalArgumentException for an unknown name, naming this cell */
    public C activation(String kerasName) {
        return activation(Activations.named(kerasName, name()));
    }

    C setRecurrentActivation(Activation a) {
        requireNotBuilt("recurrent_activation");
        this.recurrentActivation = Objects.requireNonNull(a, "recurrent_activation");
        return self();
    }

    /** Keras's use_bias: whether the cell has a bias vector, default true. */
    public C useBias(boolean on) {
        requireNotBuilt("use_bias");
        this.useBias = on;
        return self();
    }

    /** Keras's kernel_initializer: draws the input kernel, default glorot_uniform. */
    public C kernelInitializer(Initializer i) {
        requireNotBuilt("kernel_initializer");
        this.kernelInitializer = Objects.requireNonNull(i);
        return self();
    }

    /** Keras's recurrent_initializer: draws the recurrent kernel, default orthogonal. */
    public C recurrentInitializer(Initializer i) {
        requireNotBuilt("recurrent_initializer");
        this.recurrentInitializer = Objects.requireNonNull(i);
        return self();
    }

    /** Keras's bias_initializer: draws the bias, default zeros. */
    public C biasInitializer(Initializer i) {
        requireNotBuilt("bias_initializer");
        this.biasInitializer = Objects.requireNonNull(i);
        return self();
    }

    /** Keras's kernel_regularizer: a penalty on the input kernel, or null (default none). */
    public C kernelRegularizer(Regularizer r) {
        requireNotBuilt("kernel_regularizer");
        this.kernelRegularizer = r;
        return self();
    }

    /** Keras's recurrent_regularizer: a penalty on the recurrent kernel, or null (default none). */
    public C recurrentRegularizer(Regularizer r) {
        requireNotBuilt("recurrent_regularizer");
        this.recurrentRegularizer = r;
        return self();
    }

    /** Keras's bias_regularizer: a penalty on the bias, or null (default none). */
    public C biasRegularizer(Regularizer r) {
        requireNotBuilt("bias_regularizer");
        this.biasRegularizer = r;
        return self();
    }

    /** Keras's kernel_constraint: applied to the input kernel after each update, or null. */
    public C kernelConstraint(Constraint c) {
        requireNotBuilt("kernel_constraint");
        this.kernelConstraint = c;
        return self();
    }

    /** Keras's recurrent_constraint: applied to the recurrent kernel after each update, or null. */
    public C recurrentConstraint(Constraint c) {
        requireNotBuilt("recurrent_constraint");
        this.recurrentConstraint = c;
        return self();
    }

    /** Keras's bias_constraint: applied to the bias after each update, or null. */
    public C biasConstraint(Constraint c) {
        requireNotBuilt("bias_constraint");
        this.biasConstraint = c;
        return self();
    }

    /**
     * Keras's dropout: the fraction of the step's input dropped in training (one mask per
     * sequence), in [0, 1], default 0; kept as a float32.
     */
    public C dropout(double rate) {
        requireNotBuilt("dropout");
        this.dropout = Masks.checkRate(rate, name(), "dropout");
        return self();
    }

    /**
     * Keras's recurrent_dropout: the fraction of the state dropped before its recurrent product in
     * training (one mask per sequence), in [0, 1], default 0; kept as a float32.
     */
    public C recurrentDropout(double rate) {
        requireNotBuilt("recurrent_dropout");
        this.recurrentDropout = Masks.checkRate(rate, name(), "recurrent_dropout");
        return self();
    }

    /** Keras's units: the size of the state and the output. */
    public int units() {
        return units;
    }

    /** Keras's activation (default tanh). */
    public Activation activation() {
        return activation;
    }

    /** Keras's recurrent_activation of LSTMCell and GRUCell (default sigmoid); SimpleRNNCell ignores it. */
    public Activation recurrentActivation() {
        return recurrentActivation;
    }

    /** Keras's use_bias (default true). */
    public boolean useBias() {
        return useBias;
    }

    /** Keras's dropout, as the float32 applied (default 0). */
    public float dropout() {
        return dropout;
    }

    /** Keras's recurrent_dropout, as the float32 applied (default 0). */
    public float recurrentDropout() {
        return recurrentDropout;
    }

    /** A new unbuilt cell of the same class and units, to receive a copy of this one's options. */
    abstract C newOfSameKind();

    /** Copies the class-specific options (recurrent activation, unit_forget_bias, reset_after) onto {@code target}. */
    void copyOwnOptions(C target) {
    }

    /** An unbuilt cell of this one's configuration and name. */
    @Override
    public C copy() {
        C c = newOfSameKind();
        GateCell<C> g = c;
        g.activation = activation;
        g.recurrentActivation = recurrentActivation;
        g.useBias = useBias;
        g.kernelInitializer = kernelInitializer;
        g.recurrentInitializer = recurrentInitializer;
        g.biasInitializer = biasInitializer;
        g.kernelRegularizer = kernelRegularizer;
        g.recurrentRegularizer = recurrentRegularizer;
        g.biasRegularizer = biasRegularizer;
        g.kernelConstraint = kernelConstraint;
        g.recurrentConstraint = recurrentConstraint;
        g.biasConstraint = biasConstraint;
        g.dropout = dropout;
        g.recurrentDropout = recurrentDropout;
        g.rename(name());
        c.trainable(trainable());
        copyOwnOptions(c);
        return c;
    }

    /** The input kernel's initializer as configured (Keras's kernel_initializer). */
    public Initializer kernelInitializer() {
        return kernelInitializer;
    }

    /** The recurrent kernel's initializer as configured (Keras's recurrent_initializer). */
    public Initializer recurrentInitializer() {
        return recurrentInitializer;
    }

    /** The bias initializer as configured (LSTMCell's unit_forget_bias is applied on top of it). */
    public Initializer biasInitializer() {
        return biasInitializer;
    }

    /** The input kernel's regularizer, or null. */
    public Regularizer kernelRegularizer() {
        return kernelRegularizer;
    }

    /** The recurrent kernel's regularizer, or null. */
    public Regularizer recurrentRegularizer() {
        return recurrentRegularizer;
    }

    /** The bias regularizer, or null. */
    public Regularizer biasRegularizer() {
        return biasRegularizer;
    }

    /** The input kernel's constraint, or null. */
    public Constraint kernelConstraint() {
        return kernelConstraint;
    }

    /** The recurrent kernel's constraint, or null. */
    public Constraint recurrentConstraint() {
        return recurrentConstraint;
    }

    /** The bias constraint, or null. */
    public Constraint biasConstraint() {
        return biasConstraint;
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        if (in.rank() != 1) {
            throw new IllegalArgumentException(name() + ": a cell steps inputs (batch, features), got "
                    + batchless(in));
        }
        kernel = addWeight("kernel", Shape.of(in.dim(0), gates() * units), kernelInitializer, random,
                kernelRegularizer, kernelConstraint, true);
        recurrentKernel = addWeight("recurrent_kernel", Shape.of(units, gates() * units), recurrentInitializer,
                random, recurrentRegularizer, recurrentConstraint, true);
        if (useBias) {
            bias = addWeight("bias", biasShape(), effectiveBiasInitializer(biasInitializer), random,
                    biasRegularizer, biasConstraint, true);
        }
        return Shape.of(units);
    }

    Variable kernel() {
        return kernel.variable();
    }

    Variable recurrentKernel() {
        return recurrentKernel.variable();
    }

    /** The bias, or null without one. */
    Variable bias() {
        return bias == null ? null : bias.variable();
    }

    /** x times this sequence's input dropout mask, in training. */
    Variable droppedInput(Variable x, CallContext ctx) {
        if (!ctx.training() || !Masks.recurrentDropoutApplies(dropout, gates() == 1)) {
            return x;
        }
        if (dropoutMask == null || !dropoutMask.shape().equals(x.shape())) {
            dropoutMask = Masks.dropout(x.device(), x.shape(), dropout, ctx.random(), name());
        }
        return Ops.mul(x, Variable.constant(dropoutMask));
    }

    /** h times this sequence's recurrent dropout mask, in training. */
    Variable droppedState(Variable h, CallContext ctx) {
        if (!ctx.training() || !Masks.recurrentDropoutApplies(recurrentDropout, gates() == 1)) {
            return h;
        }
        if (recurrentDropoutMask == null || !recurrentDropoutMask.shape().equals(h.shape())) {
            recurrentDropoutMask = Masks.dropout(h.device(), h.shape(), recurrentDropout, ctx.random(), name());
        }
        return Ops.mul(h, Variable.constant(recurrentDropoutMask));
    }

    @Override
    protected void resetDropoutMasks() {
        if (dropout > 0f || recurrentDropout > 0f) {
            dropoutMask = null;
            recurrentDropoutMask = null;
        }
    }
}
