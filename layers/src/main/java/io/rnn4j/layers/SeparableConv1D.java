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
 * Keras's SeparableConv1D: a depthwise convolution (each input channel convolved on its own with
 * {@code depth_multiplier} kernels, as {@link DepthwiseConv1D}) followed by a pointwise one (a
 * kernel-size-1 convolution mixing the {@code channels·depth_multiplier} results into
 * {@code filters}), then the bias and the activation: {@code activation(pointwise(depthwise(x)) +
 * bias)}, giving {@code (batch, new_steps, filters)}. Weights as Keras lays them out:
 * depthwise_kernel {@code (kernel_size, channels, depth_multiplier)}, pointwise_kernel
 * {@code (1, channels·depth_multiplier, filters)}, bias {@code (filters)}.
 *
 * <p>Options and defaults are Keras 3's: strides 1, padding "valid" or "same" (no "causal"),
 * dilation_rate 1, depth_multiplier 1, linear activation, bias on, glorot_uniform depthwise and
 * pointwise kernels, zeros bias; strides and a dilation rate may both be above 1, as Keras 3's
 * TensorFlow backend allows. Only Keras's "channels_last" layout exists here. Like Keras 3's layer
 * it does not support masking (an incoming mask is dropped with Keras's warning), and it binds only
 * the channel axis: None steps give None.
 *
 * <p>Computed as DepthwiseConv1D's product (one gather of the windows, a broadcast multiply and a
 * sum over the taps) and one GEMM {@code (batch·new_steps, channels·depth_multiplier) ·
 * (channels·depth_multiplier, filters)}.
 */
public final class SeparableConv1D extends Layer {
    private final int filters;
    private final int kernelSize;
    private final Activation activation;
    private int strides = 1;
    private String padding = "valid";
    private int depthMultiplier = 1;
    private int dilationRate = 1;
    private boolean useBias = true;
    private Initializer depthwiseInitializer = Initializers.glorotUniform();
    private Initializer pointwiseInitializer = Initializers.glorotUniform();
    private Initializer biasInitializer = Initializers.zeros();
    private Regularizer depthwiseRegularizer;
    private Regularizer pointwiseRegularizer;
    private Regularizer biasRegularizer;
    private Constraint depthwiseConstraint;
    private Constraint pointwiseConstraint;
    private Constraint biasConstraint;
    private Weight depthwiseKernel;
    private Weight pointwiseKernel;
    private Weight bias;
    private Windows windows;
    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();

    /** {@code filters} output channels from windows of {@code kernelSize} steps, linear activation. */
    public SeparableConv1D(int filters, int kernelSize) {
        this(filters, kernelSize, Activation.LINEAR);
    }

    /** With an activation applied to the result. */
    public SeparableConv1D(int filters, int kernelSize, Activation activation) {
        super("separable_conv1d");
        this.filters = Windows.positive(where(), "filters", filters);
        this.kernelSize = Windows.positive(where(), "kernel_size", kernelSize);
        this.activation = Objects.requireNonNull(activation, "activation");
    }

    /**
     * With the activation Keras calls {@code activation} ("relu", ...).
     *
     * @throws IllegalArgumentException for an unknown name, naming this layer
     */
    public SeparableConv1D(int filters, int kernelSize, String activation) {
        super("separable_conv1d");
        this.filters = Windows.positive(where(), "filters", filters);
        this.kernelSize = Windows.positive(where(), "kernel_size", kernelSize);
        this.activation = Activations.named(activation, name());
    }

    /** The number of output channels (Keras's filters). */
    public int filters() {
        return filters;
    }

    /** The window length in steps (Keras's kernel_size). */
    public int kernelSize() {
        return kernelSize;
    }

    /** The step between windows (Keras's strides). */
    public int strides() {
        return strides;
    }

    /** "valid" or "same". */
    public String padding() {
        return padding;
    }

