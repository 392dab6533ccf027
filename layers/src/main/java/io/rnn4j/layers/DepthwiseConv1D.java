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
 * Keras's DepthwiseConv1D: each input channel convolved on its own with {@code depth_multiplier}
 * kernels, {@code activation(depthwise_conv(x, kernel) + bias)}, giving {@code (batch, new_steps,
 * channels·depth_multiplier)} with output channel {@code c·depth_multiplier + m} from input channel c
 * and kernel m. It is Conv1D with {@code groups = channels}: the same windows, with TensorFlow's
 * padding arithmetic. Weights as Keras 3 names and lays them out: kernel
 * {@code (kernel_size, channels, depth_multiplier)}, bias {@code (channels·depth_multiplier)}.
 *
 * <p>Options and defaults are Keras 3's: strides 1, padding "valid" or "same" (no "causal"),
 * depth_multiplier 1, dilation_rate 1, linear activation, bias on, glorot_uniform depthwise kernel,
 * zeros bias. Strides and a dilation rate may both be above 1: Keras 3's TensorFlow backend computes
 * that as the stride-1 dilated convolution subsampled, which is what the windows here give directly.
 * Only Keras's "channels_last" layout exists here. Like Keras 3's layer it does not support
 * masking (an incoming mask is dropped with Keras's warning), and it binds only the channel axis:
 * None steps give None.
 *
 * <p>Computed as Conv1D's im2col (one gather of every window's rows,
 * {@code (batch·new_steps, kernel_size, channels)}) multiplied by the kernel with broadcasting and
 * summed over the taps: {@code B·new_steps·kernel_size·channels·depth_multiplier} multiply-adds,
 * all channels at once. Conv1D's grouped path would take one gather and one GEMM of inner size
 * kernel_size per channel.
 */
public final class DepthwiseConv1D extends Conv1DBase<DepthwiseConv1D> {
    private int depthMultiplier = 1;
    private Initializer depthwiseInitializer = Initializers.glorotUniform();
    private Regularizer depthwiseRegularizer;
    private Constraint depthwiseConstraint;
    private Weight kernel;

    /** Windows of {@code kernelSize} steps, one kernel per channel, linear activation. */
    public DepthwiseConv1D(int kernelSize) {
        this(kernelSize, Activation.LINEAR);
    }

    /** With an activation applied to the result. */
    public DepthwiseConv1D(int kernelSize, Activation activation) {
        super("depthwise_conv1d", kernelSize, activation);
    }

    /**
     * With the activation Keras calls {@code activation} ("relu", ...).
     *
     * @throws IllegalArgumentException for an unknown name, naming this layer
     */
    public DepthwiseConv1D(int kernelSize, String activation) {
        super("depthwise_conv1d", kernelSize, activation);
    }

    /** How many kernels each input channel gets (Keras's depth_multiplier). */
    public int depthMultiplier() {
        return depthMultiplier;
    }

    /** The kernel's initializer (Keras's depthwise_initializer; glorot_uniform by default). */
    public Initializer depthwiseInitializer() {
        return depthwiseInitializer;
    }

    /** The kernel regularizer (Keras's depthwise_regularizer), or null. */
    public Regularizer depthwiseRegularizer() {
        return depthwiseRegularizer;
    }

    /** The kernel constraint (Keras's depthwise_constraint), or null. */
    public Constraint depthwiseConstraint() {
        return depthwiseConstraint;
    }

    /**
     * Keras's depth_multiplier: the number of kernels per input channel.
     *
     * @throws IllegalArgumentException below 1, naming this layer
     */
    public DepthwiseConv1D depthMultiplier(int m) {
        requireNotBuilt("depth_multiplier");
        this.depthMultiplier = Windows.positive(where(), "depth_multiplier", m);
        return this;
    }

    /** Sets Keras's depthwise_initializer. */
    public DepthwiseConv1D depthwiseInitializer(Initializer init) {
        requireNotBuilt("depthwise_initializer");
        this.depthwiseInitializer = Objects.requireNonNull(init, "depthwise_initializer");
        return this;
    }

    /** A regularizer of the kernel (Keras's depthwise_regularizer), or null for none. */
    public DepthwiseConv1D depthwiseRegularizer(Regularizer r) {
        requireNotBuilt("depthwise_regularizer");
        this.depthwiseRegularizer = r;
        return this;
    }

    /** A constraint on the kernel (Keras's depthwise_constraint), or null for none. */
    public DepthwiseConv1D depthwiseConstraint(Constraint c) {
        requireNotBuilt("depthwise_constraint");
        this.depthwiseConstraint = c;
        return this;
    }

    @Override
    boolean allowsStridesWithDilation() {
        return true;
    }

    @Override
    void addKernels(int channels, RandomGenerator random) {
        kernel = addWeight("kernel", Shape.of(kernelSize(), channels, depthMultiplier), depthwiseInitializer, random,
                depthwiseRegularizer, depthwiseConstraint, true);
    }

    @Override
    int outChannels(int channels) {
        return channels * depthMultiplier;
    }

    @Override
    Variable convolve(Variable x) {
        return depthwise(x, kernel.variable(), windows);
    }

    /**
     * The depthwise convolution of x {@code (batch, steps, channels)} with a kernel
     * {@code (size, channels, multiplier)} over {@code windows}: {@code (batch, new_steps,
     * channels·multiplier)}, channel {@code c·multiplier + m}, no bias. Shared with SeparableConv1D.
     */
    static Variable depthwise(Variable x, Variable kernel, Windows windows) {
        int batch = x.dim(0);
        int steps = windows.checkedOutSteps(x.dim(1));
        int channels = x.dim(2);
        int size = kernel.dim(0);
        int multiplier = kernel.dim(2);
        Windows.Taps taps = windows.taps(x.device(), batch, x.dim(1));
        int rows = batch * steps;
        // (rows, size, channels, 1) · (size, channels, multiplier), summed over the taps: (rows, channels, multiplier).
        Variable cols = Ops.reshape(Conv1D.im2col(x, taps), rows, size, channels, 1);
        Variable y = Ops.sum(Ops.mul(cols, kernel), 1, false);
        return Ops.reshape(y, batch, steps, channels * multiplier);
    }
}
