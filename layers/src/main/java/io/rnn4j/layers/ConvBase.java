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
 * What Keras's Conv2D and Conv3D share (Keras's BaseConv, keras/src/layers/convolutional/
 * base_conv.py): {@code filters} kernels of kernel_size, dilation_rate apart, moved by strides over
 * {@code (batch, spatial..., channels)}, {@code activation(conv(x, kernel) + bias)} (a
 * cross-correlation, as Keras's). Each size is one int for every axis or one per axis (Keras's
 * standardize_tuple). Padding "valid" or "same" (TensorFlow's split per axis, the odd pixel of
 * padding after); groups split the channels and the filters into independent convolutions.
 * Keras 3's defaults: strides 1, "valid", dilation_rate 1, groups 1, linear activation, bias on,
 * glorot_uniform kernel, zeros bias. Strides and a dilation rate both above 1 are refused, as
 * Keras refuses them. Weights: kernel {@code (kernel_size..., channels / groups, filters)} and bias
 * {@code (filters)}, Keras's layout and order.
 *
 * <p>data_format "channels_first" takes and gives {@code (batch, channels, spatial...)}, computed
 * as channels_last between two moves of the channels axis ({@link ChannelsFirst}). Only the
 * channels axis is bound, as Keras's input_spec: spatial axes may be None (fully convolutional
 * models), the windows placed for each input shape when it comes and kept for the last one. Like
 * Keras 3's convolutions these do not support masking (an incoming mask is dropped with Keras's
 * warning).
 *
 * <p>Cost ({@link GridWindows}): an im2col gather of {@code n·outputs·taps·channels} floats and a
 * GEMM of {@code 2·n·outputs·taps·(channels / groups)·filters} flops (per group:
 * {@code 1 / groups} of it), then the bias and activation over {@code n·outputs·filters};
 * backward twice the GEMM and a scatter-add of the gathered size. channels_first adds a copy of
 * the input and of the output each way.
 *
 * @param <C> the concrete layer, returned by the fluent setters
 */
public abstract sealed class ConvBase<C extends ConvBase<C>> extends Layer permits Conv2D, Conv3D {
    private final int rank;
    private final int filters;
    private final int[] kernelSize;
    private final Activation activation;
    private int[] strides;
    private int[] dilationRate;
    private String padding = "valid";
    private int groups = 1;
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializers.glorotUniform();
    private Initializer biasInitializer = Initializers.zeros();
    private Regularizer kernelRegularizer;
    private Regularizer biasRegularizer;
    private Constraint kernelConstraint;
    private Constraint biasConstraint;
    /** The move of channels_first's channels axis; null for channels_last. */
    private ChannelsFirst channelsFirst;
    private Weight kernel;
    private Weight bias;
    /** The windows of the last spatial shape called on. */
    private volatile GridWindows windows;
    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();

    ConvBase(String kerasPrefix, int rank, int filters, int[] kernelSize, Activation activation) {
        super(kerasPrefix);
        this.rank = rank;
        this.filters = Windows.positive(where(), "filters", filters);
        this.kernelSize = GridWindows.tuple(where(), "kernel_size", rank, kernelSize);
        this.strides = GridWindows.tuple(where(), "strides", rank, 1);
        this.dilationRate = GridWindows.tuple(where(), "dilation_rate", rank, 1);
        this.activation = Objects.requireNonNull(activation, "activation");
    }

    @SuppressWarnings("unchecked")
    private C self() {
        return (C) this;
    }

    /** The input's axes for messages, e.g. "(batch, rows, cols, channels)". */
    abstract String axes();

    // ---- the options ----

    /** The number of spatial axes (Keras's rank). */
    public final int rank() {
        return rank;
    }

