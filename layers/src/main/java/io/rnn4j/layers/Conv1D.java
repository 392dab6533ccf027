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
 * Keras's Conv1D: a temporal convolution (a cross-correlation, as Keras's) over
 * {@code (batch, steps, channels)} inputs, {@code activation(conv(x, kernel) + bias)}, giving
 * {@code (batch, new_steps, filters)}. Weights: kernel {@code (kernel_size, channels / groups,
 * filters)}, bias {@code (filters)}, as Keras lays them out.
 *
 * <p>Options and defaults are Keras 3's: strides 1, padding "valid" ("same": TensorFlow's split,
 * the extra step of padding on the right; "causal": {@code (kernel_size - 1)·dilation_rate} steps on
 * the left, so that output t sees no input after t), dilation_rate 1 (a stride and a dilation rate
 * both above 1 are refused, as Keras does), groups 1 (input channels and filters split into that
 * many independent convolutions), linear activation, bias on, glorot_uniform kernel, zeros bias.
 * Only Keras's "channels_last" layout exists here. Like Keras 3's Conv1D it drops an incoming mask
 * with Keras's warning (it does not support masking) and binds only the channel axis: inputs of any length go through,
 * None steps giving None.
 *
 * <p>With strides 1 and one group (the common case) computed as one GEMM per kernel tap, each over
 * the padded input shifted by that tap, into one result ({@link Ops#conv1d}): about the cost of
 * one GEMM, no copy of the input per tap. Otherwise as im2col and one GEMM (per group): the
 * input's rows (plus a zero row for the padding) are gathered into
 * {@code (batch·new_steps, kernel_size·channels)} and multiplied by the kernel viewed as
 * {@code (kernel_size·channels, filters)}; backward is the GEMM's and a scatter-add. That copies
 * each input value about {@code kernel_size / strides} times.
 */
public final class Conv1D extends Layer {
    private final int filters;
    private final int kernelSize;
    private final Activation activation;
    private int strides = 1;
    private String padding = "valid";
    private int dilationRate = 1;
    private int groups = 1;
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializers.glorotUniform();
    private Initializer biasInitializer = Initializers.zeros();
    private Regularizer kernelRegularizer;
    private Regularizer biasRegularizer;
    private Constraint kernelConstraint;
    private Constraint biasConstraint;
    private Weight kernel;
    private Weight bias;
    private Windows windows;
    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();

    /** {@code filters} output channels from windows of {@code kernelSize} steps, linear activation. */
    public Conv1D(int filters, int kernelSize) {
        this(filters, kernelSize, Activation.LINEAR);
    }

    /** With an activation applied to the result. */
    public Conv1D(int filters, int kernelSize, Activation activation) {
        super("conv1d");
        this.filters = Windows.positive(where(), "filters", filters);
        this.kernelSize = Windows.positive(where(), "kernel_size", kernelSize);
        this.activation = Objects.requireNonNull(activation, "activation");
    }

    /**
     * With the activation Keras calls {@code activation} ("relu", ...).
     *
     * @throws IllegalArgumentException for an unknown name, naming this layer
     */
    public Conv1D(int filters, int kernelSize, String activation) {
        super("conv1d");
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

    /** "valid", "same" or "causal". */
    public String padding() {
        return padding;
    }

    /** The spacing of the kernel's taps (Keras's dilation_rate). */
    public int dilationRate() {
        return dilationRate;
    }

    /** How many independent channel groups the convolution is split into (Keras's groups). */
    public int groups() {
        return groups;
    }

    /** The activation applied to the result (Keras's activation; linear by default). */
    public Activation activation() {
        return activation;
    }

    /** Whether a bias is added (Keras's use_bias; true by default). */
    public boolean useBias() {
        return useBias;
    }

    /** The kernel's initializer (Keras's kernel_initializer; glorot_uniform by default). */
    public Initializer kernelInitializer() {
        return kernelInitializer;
    }

    /** The bias's initializer (Keras's bias_initializer; zeros by default). */
    public Initializer biasInitializer() {
        return biasInitializer;
    }

    /** The kernel regularizer, or null. */
    public Regularizer kernelRegularizer() {
        return kernelRegularizer;
    }

    /** The bias regularizer, or null. */
    public Regularizer biasRegularizer() {
        return biasRegularizer;
    }

    /** The kernel constraint, or null. */
    public Constraint kernelConstraint() {
        return kernelConstraint;
    }

    /** The bias constraint, or null. */
    public Constraint biasConstraint() {
        return biasConstraint;
    }

    /**
     * Keras's strides: the step between windows.
     *
     * @throws IllegalArgumentException below 1, or above 1 with a dilation rate above 1 (as Keras)
     */
    public Conv1D strides(int s) {
        requireNotBuilt("strides");
        Windows.positive(where(), "strides", s);
        requireNotBoth(s, dilationRate);
        this.strides = s;
        return this;
    }

    /**
     * Keras's padding: "valid" (none), "same" (output steps {@code ceil(steps / strides)}) or
     * "causal"; any case, as Keras.
     *
     * @throws IllegalArgumentException for another value, naming this layer
     */
    public Conv1D padding(String p) {
        requireNotBuilt("padding");
        this.padding = Windows.padding(where(), p, true);
        return this;
    }

    /**
     * Keras's dilation_rate: the kernel's taps read every {@code d}-th step.
     *
     * @throws IllegalArgumentException below 1, or above 1 with strides above 1 (as Keras)
     */
    public Conv1D dilationRate(int d) {
        requireNotBuilt("dilation_rate");
        Windows.positive(where(), "dilation_rate", d);
        requireNotBoth(strides, d);
        this.dilationRate = d;
        return this;
    }

    private void requireNotBoth(int s, int d) {
        if (s > 1 && d > 1) {
            throw new IllegalArgumentException(where() + ": strides > 1 is not supported together with "
                    + "dilation_rate > 1 (as in Keras), got strides=" + s + " and dilation_rate=" + d);
        }
    }

    /**
     * Keras's groups: the input channels and the filters are split into {@code g} groups, each
     * convolved on its own; both must be divisible by it.
     *
     * @throws IllegalArgumentException below 1 or not dividing filters, naming this layer
     */
    public Conv1D groups(int g) {
        requireNotBuilt("groups");
        Windows.positive(where(), "groups", g);
        if (filters % g != 0) {
            throw new IllegalArgumentException(where() + ": filters must be divisible by groups, got filters="
                    + filters + " and groups=" + g);
        }
        this.groups = g;
        return this;
    }

    /** Sets Keras's use_bias: whether a bias of {@code filters} values is added. */
    public Conv1D useBias(boolean on) {
        requireNotBuilt("use_bias");
        this.useBias = on;
        return this;
    }

    /** Sets Keras's kernel_initializer. */
    public Conv1D kernelInitializer(Initializer init) {
        requireNotBuilt("kernel_initializer");
        this.kernelInitializer = Objects.requireNonNull(init, "kernel_initializer");
        return this;
    }

    /** Sets Keras's bias_initializer. */
    public Conv1D biasInitializer(Initializer init) {
        requireNotBuilt("bias_initializer");
        this.biasInitializer = Objects.requireNonNull(init, "bias_initializer");
        return this;
    }

    /** A regularizer of the kernel, or null for none. */
    public Conv1D kernelRegularizer(Regularizer r) {
        requireNotBuilt("kernel_regularizer");
        this.kernelRegularizer = r;
        return this;
    }

    /** A regularizer of the bias, or null for none. */
    public Conv1D biasRegularizer(Regularizer r) {
        requireNotBuilt("bias_regularizer");
        this.biasRegularizer = r;
        return this;
    }

    /** A constraint on the kernel, or null for none. */
    public Conv1D kernelConstraint(Constraint c) {
        requireNotBuilt("kernel_constraint");
        this.kernelConstraint = c;
        return this;
    }

    /** A constraint on the bias, or null for none. */
    public Conv1D biasConstraint(Constraint c) {
        requireNotBuilt("bias_constraint");
        this.biasConstraint = c;
        return this;
    }

    @Override
    public Conv1D named(String newName) {
        super.named(newName);
        return this;
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        requireRank(in, 2, "(batch, steps, channels)");
        requireKnown(in, -1, "to size its kernel");
        int channels = in.dim(-1);
        if (channels % groups != 0) {
            throw new IllegalArgumentException(where() + ": the input's channels must be divisible by groups, got "
                    + channels + " channels (input " + batchless(in) + ") and groups=" + groups);
        }
        windows = new Windows(where(), kernelSize, strides, dilationRate, padding, Windows.Outside.EXTRA_ROW);
        Shape out = outputShapeFor(in);
        kernel = addWeight("kernel", Shape.of(kernelSize, channels / groups, filters), kernelInitializer, random,
                kernelRegularizer, kernelConstraint, true);
        if (useBias) {
            bias = addWeight("bias", Shape.of(filters), biasInitializer, random, biasRegularizer, biasConstraint,
                    true);
        }
        return out;
    }

    /** Any number of steps; the channels the kernel was built for (Keras's input_spec {-1: channels}). */
    @Override
    protected Shape acceptedShape() {
        return keepingOnly(inputShape(), -1);
    }

    /** {@code (new_steps, filters)}; None steps stay None; a known length giving no step is refused. */
    @Override
    protected Shape outputShapeFor(Shape in) {
        int steps = in.dim(0);
        return Shape.withUnknown(steps == Shape.UNKNOWN ? Shape.UNKNOWN : windows.checkedOutSteps(steps), filters);
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        droppedMask.check(this, mask);
        Variable y = strides == 1 && groups == 1 ? shifted(x) : im2colProduct(x);
        if (bias != null) {
            y = Ops.add(y, bias.variable());
        }
        return activation.apply(y);
    }

    /**
     * The convolution as one GEMM per kernel tap over shifted views of the padded input
     * ({@link Ops#conv1d}): {@code (batch, new_steps, filters)}, no bias. Stride 1, one group only.
     */
    Variable shifted(Variable x) {
        int steps = x.dim(1);
        int out = windows.checkedOutSteps(steps);
        int left = windows.padLeft(steps);
        int right = out + (kernelSize - 1) * dilationRate - steps - left;
        return Ops.conv1d(x, kernel.variable(), dilationRate, left, right);
    }

    /**
     * The convolution as im2col and one GEMM per group (any strides and groups):
     * {@code (batch, new_steps, filters)}, no bias.
     */
    Variable im2colProduct(Variable x) {
        int batch = x.dim(0);
        int steps = x.dim(1);
        Windows.Taps taps = windows.taps(x.device(), batch, steps);
        Variable y;
        if (groups == 1) {
            y = Ops.matmul(im2col(x, taps), Ops.reshape(kernel.variable(), -1, filters));
        } else {
            // One GEMM per group, on its slice of the channels and of the filters.
            int c = x.dim(2) / groups;
            int f = filters / groups;
            Variable[] parts = new Variable[groups];
            for (int g = 0; g < groups; g++) {
                Variable w = Ops.reshape(Ops.slice(kernel.variable(), 2, g * f, f), -1, f);
                parts[g] = Ops.matmul(im2col(Ops.slice(x, 2, g * c, c), taps), w);
            }
            y = Ops.concat(1, parts);
        }
        return Ops.reshape(y, batch, windows.outSteps(steps), filters);
    }

    /** Each window's input rows side by side: {@code (batch·new_steps, kernel_size·channels)}. */
    static Variable im2col(Variable x, Windows.Taps taps) {
        // Sizes spelled out, no -1: that cannot be inferred from 0 elements (an empty batch or input).
        int channels = x.dim(2);
        Variable table = Ops.reshape(x, x.dim(0) * x.dim(1), channels);
        if (taps.readsPadding()) {
            table = Ops.concat(0, table, Variable.constant(x.device().zeros(1, channels)));
        }
        Tensor idx = taps.indices();
        return Ops.reshape(Ops.gather(table, idx), idx.dim(0), idx.dim(1) * channels);
    }
}