    /** How many depthwise kernels each input channel gets (Keras's depth_multiplier). */
    public int depthMultiplier() {
        return depthMultiplier;
    }

    /** The spacing of the depthwise kernel's taps (Keras's dilation_rate). */
    public int dilationRate() {
        return dilationRate;
    }

    /** The activation applied to the result (Keras's activation; linear by default). */
    public Activation activation() {
        return activation;
    }

    /** Whether a bias is added (Keras's use_bias; true by default). */
    public boolean useBias() {
        return useBias;
    }

    /** Keras's depthwise_initializer (glorot_uniform by default). */
    public Initializer depthwiseInitializer() {
        return depthwiseInitializer;
    }

    /** Keras's pointwise_initializer (glorot_uniform by default). */
    public Initializer pointwiseInitializer() {
        return pointwiseInitializer;
    }

    /** Keras's bias_initializer (zeros by default). */
    public Initializer biasInitializer() {
        return biasInitializer;
    }

    /** Keras's depthwise_regularizer, or null. */
    public Regularizer depthwiseRegularizer() {
        return depthwiseRegularizer;
    }

    /** Keras's pointwise_regularizer, or null. */
    public Regularizer pointwiseRegularizer() {
        return pointwiseRegularizer;
    }

    /** Keras's bias_regularizer, or null. */
    public Regularizer biasRegularizer() {
        return biasRegularizer;
    }

    /** Keras's depthwise_constraint, or null. */
    public Constraint depthwiseConstraint() {
        return depthwiseConstraint;
    }

    /** Keras's pointwise_constraint, or null. */
    public Constraint pointwiseConstraint() {
        return pointwiseConstraint;
    }

    /** Keras's bias_constraint, or null. */
    public Constraint biasConstraint() {
        return biasConstraint;
    }

    /**
     * Keras's strides: the step between windows.
     *
     * @throws IllegalArgumentException below 1, naming this layer
     */
    public SeparableConv1D strides(int s) {
        requireNotBuilt("strides");
        this.strides = Windows.positive(where(), "strides", s);
        return this;
    }

    /**
     * Keras's padding: "valid" or "same" (output steps {@code ceil(steps / strides)}), any case.
     *
     * @throws IllegalArgumentException for another value ("causal" included), naming this layer
     */
    public SeparableConv1D padding(String p) {
        requireNotBuilt("padding");
        this.padding = Windows.padding(where(), p, false);
        return this;
    }

    /**
     * Keras's depth_multiplier: the number of depthwise kernels per input channel.
     *
     * @throws IllegalArgumentException below 1, naming this layer
     */
    public SeparableConv1D depthMultiplier(int m) {
        requireNotBuilt("depth_multiplier");
        this.depthMultiplier = Windows.positive(where(), "depth_multiplier", m);
        return this;
    }

    /**
     * Keras's dilation_rate: the depthwise kernel's taps read every {@code d}-th step.
     *
     * @throws IllegalArgumentException below 1, naming this layer
     */
    public SeparableConv1D dilationRate(int d) {
        requireNotBuilt("dilation_rate");
        this.dilationRate = Windows.positive(where(), "dilation_rate", d);
        return this;
    }

    /** Sets Keras's use_bias: whether a bias of {@code filters} values is added. */
    public SeparableConv1D useBias(boolean on) {
        requireNotBuilt("use_bias");
        this.useBias = on;
        return this;
    }

    /** Sets Keras's depthwise_initializer. */
    public SeparableConv1D depthwiseInitializer(Initializer init) {
        requireNotBuilt("depthwise_initializer");
        this.depthwiseInitializer = Objects.requireNonNull(init, "depthwise_initializer");
        return this;
    }

    /** Sets Keras's pointwise_initializer. */
    public SeparableConv1D pointwiseInitializer(Initializer init) {
        requireNotBuilt("pointwise_initializer");
        this.pointwiseInitializer = Objects.requireNonNull(init, "pointwise_initializer");
        return this;
    }