    /** The number of output channels (Keras's filters). */
    public final int filters() {
        return filters;
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

    /** How many independent channel groups the convolution is split into (Keras's groups). */
    public final int groups() {
        return groups;
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

    /** Keras's kernel_initializer (glorot_uniform by default). */
    public final Initializer kernelInitializer() {
        return kernelInitializer;
    }

    /** Keras's bias_initializer (zeros by default). */
    public final Initializer biasInitializer() {
        return biasInitializer;
    }

    /** Keras's kernel_regularizer, or null. */
    public final Regularizer kernelRegularizer() {
        return kernelRegularizer;
    }

    /** Keras's bias_regularizer, or null. */
    public final Regularizer biasRegularizer() {
        return biasRegularizer;
    }

    /** Keras's kernel_constraint, or null. */
    public final Constraint kernelConstraint() {
        return kernelConstraint;
    }

    /** Keras's bias_constraint, or null. */
    public final Constraint biasConstraint() {
        return biasConstraint;
    }

    /**
     * Keras's strides: one step for every spatial axis, or one per axis.
     *
     * @throws IllegalArgumentException below 1, another count, or above 1 with a dilation rate above
     *                                  1 (as Keras), naming this layer
     */
    public final C strides(int... s) {
        requireNotBuilt("strides");
        int[] t = GridWindows.tuple(where(), "strides", rank, s);
        GridWindows.requireStridesOrDilation(where(), t, dilationRate);
        this.strides = t;
        return self();
    }

    /**
     * Keras's dilation_rate: one spacing of the kernel's taps for every spatial axis, or one per axis.
     *
     * @throws IllegalArgumentException below 1, another count, or above 1 with strides above 1 (as
     *                                  Keras), naming this layer
     */
    public final C dilationRate(int... d) {
        requireNotBuilt("dilation_rate");
        int[] t = GridWindows.tuple(where(), "dilation_rate", rank, d);
        GridWindows.requireStridesOrDilation(where(), strides, t);
        this.dilationRate = t;
        return self();
    }

    /**
     * Keras's padding, any case: "valid" (none) or "same" ({@code ceil(size / strides)} outputs per axis).
     *
     * @throws IllegalArgumentException for another value ("causal" too, which Keras allows in 1D only)
     */
    public final C padding(String p) {
        requireNotBuilt("padding");
        this.padding = Windows.padding(where(), p, false);
        return self();
    }

    /**
     * Keras's groups: the input channels and the filters are split into {@code g} groups, each
     * convolved on its own; both must be divisible by it (the channels are checked when built).
     *
     * @throws IllegalArgumentException below 1 or not dividing filters, naming this layer
     */
    public final C groups(int g) {
        requireNotBuilt("groups");
        Windows.positive(where(), "groups", g);
        if (filters % g != 0) {
            throw new IllegalArgumentException(where() + ": filters must be divisible by groups, got filters="
                    + filters + " and groups=" + g);
        }
        this.groups = g;
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

    /** Sets Keras's kernel_initializer. */
    public final C kernelInitializer(Initializer init) {
        requireNotBuilt("kernel_initializer");
        this.kernelInitializer = Objects.requireNonNull(init, "kernel_initializer");
        return self();
    }

    /** Sets Keras's bias_initializer. */
    public final C biasInitializer(Initializer init) {
        requireNotBuilt("bias_initializer");
        this.biasInitializer = Objects.requireNonNull(init, "bias_initializer");
        return self();
    }

    /** Sets Keras's kernel_regularizer (null for none). */
    public final C kernelRegularizer(Regularizer r) {
        requireNotBuilt("kernel_regularizer");
        this.kernelRegularizer = r;
        return self();
    }

    /** Sets Keras's bias_regularizer (null for none). */
    public final C biasRegularizer(Regularizer r) {
        requireNotBuilt("bias_regularizer");
        this.biasRegularizer = r;
        return self();
    }

    /** Sets Keras's kernel_constraint (null for none). */
    public final C kernelConstraint(Constraint c) {
        requireNotBuilt("kernel_constraint");
        this.kernelConstraint = c;
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
        if (channels % groups != 0) {
            throw new IllegalArgumentException(where() + ": the input's channels must be divisible by groups, got "
                    + channels + " channels (input " + batchless(in) + ") and groups=" + groups);
        }
        Shape out = outputShapeFor(in);
        int[] k = Arrays.copyOf(kernelSize, rank + 2);
        k[rank] = channels / groups;
        k[rank + 1] = filters;
        kernel = addWeight("kernel", Shape.of(k), kernelInitializer, random, kernelRegularizer, kernelConstraint, true);
        if (useBias) {
            bias = addWeight("bias", Shape.of(filters), biasInitializer, random, biasRegularizer, biasConstraint, true);
        }
        return out;
    }

    /** Any spatial sizes; the channels the kernel was built for (Keras's input_spec on the channel axis). */
    @Override
    protected final Shape acceptedShape() {
        return keepingOnly(inputShape(), channelAxis());
    }

    /** {@code (new_spatial..., filters)} (channels_first: filters first); None axes stay None. */
    @Override
    protected final Shape outputShapeFor(Shape in) {
        Shape last = channelsFirst == null ? in : ChannelsFirst.toLast(in);
        int[] d = Arrays.copyOf(GridWindows.outputFor(where(), Arrays.copyOf(last.dims(), rank), kernelSize, strides,
                dilationRate, padding), rank + 1);
        d[rank] = filters;
        Shape out = Shape.withUnknown(d);
        return channelsFirst == null ? out : ChannelsFirst.toFirst(out);
    }

    @Override
    protected final Variable forward(Variable x, Tensor mask, CallContext ctx) {
        droppedMask.check(this, mask);
        Variable in = channelsFirst == null ? x : channelsFirst.toLast(x);
        Variable y = windowsFor(in).convolve(in, kernel.variable(), groups);
        if (bias != null) {
            y = Ops.add(y, bias.variable());
        }
        y = activation.apply(y);
        return channelsFirst == null ? y : channelsFirst.toFirst(y);
    }

    /** The windows for a channels_last input's spatial shape: the last ones, or new ones kept for next time. */
    private GridWindows windowsFor(Variable x) {
        int[] spatial = Arrays.copyOfRange(x.shape().dims(), 1, rank + 1);
        GridWindows w = windows;
        if (w == null || !w.fits(spatial)) {
            w = new GridWindows(where(), spatial, kernelSize, strides, dilationRate, padding);
            windows = w;
        }
        return w;
    }
}
