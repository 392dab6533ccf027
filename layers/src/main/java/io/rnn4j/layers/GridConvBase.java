package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.constraints.Constraint;
import io.rnn4j.layers.initializers.Initializer;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.regularizers.Regularizer;
import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * What Keras's 2D/3D convolutions share (Keras repeats it in BaseConv, BaseConvTranspose,
 * BaseDepthwiseConv and BaseSeparableConv, keras/src/layers/convolutional/): a kernel of
 * kernel_size taps per spatial axis, dilation_rate apart, moved by strides over
 * {@code (batch, spatial..., channels)}; padding "valid" or "same"; a bias and an activation,
 * {@code activation(convolution + bias)}. Each size is one int for every axis or one per axis
 * (Keras's standardize_tuple). Keras 3's defaults: strides 1, "valid", dilation_rate 1, linear
 * activation, bias on, zeros bias. Strides and a dilation rate both above 1 are refused, as Keras
 * refuses them, except by the depthwise and separable layers, which Keras 3's TensorFlow backend
 * computes with both.
 *
 * <p>data_format "channels_first" takes and gives {@code (batch, channels, spatial...)}, computed
 * as channels_last between two moves of the channels axis ({@link ChannelsFirst}). Only the
 * channels axis is bound, as Keras's input_spec: spatial axes may be None (fully convolutional
 * models), None giving None. Like Keras 3's convolutions these do not support masking (an
 * incoming mask is dropped with Keras's warning).
 *
 * @param <C> the concrete layer, returned by the fluent setters
 */
