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
 * What Keras's Conv1D, Conv1DTranspose, DepthwiseConv1D and SeparableConv1D share (Keras repeats
 * it in BaseConv, BaseConvTranspose, BaseDepthwiseConv and BaseSeparableConv): a kernel of
 * kernel_size taps, dilation_rate steps apart, moved by strides steps over {@code (batch, steps,
 * channels)} inputs; padding "valid" or "same" with TensorFlow's split ({@link Windows}), "causal"
 * for Conv1D only; a bias and an activation, {@code activation(convolution + bias)}. Keras 3's
 * defaults: strides 1, padding "valid", dilation_rate 1, linear activation, bias on, zeros bias.
 * Strides and a dilation rate both above 1 are refused, as Keras refuses them, except by
 * DepthwiseConv1D and SeparableConv1D, which Keras 3's TensorFlow backend computes with both.
 *
 * <p>data_format "channels_last" (the default) takes {@code (batch, steps, channels)}; with
 * "channels_first" inputs and outputs are {@code (batch, channels, steps)}, computed as
 * channels_last between two swaps of the last axes ({@link ChannelsFirst}). Like Keras 3's convolutions these do not
 * support masking (an incoming mask is dropped with Keras's warning), and they bind only the
 * channel axis: inputs of any length go through, None steps giving None. Each setter names the
 * layer and the Keras option in its refusals, and refuses to change a built layer.
 *
 * @param <C> the concrete layer, returned by the fluent setters
 */
abstract sealed class Conv1DBase<C extends Conv1DBase<C>> extends Layer
        permits KernelConv1DBase, DepthwiseConv1DBase {
    private final int kernelSize;
    private final Activation activation;
    private int strides = 1;
    private String padding = "valid";
    private int dilationRate = 1;
    private boolean useBias = true;
    private Initializer biasInitializer = Initializers.zeros();
    private Regularizer biasRegularizer;
    private Constraint biasConstraint;
    /** The swap of channels_first's axes; null for channels_last. */
    private ChannelsFirst channelsFirst;
    /** Where the windows of the (forward) convolution with these options fall; made when built. */
    Windows windows;
    private Weight bias;
    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();

    Conv1DBase(String kerasPrefix, int kernelSize, Activation activation) {
        super(kerasPrefix);
        this.kernelSize = Windows.positive(where(), "kernel_size", kernelSize);
        this.activation = Objects.requireNonNull(activation, "activation");
    }

    /** With the activation Keras names ("relu", ...); an unknown name is refused naming this layer. */
    Conv1DBase(String kerasPrefix, int kernelSize, String activation) {
        super(kerasPrefix);
        this.kernelSize = Windows.positive(where(), "kernel_size", kernelSize);
        this.activation = Activations.named(activation, name());
    }

    @SuppressWarnings("unchecked")
    final C self() {
        return (C) this;
    }

    // ---- what each layer adds ----

    /** Whether padding may be "causal" (Conv1D's alone). */
    boolean allowsCausal() {
        return false;
    }

    /** Whether strides and a dilation rate may both be above 1 (the depthwise and separable layers). */
    boolean allowsStridesWithDilation() {
        return false;
    }

    /** Checks, when built for a sample shape {@code in}, what depends on it or on several options together. */
    void checkOptions(Shape in) {
    }

    /** The channels of a sample shape in this layer's data_format. */
    final int channelsOf(Shape in) {
        return in.dim(channelsFirst == null ? -1 : 0);
    }

    /** Adds the layer's kernels, in Keras's order, for inputs of {@code channels} channels. */
    abstract void addKernels(int channels, RandomGenerator random);

    /** The output's channels for inputs of {@code channels}: the bias's size. */
    abstract int outChannels(int channels);

    /** The output steps for a known number of input steps; refuses an input giving none. */
    int outSteps(int steps) {
        return windows.checkedOutSteps(steps);
    }

    /** The convolution of a checked input, {@code (batch, new_steps, outChannels)}, before bias and activation. */
    abstract Variable convolve(Variable x);

    // ---- the options ----

    /** The number of kernel taps, the window length in steps (Keras's kernel_size). */
    public final int kernelSize() {
        return kernelSize;
    }

    /** The step between windows (Keras's strides); Conv1DTranspose's between input steps' places in the output. */
    public final int strides() {
        return strides;
    }

    /** "valid", "same" or (Conv1D) "causal". */
    public final String padding() {
        return padding;
    }

    /** The spacing of the kernel's taps (Keras's dilation_rate). */
    public final int dilationRate() {
        return dilationRate;
    }

    /** The activation applied to the result (Keras's activation; linear by default). */
    public final Activation activation() {
        return activation;
    }

    /** Whether a bias is added (Keras's use_bias; true by default). */
    public final boolean useBias() {
        return useBias;
    }

    /** The bias's initializer (Keras's bias_initializer; zeros by default). */
    public final Initializer biasInitializer() {
        return biasInitializer;
    }

    /** The bias regularizer (Keras's bias_regularizer), or null. */
    public final Regularizer biasRegularizer() {
        return biasRegularizer;
    }

    /** The bias constraint (Keras's bias_constraint), or null. */
    public final Constraint biasConstraint() {
        return biasConstraint;
    }

    /**
     * Keras's strides: the step between windows (for Conv1DTranspose, each input step moves the
     * output on by {@code s} steps).
     *
     * @throws IllegalArgumentException below 1, or above 1 with a dilation rate above 1 where Keras
     *                                  refuses that, naming this layer
     */
    public final C strides(int s) {
        requireNotBuilt("strides");
        Windows.positive(where(), "strides", s);
        if (!allowsStridesWithDilation()) {
            Windows.requireStridesOrDilation(where(), s, dilationRate);
        }
        this.strides = s;
        return self();
    }

    /**
     * Keras's padding, any case: "valid" (none), "same" (for a convolution {@code ceil(steps /
     * strides)} output steps) or, for Conv1D only, "causal".
     *
     * @throws IllegalArgumentException for another value, naming this layer and the values it takes
     */
    public final C padding(String p) {
        requireNotBuilt("padding");
        this.padding = Windows.padding(where(), p, allowsCausal());
        return self();
    }

    /**
     * Keras's dilation_rate: the kernel's taps are {@code d} steps apart.
     *
     * @throws IllegalArgumentException below 1, or above 1 with strides above 1 where Keras refuses
     *                                  that, naming this layer
     */
    public final C dilationRate(int d) {
        requireNotBuilt("dilation_rate");
        Windows.positive(where(), "dilation_rate", d);
        if (!allowsStridesWithDilation()) {
            Windows.requireStridesOrDilation(where(), strides, d);
        }
        this.dilationRate = d;
        return self();
    }

    /** "channels_last" ({@code (batch, steps, channels)}, the default) or "channels_first". */
    public final String dataFormat() {
        return ChannelsFirst.format(channelsFirst);
    }

    /**
     * Keras's data_format, any case: "channels_last" ({@code (batch, steps, channels)}; null too,
     * Keras's default) or "channels_first" ({@code (batch, channels, steps)} in and out).
     *
     * @throws IllegalArgumentException for another value, naming this layer
     */
    public final C dataFormat(String format) {
        requireNotBuilt("data_format");
        this.channelsFirst = ChannelsFirst.of(where(), name(), format, 1);
        return self();
    }

    /** Sets Keras's use_bias: whether a bias of one value per output channel is added. */
    public final C useBias(boolean on) {
        requireNotBuilt("use_bias");
        this.useBias = on;
        return self();
    }

    /** Sets Keras's bias_initializer. */
    public final C biasInitializer(Initializer init) {
        requireNotBuilt("bias_initializer");
        this.biasInitializer = Objects.requireNonNull(init, "bias_initializer");
        return self();
    }

    /** A regularizer of the bias (Keras's bias_regularizer), or null for none. */
    public final C biasRegularizer(Regularizer r) {
        requireNotBuilt("bias_regularizer");
        this.biasRegularizer = r;
        return self();
    }

    /** A constraint on the bias (Keras's bias_constraint), or null for none. */
    public final C biasConstraint(Constraint c) {
        requireNotBuilt("bias_constraint");
        this.biasConstraint = c;
        return self();
    }

    @Override
    public C named(String newName) {
        super.named(newName);
        return self();
    }

    // ---- build and call ----

    @Override
    protected final Shape build(Shape in, RandomGenerator random) {
        requireRank(in, 2, channelsFirst == null ? "(batch, steps, channels)" : "(batch, channels, steps)");
        requireKnown(in, channelsFirst == null ? -1 : 0, "to size its kernel");
        Shape last = channelsFirst == null ? in : ChannelsFirst.swapped(in);
        int channels = last.dim(-1);
        windows = new Windows(where(), kernelSize, strides, dilationRate, padding, Windows.Outside.EXTRA_ROW);
        checkOptions(in);
        Shape out = outputShapeFor(in);
        addKernels(channels, random);
        if (useBias) {
            bias = addWeight("bias", Shape.of(outChannels(channels)), biasInitializer, random, biasRegularizer,
                    biasConstraint, true);
        }
        return out;
    }

    /** Any number of steps; the channels the kernels were built for (Keras's input_spec on the channel axis). */
    @Override
    protected final Shape acceptedShape() {
        return keepingOnly(inputShape(), channelsFirst == null ? -1 : 0);
    }

    /**
     * {@code (new_steps, output channels)} (channels_first: {@code (output channels, new_steps)});
     * None steps stay None; a known length giving no step is refused.
     */
    @Override
    protected final Shape outputShapeFor(Shape in) {
        Shape last = channelsFirst == null ? in : ChannelsFirst.swapped(in);
        int steps = last.dim(0);
        Shape out = Shape.withUnknown(steps == Shape.UNKNOWN ? Shape.UNKNOWN : outSteps(steps),
                outChannels(last.dim(-1)));
        return channelsFirst == null ? out : ChannelsFirst.swapped(out);
    }

    @Override
    protected final Variable forward(Variable x, Tensor mask, CallContext ctx) {
        droppedMask.check(this, mask);
        Variable y = convolve(channelsFirst == null ? x : channelsFirst.swapped(x));
        if (bias != null) {
            y = Ops.add(y, bias.variable());
        }
        y = activation.apply(y);
        return channelsFirst == null ? y : channelsFirst.swapped(y);
    }
}