    /** Sets Keras's bias_initializer. */
    public SeparableConv1D biasInitializer(Initializer init) {
        requireNotBuilt("bias_initializer");
        this.biasInitializer = Objects.requireNonNull(init, "bias_initializer");
        return this;
    }

    /** Keras's depthwise_regularizer, or null for none. */
    public SeparableConv1D depthwiseRegularizer(Regularizer r) {
        requireNotBuilt("depthwise_regularizer");
        this.depthwiseRegularizer = r;
        return this;
    }

    /** Keras's pointwise_regularizer, or null for none. */
    public SeparableConv1D pointwiseRegularizer(Regularizer r) {
        requireNotBuilt("pointwise_regularizer");
        this.pointwiseRegularizer = r;
        return this;
    }

    /** Keras's bias_regularizer, or null for none. */
    public SeparableConv1D biasRegularizer(Regularizer r) {
        requireNotBuilt("bias_regularizer");
        this.biasRegularizer = r;
        return this;
    }

    /** Keras's depthwise_constraint, or null for none. */
    public SeparableConv1D depthwiseConstraint(Constraint c) {
        requireNotBuilt("depthwise_constraint");
        this.depthwiseConstraint = c;
        return this;
    }

    /** Keras's pointwise_constraint, or null for none. */
    public SeparableConv1D pointwiseConstraint(Constraint c) {
        requireNotBuilt("pointwise_constraint");
        this.pointwiseConstraint = c;
        return this;
    }

    /** Keras's bias_constraint, or null for none. */
    public SeparableConv1D biasConstraint(Constraint c) {
        requireNotBuilt("bias_constraint");
        this.biasConstraint = c;
        return this;
    }

    @Override
    public SeparableConv1D named(String newName) {
        super.named(newName);
        return this;
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        requireRank(in, 2, "(batch, steps, channels)");
        requireKnown(in, -1, "to size its kernels");
        int channels = in.dim(-1);
        windows = new Windows(where(), kernelSize, strides, dilationRate, padding, Windows.Outside.EXTRA_ROW);
        Shape out = outputShapeFor(in);
        // Keras's order: depthwise_kernel, pointwise_kernel, bias.
        depthwiseKernel = addWeight("depthwise_kernel", Shape.of(kernelSize, channels, depthMultiplier),
                depthwiseInitializer, random, depthwiseRegularizer, depthwiseConstraint, true);
        pointwiseKernel = addWeight("pointwise_kernel", Shape.of(1, channels * depthMultiplier, filters),
                pointwiseInitializer, random, pointwiseRegularizer, pointwiseConstraint, true);
        if (useBias) {
            bias = addWeight("bias", Shape.of(filters), biasInitializer, random, biasRegularizer, biasConstraint,
                    true);
        }
        return out;
    }

    /** Any number of steps; the channels the kernels were built for (Keras's input_spec {-1: channels}). */
    @Override
    protected Shape acceptedShape() {
        return keepingOnly(inputShape(), -1);
    }

    /** {@code (new_steps, filters)}; None steps stay None; a length giving no step is refused. */
    @Override
    protected Shape outputShapeFor(Shape in) {
        int steps = in.dim(0);
        return Shape.withUnknown(steps == Shape.UNKNOWN ? Shape.UNKNOWN : windows.checkedOutSteps(steps), filters);
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        droppedMask.check(this, mask);
        Variable depthwise = DepthwiseConv1D.depthwise(x, depthwiseKernel.variable(), windows);
        int batch = depthwise.dim(0);
        int steps = depthwise.dim(1);
        int mixed = depthwise.dim(2);
        Variable pointwise = Ops.reshape(pointwiseKernel.variable(), mixed, filters);
        Variable y = Ops.reshape(Ops.matmul(Ops.reshape(depthwise, batch * steps, mixed), pointwise), batch, steps,
                filters);
        if (bias != null) {
            y = Ops.add(y, bias.variable());
        }
        return activation.apply(y);
    }
}
