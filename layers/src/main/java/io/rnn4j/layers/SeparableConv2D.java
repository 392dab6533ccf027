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
 * Keras's SeparableConv2D (keras/src/layers/convolutional/separable_conv2d.py): a depthwise
 * convolution (each input channel convolved on its own with {@code depth_multiplier} kernels, as
 * {@link DepthwiseConv2D}) followed by a pointwise one (a 1×1 convolution mixing the
 * {@code channels·depth_multiplier} results into {@code filters}), then the bias and the
 * activation: {@code activation(pointwise(depthwise(x)) + bias)}, over {@code (batch, rows, cols,
 * channels)} ("channels_last", the default) or channels first. Weights as Keras names and lays them
 * out, in its order: depthwise_kernel {@code (kernel_rows, kernel_cols, channels, depth_multiplier)},
 * pointwise_kernel {@code (1, 1, channels·depth_multiplier, filters)}, bias {@code (filters)}.
 *
 * <p>Keras 3's defaults: strides 1, "valid", dilation_rate 1, depth_multiplier 1, linear
 * activation, bias on, glorot_uniform depthwise and pointwise kernels, zeros bias; strides and a
 * dilation rate may both be above 1, as Keras 3's TensorFlow backend allows. None spatial axes and
 * masks as {@link GridConvBase}. Cost: {@link DepthwiseConv2D}'s, then one GEMM
 * {@code (n·outputs, channels·depth_multiplier) · (channels·depth_multiplier, filters)}.
 */
public final class SeparableConv2D extends DepthwiseConv2DBase<SeparableConv2D> {
    private final int filters;
    private Initializer pointwiseInitializer = Initializers.glorotUniform();
    private Regularizer pointwiseRegularizer;
    private Constraint pointwiseConstraint;
    private Weight depthwiseKernel;
    private Weight pointwiseKernel;

    /**
     * {@code filters} output channels from windows of {@code kernelSize} (one size for both axes, or
     * (rows, cols)), linear activation.
     *
     * @throws IllegalArgumentException for a size below 1 or another count of sizes, naming the layer
     */
    public SeparableConv2D(int filters, int... kernelSize) {
        this(filters, kernelSize, Activation.LINEAR);
    }

    /** With an activation applied to the result. */
    public SeparableConv2D(int filters, int[] kernelSize, Activation activation) {
        super("separable_conv2d", kernelSize, activation);
        this.filters = Windows.positive(where(), "filters", filters);
    }

    /**
     * With the activation Keras calls {@code activation} ("relu", ...).
     *
     * @throws IllegalArgumentException for an unknown name, naming this layer
     */
    public SeparableConv2D(int filters, int[] kernelSize, String activation) {
        this(filters, kernelSize, Activations.named(activation, "SeparableConv2D"));
    }

    /**
     * Keras's {@code SeparableConv2D(filters, kernel_size, activation=...)} with one int kernel_size: windows of
     * {@code kernelSize} on every axis, as {@code new SeparableConv2D(filters, new int[] {kernelSize}, activation)}.
     */
    public SeparableConv2D(int filters, int kernelSize, Activation activation) {
        this(filters, new int[] {kernelSize}, activation);
    }

    /**
     * Keras's {@code SeparableConv2D(filters, kernel_size, activation="relu")} with one int kernel_size
     * ({@code new SeparableConv2D(8, 3, "relu")}, as Conv2D takes it).
     *
     * @throws IllegalArgumentException for an unknown name, naming this layer
     */
    public SeparableConv2D(int filters, int kernelSize, String activation) {
        this(filters, new int[] {kernelSize}, activation);
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
    public SeparableConv2D pointwiseInitializer(Initializer init) {
        requireNotBuilt("pointwise_initializer");
        this.pointwiseInitializer = Objects.requireNonNull(init, "pointwise_initializer");
        return this;
    }

    /** A regularizer of the pointwise kernel (Keras's pointwise_regularizer), or null for none. */
    public SeparableConv2D pointwiseRegularizer(Regularizer r) {
        requireNotBuilt("pointwise_regularizer");
        this.pointwiseRegularizer = r;
        return this;
    }

    /** A constraint on the pointwise kernel (Keras's pointwise_constraint), or null for none. */
    public SeparableConv2D pointwiseConstraint(Constraint c) {
        requireNotBuilt("pointwise_constraint");
        this.pointwiseConstraint = c;
        return this;
    }

    /** Keras's order: depthwise_kernel, pointwise_kernel (then the bias). */
    @Override
    void addKernels(int channels, RandomGenerator random) {
        depthwiseKernel = addDepthwiseKernel("depthwise_kernel", channels, random);
        pointwiseKernel = addWeight("pointwise_kernel", Shape.of(1, 1, channels * depthMultiplier(), filters),
                pointwiseInitializer, random, pointwiseRegularizer, pointwiseConstraint, true);
    }

    @Override
    int outChannels(int channels) {
        return filters;
    }

    @Override
    Variable convolve(Variable x) {
        Variable depthwise = windowsFor(x).depthwise(x, depthwiseKernel.variable());
        int[] d = depthwise.shape().dims();
        int rows = d[0] * d[1] * d[2];
        Variable pointwise = Ops.reshape(pointwiseKernel.variable(), d[3], filters);
        return Ops.reshape(Ops.matmul(Ops.reshape(depthwise, rows, d[3]), pointwise), d[0], d[1], d[2], filters);
    }
}
