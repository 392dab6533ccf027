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
public final class DepthwiseConv1D extends Layer {
    private final int kernelSize;
    private final Activation activation;
    private int strides = 1;
    private String padding = "valid";
    private int depthMultiplier = 1;
    private int dilationRate = 1;
    private boolean useBias = true;
    private Initializer depthwiseInitializer = Initializers.glorotUniform();
    private Initializer biasInitializer = Initializers.zeros();
    private Regularizer depthwiseRegularizer;
    private Regularizer biasRegularizer;
    private Constraint depthwiseConstraint;
    private Constraint biasConstraint;
    private Weight kernel;
    private Weight bias;
    private Windows windows;
    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();

    /** Windows of {@code kernelSize} steps, one kernel per channel, linear activation. */
    public DepthwiseConv1D(int kernelSize) {
        this(kernelSize, Activation.LINEAR);
    }

    /** With an activation applied to the result. */
    public DepthwiseConv1D(int kernelSize, Activation activation) {
        super("depthwise_conv1d");
        this.kernelSize = Windows.positive(where(), "kernel_size", kernelSize);
        this.activation = Objects.requireNonNull(activation, "activation");
    }

    /**
     * With the activation Keras calls {@code activation} ("relu", ...).
     *
     * @throws IllegalArgumentException for an unknown name, naming this layer
     */
    public DepthwiseConv1D(int kernelSize, String activation) {
        super("depthwise_conv1d");
        this.kernelSize = Windows.positive(where(), "kernel_size", kernelSize);
        this.activation = Activations.named(activation, name());
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

    /** How many kernels each input channel gets (Keras's depth_multiplier). */
    public int depthMultiplier() {
        return depthMultiplier;
    }

    /** The spacing of the kernel's taps (Keras's dilation_rate). */
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

    /** The kernel's initializer (Keras's depthwise_initializer; glorot_uniform by default). */
    public Initializer depthwiseInitializer() {
        return depthwiseInitializer;
    }

    /** The bias's initializer (Keras's bias_initializer; zeros by default). */
    public Initializer biasInitializer() {
        return biasInitializer;
    }

    /** The kernel regularizer (Keras's depthwise_regularizer), or null. */
    public Regularizer depthwiseRegularizer() {
        return depthwiseRegularizer;
    }

    /** The bias regularizer, or null. */
    public Regularizer biasRegularizer() {
        return biasRegularizer;
    }

    /** The kernel constraint (Keras's depthwise_constraint), or null. */
    public Constraint depthwiseConstraint() {
        return depthwiseConstraint;
    }

    /** The bias constraint, or null. */
    public Constraint biasConstraint() {
        return biasConstraint;
    }

    /**
     * Keras's strides: the step between windows.
     *
     * @throws IllegalArgumentException below 1, naming this layer
     */
    public DepthwiseConv1D strides(int s) {
        requireNotBuilt("strides");
        this.strides = Windows.positive(where(), "strides", s);
        return this;
    }

    /**
     * Keras's padding: "valid" or "same" (output steps {@code ceil(steps / strides)}), any case.
     *
     * @throws IllegalArgumentException for another value ("causal" included), naming this layer
     */
    public DepthwiseConv1D padding(String p) {
        requireNotBuilt("padding");
        this.padding = Windows.padding(where(), p, false);
        return this;
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

    /**
     * Keras's dilation_rate: the kernel's taps read every {@code d}-th step.
     *
     * @throws IllegalArgumentException below 1, naming this layer
     */
    public DepthwiseConv1D dilationRate(int d) {
        requireNotBuilt("dilation_rate");
        this.dilationRate = Windows.positive(where(), "dilation_rate", d);
        return this;
    }

    /** Sets Keras's use_bias: whether a bias of {@code channels·depth_multiplier} values is added. */
    public DepthwiseConv1D useBias(boolean on) {
        requireNotBuilt("use_bias");
        this.useBias = on;
        return this;
    }

    /** Sets Keras's depthwise_initializer. */
    public DepthwiseConv1D depthwiseInitializer(Initializer init) {
        requireNotBuilt("depthwise_initializer");
        this.depthwiseInitializer = Objects.requireNonNull(init, "depthwise_initializer");
        return this;
    }

    /** Sets Keras's bias_initializer. */
    public DepthwiseConv1D biasInitializer(Initializer init) {
        requireNotBuilt("bias_initializer");
        this.biasInitializer = Objects.requireNonNull(init, "bias_initializer");
        return this;
    }

    /** A regularizer of the kernel (Keras's depthwise_regularizer), or null for none. */
    public DepthwiseConv1D depthwiseRegularizer(Regularizer r) {
        requireNotBuilt("depthwise_regularizer");
        this.depthwiseRegularizer = r;
        return this;
    }

    /** A regularizer of the bias, or null for none. */
    public DepthwiseConv1D biasRegularizer(Regularizer r) {
        requireNotBuilt("bias_regularizer");
        this.biasRegularizer = r;
        return this;
    }

    /** A constraint on the kernel (Keras's depthwise_constraint), or null for none. */
    public DepthwiseConv1D depthwiseConstraint(Constraint c) {
        requireNotBuilt("depthwise_constraint");
        this.depthwiseConstraint = c;
        return this;
    }

    /** A constraint on the bias, or null for none. */
    public DepthwiseConv1D biasConstraint(Constraint c) {
        requireNotBuilt("bias_constraint");
        this.biasConstraint = c;
        return this;
    }

    @Override
    public DepthwiseConv1D named(String newName) {
        super.named(newName);
        return this;
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        requireRank(in, 2, "(batch, steps, channels)");
        requireKnown(in, -1, "to size its kernel");
        int channels = in.dim(-1);
        windows = new Windows(where(), kernelSize, strides, dilationRate, padding, Windows.Outside.EXTRA_ROW);
        Shape out = outputShapeFor(in);
        kernel = addWeight("kernel", Shape.of(kernelSize, channels, depthMultiplier), depthwiseInitializer, random,
                depthwiseRegularizer, depthwiseConstraint, true);
        if (useBias) {
            bias = addWeight("bias", Shape.of(channels * depthMultiplier), biasInitializer, random, biasRegularizer,
                    biasConstraint, true);
        }
        return out;
    }

    /** Any number of steps; the channels the kernel was built for (Keras's input_spec {-1: channels}). */
    @Override
    protected Shape acceptedShape() {
        return keepingOnly(inputShape(), -1);
    }

    /** {@code (new_steps, channels·depth_multiplier)}; None steps stay None; a length giving no step is refused. */
    @Override
    protected Shape outputShapeFor(Shape in) {
        int steps = in.dim(0);
        return Shape.withUnknown(steps == Shape.UNKNOWN ? Shape.UNKNOWN : windows.checkedOutSteps(steps),
                in.dim(-1) * depthMultiplier);
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        droppedMask.check(this, mask);
        Variable y = depthwise(x, kernel.variable(), windows);
        if (bias != null) {
            y = Ops.add(y, bias.variable());
        }
        return activation.apply(y);
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