public abstract sealed class GridConvBase<C extends GridConvBase<C>> extends Layer
        permits KernelGridConvBase, DepthwiseConv2DBase {
    private final int rank;
    private final int[] kernelSize;
    private final Activation activation;
    private int[] strides;
    private int[] dilationRate;
    private String padding = "valid";
    private boolean useBias = true;
    private Initializer biasInitializer = Initializers.zeros();
    private Regularizer biasRegularizer;
    private Constraint biasConstraint;
    /** The move of channels_first's channels axis; null for channels_last. */
    private ChannelsFirst channelsFirst;
    private Weight bias;
    /** The windows of the last spatial shape called on. */
    private volatile GridWindows windows;
    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();

    GridConvBase(String kerasPrefix, int rank, int[] kernelSize, Activation activation) {
        super(kerasPrefix);
        this.rank = rank;
        this.kernelSize = GridWindows.tuple(where(), "kernel_size", rank, kernelSize);
        this.strides = GridWindows.tuple(where(), "strides", rank, 1);
        this.dilationRate = GridWindows.tuple(where(), "dilation_rate", rank, 1);
        this.activation = Objects.requireNonNull(activation, "activation");
    }

    @SuppressWarnings("unchecked")
    final C self() {
        return (C) this;
    }

    // ---- what each layer adds ----

    /** The input's axes for messages, e.g. "(batch, rows, cols, channels)". */
    abstract String axes();

    /** Whether strides and a dilation rate may both be above 1 (the depthwise and separable layers). */
    boolean allowsStridesWithDilation() {
        return false;
    }

    /** Checks, when built for inputs of {@code channels} channels ({@code in}: the sample shape), what depends on it. */
    void checkOptions(int channels, Shape in) {
    }

    /** Adds the layer's kernels, in Keras's order, for inputs of {@code channels} channels. */
    abstract void addKernels(int channels, RandomGenerator random);

    /** The output's channels for inputs of {@code channels}: the bias's size. */
    abstract int outChannels(int channels);

    /**
     * The output's spatial shape for a spatial input of {@code input} (None axes give None): the
     * windows' count per axis, as Keras's compute_conv_output_shape; the transposes override it.
     */
    int[] outputSpatial(int[] input) {
        return GridWindows.outputFor(where(), input, kernelSize, strides, dilationRate, padding);
    }

    /** The convolution of a channels_last input, {@code (batch, new_spatial..., outChannels)}, before bias and activation. */
    abstract Variable convolve(Variable x);

    // ---- the options ----

    /** The number of spatial axes (Keras's rank). */
    public final int rank() {
        return rank;
    }

    /** The window's size per spatial axis (Keras's kernel_size); a copy. */
    public final int[] kernelSize() {
        return kernelSize.clone();
    }

    /** The step between windows per spatial axis (Keras's strides); a copy. */
    public final int[] strides() {
        return strides.clone();
    }

    /** The spacing of the kernel's taps per spatial axis (Keras's dilation_rate); a copy. */
    public final int[] dilationRate() {
        return dilationRate.clone();
    }

    /** "valid" or "same". */
    public final String padding() {
        return padding;
    }

    /** "channels_last" (the default) or "channels_first". */
    public final String dataFormat() {
        return ChannelsFirst.format(channelsFirst);
    }

    /** The activation applied to the result (Keras's activation; linear by default). */
    public final Activation activation() {
        return activation;
    }

    /** Whether a bias is added (Keras's use_bias; true by default). */
    public final boolean useBias() {
        return useBias;
    }

    /** Keras's bias_initializer (zeros by default). */
    public final Initializer biasInitializer() {
        return biasInitializer;
    }

    /** Keras's bias_regularizer, or null. */
    public final Regularizer biasRegularizer() {
        return biasRegularizer;
    }

    /** Keras's bias_constraint, or null. */
    public final Constraint biasConstraint() {
        return biasConstraint;
    }

    /**
     * Keras's strides: one step for every spatial axis, or one per axis.
     *
     * @throws IllegalArgumentException below 1, another count, or above 1 with a dilation rate above
     *                                  1 where Keras refuses that, naming this layer
     */
    public final C strides(int... s) {
        requireNotBuilt("strides");
        int[] t = GridWindows.tuple(where(), "strides", rank, s);
        if (!allowsStridesWithDilation()) {
            GridWindows.requireStridesOrDilation(where(), t, dilationRate);
        }
        this.strides = t;
        return self();
    }

    /**
     * Keras's dilation_rate: one spacing of the kernel's taps for every spatial axis, or one per axis.
     *
     * @throws IllegalArgumentException below 1, another count, or above 1 with strides above 1 where
     *                                  Keras refuses that, naming this layer
     */
    public final C dilationRate(int... d) {
        requireNotBuilt("dilation_rate");
        int[] t = GridWindows.tuple(where(), "dilation_rate", rank, d);
        if (!allowsStridesWithDilation()) {
            GridWindows.requireStridesOrDilation(where(), strides, t);
        }
        this.dilationRate = t;
        return self();
    }

    /**
     * Keras's padding, any case: "valid" (none) or "same" (for a convolution {@code ceil(size /
     * strides)} outputs per axis; for a transpose {@code size·strides}).
     *
     * @throws IllegalArgumentException for another value ("causal" too, which Keras allows in 1D only)
     */
    public final C padding(String p) {
        requireNotBuilt("padding");
        this.padding = Windows.padding(where(), p, false);
        return self();
    }

    /**
     * Keras's data_format, any case: "channels_last" ({@code (batch, spatial..., channels)}; null
     * too, Keras's default) or "channels_first" ({@code (batch, channels, spatial...)} in and out).
     *
     * @throws IllegalArgumentException for another value, naming this layer
     */
    public final C dataFormat(String format) {
        requireNotBuilt("data_format");
        this.channelsFirst = ChannelsFirst.of(where(), name(), format, rank);
        return self();
    }

    /** Sets Keras's use_bias. */
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

    /** Sets Keras's bias_regularizer (null for none). */
    public final C biasRegularizer(Regularizer r) {
        requireNotBuilt("bias_regularizer");
        this.biasRegularizer = r;
        return self();
    }

    /** Sets Keras's bias_constraint (null for none). */
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

    private int channelAxis() {
        return channelsFirst == null ? -1 : 0;
    }

    @Override
    protected final Shape build(Shape in, RandomGenerator random) {
        requireRank(in, rank + 1, channelsFirst == null ? axes()
                : axes().replace("(batch, ", "(batch, channels, ").replace(", channels)", ")"));
        requireKnown(in, channelAxis(), "to size its kernel");
        int channels = in.dim(channelAxis());
        checkOptions(channels, in);
        Shape out = outputShapeFor(in);
        addKernels(channels, random);
        if (useBias) {
            bias = addWeight("bias", Shape.of(outChannels(channels)), biasInitializer, random, biasRegularizer,
                    biasConstraint, true);
        }
        return out;
    }

    /** Any spatial sizes; the channels the kernel was built for (Keras's input_spec on the channel axis). */
    @Override
    protected final Shape acceptedShape() {
        return keepingOnly(inputShape(), channelAxis());
    }

    /** {@code (new_spatial..., output channels)} (channels_first: channels first); None axes stay None. */
    @Override
    protected final Shape outputShapeFor(Shape in) {
        Shape last = channelsFirst == null ? in : ChannelsFirst.toLast(in);
        int[] d = Arrays.copyOf(outputSpatial(Arrays.copyOf(last.dims(), rank)), rank + 1);
        d[rank] = outChannels(last.dim(rank));
        Shape out = Shape.withUnknown(d);
        return channelsFirst == null ? out : ChannelsFirst.toFirst(out);
    }

    @Override
    protected final Variable forward(Variable x, Tensor mask, CallContext ctx) {
        droppedMask.check(this, mask);
        Variable y = convolve(channelsFirst == null ? x : channelsFirst.toLast(x));
        if (bias != null) {
            y = Ops.add(y, bias.variable());
        }
        y = activation.apply(y);
        return channelsFirst == null ? y : channelsFirst.toFirst(y);
    }

    /** The windows for a channels_last input's spatial shape: the last ones, or new ones kept for next time. */
    final GridWindows windowsFor(Variable x) {
        int[] spatial = Arrays.copyOfRange(x.shape().dims(), 1, rank + 1);
        GridWindows w = windows;
        if (w == null || !w.fits(spatial)) {
            w = new GridWindows(where(), spatial, kernelSize, strides, dilationRate, padding);
            windows = w;
        }
        return w;
    }
}
