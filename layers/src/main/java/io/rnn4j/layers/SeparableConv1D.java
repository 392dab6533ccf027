package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
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
public final class SeparableConv1D extends DepthwiseConv1DBase<SeparableConv1D> {
    private final int filters;
    private Initializer pointwiseInitializer = Initializers.glorotUniform();
    private Regularizer pointwiseRegularizer;
    private Constraint pointwiseConstraint;
    private Weight depthwiseKernel;
    private Weight pointwiseKernel;

    /** {@code filters} output channels from windows of {@code kernelSize} steps, linear activation. */
    public SeparableConv1D(int filters, int kernelSize) {
        this(filters, kernelSize, Activation.LINEAR);
    }

    /** With an activation applied to the result. */
    public SeparableConv1D(int filters, int kernelSize, Activation activation) {
        super("separable_conv1d", kernelSize, activation);
        this.filters = Windows.positive(where(), "filters", filters);
    }

    /**
     * With the activation Keras calls {@code activation} ("relu", ...).
     *
     * @throws IllegalArgumentException for an unknown name, naming this layer
     */
    public SeparableConv1D(int filters, int kernelSize, String activation) {
        super("separable_conv1d", kernelSize, activation);
        this.filters = Windows.positive(where(), "filters", filters);
    }

    /** The number of output channels (Keras's filters). */
    public int filters() {
        return filters;
    }

    /** The pointwise kernel's initializer (Keras's pointwise_initializer; glorot_uniform by default). */
    public Initializer pointwiseInitializer() {
        return pointwiseInitializer;
    }

    /** The pointwise kernel's regularizer (Keras's pointwise_regularizer), or null. */
    public Regularizer pointwiseRegularizer() {
        return pointwiseRegularizer;
    }

    /** The pointwise kernel's constraint (Keras's pointwise_constraint), or null. */
    public Constraint pointwiseConstraint() {
        return pointwiseConstraint;
    }

    /** Sets Keras's pointwise_initializer. */
    public SeparableConv1D pointwiseInitializer(Initializer init) {
        requireNotBuilt("pointwise_initializer");
        this.pointwiseInitializer = Objects.requireNonNull(init, "pointwise_initializer");
        return this;
    }

    /** A regularizer of the pointwise kernel (Keras's pointwise_regularizer), or null for none. */
    public SeparableConv1D pointwiseRegularizer(Regularizer r) {
        requireNotBuilt("pointwise_regularizer");
        this.pointwiseRegularizer = r;
        return this;
    }

    /** A constraint on the pointwise kernel (Keras's pointwise_constraint), or null for none. */
    public SeparableConv1D pointwiseConstraint(Constraint c) {
        requireNotBuilt("pointwise_constraint");
        this.pointwiseConstraint = c;
        return this;
    }

    /** Keras's order: depthwise_kernel, pointwise_kernel (then the bias). */
    @Override
    void addKernels(int channels, RandomGenerator random) {
        depthwiseKernel = addDepthwiseKernel("depthwise_kernel", channels, random);
        pointwiseKernel = addWeight("pointwise_kernel", Shape.of(1, channels * depthMultiplier(), filters),
                pointwiseInitializer, random, pointwiseRegularizer, pointwiseConstraint, true);
    }

    @Override
    int outChannels(int channels) {
        return filters;
    }

    @Override
    Variable convolve(Variable x) {
        Variable depthwise = depthwise(x, depthwiseKernel.variable());
        int batch = depthwise.dim(0);
        int steps = depthwise.dim(1);
        int mixed = depthwise.dim(2);
        Variable pointwise = Ops.reshape(pointwiseKernel.variable(), mixed, filters);
        return Ops.reshape(Ops.matmul(Ops.reshape(depthwise, batch * steps, mixed), pointwise), batch, steps,
                filters);
    }
}
