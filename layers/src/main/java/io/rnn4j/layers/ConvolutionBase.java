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
 * What the 1D ({@link Conv1DBase}) and 2D/3D ({@link GridConvBase}) convolutions share, as Keras's
 * BaseConv family does whatever its rank: padding, data_format (channels_first computed as
 * channels_last between two moves of the channels axis, {@link ChannelsFirst}), the bias and its
 * options, the activation ({@code activation(convolution + bias)}), building for the channel axis
 * alone (Keras's input_spec) and dropping an incoming mask with Keras's warning. Package-private:
 * what users see are the public layers and {@link GridConvBase}; the sizes (kernel_size, strides,
 * dilation_rate) stay in the two bases because 1D takes one int and 2D/3D a tuple.
 */
abstract sealed class ConvolutionBase<C extends ConvolutionBase<C>> extends Layer permits Conv1DBase, GridConvBase {
    private final int rank;
    private final Activation activation;
    private String padding = "valid";
    private boolean useBias = true;
    private Initializer biasInitializer = Initializers.zeros();
    private Regularizer biasRegularizer;
    private Constraint biasConstraint;
    /** The move of channels_first's channels axis; null for channels_last. */
    private ChannelsFirst channelsFirst;
    private Weight bias;
    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();

    ConvolutionBase(String kerasPrefix, int rank, Activation activation) {
        super(kerasPrefix);
        this.rank = rank;
        this.activation = Objects.requireNonNull(activation, "activation");
    }

    /** With the activation Keras names ("relu", ...); an unknown name is refused naming this layer. */
    ConvolutionBase(String kerasPrefix, int rank, String activation) {
        super(kerasPrefix);
        this.rank = rank;
        this.activation = Activations.named(activation, name());
    }

    @SuppressWarnings("unchecked")
    final C self() {
        return (C) this;
    }

    // ---- what each layer adds ----

    /** The channels_last input's axes for messages, e.g. "(batch, rows, cols, channels)". */
    abstract String axes();

    /** Whether padding may be "causal" (Conv1D's alone). */
    boolean allowsCausal() {
        return false;
    }

    /** Whether strides and a dilation rate may both be above 1 (the depthwise and separable layers). */
    boolean allowsStridesWithDilation() {
        return false;
    }

    /** Called when built for inputs of {@code channels} channels ({@code in}: the sample shape), before the weights. */
    abstract void prepare(int channels, Shape in);

    /** Adds the layer's kernels, in Keras's order, for inputs of {@code channels} channels. */
    abstract void addKernels(int channels, RandomGenerator random);

    /** The output's channels for inputs of {@code channels}: the bias's size. */
    abstract int outChannels(int channels);

    /** The output's spatial shape for a spatial input of {@code input} (None axes give None). */
    abstract int[] outputSpatial(int[] input);

    /** The convolution of a channels_last input, {@code (batch, new_spatial..., outChannels)}, before bias and activation. */
    abstract Variable convolve(Variable x);

    // ---- the options ----

    /** Keras's padding: "valid", "same" or (Conv1D) "causal". */
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

    /** Whether a bias of one value per output channel is added (Keras's use_bias; true by default). */
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
     * Keras's padding, any case: "valid" (none), "same" (for a convolution {@code ceil(size /
     * strides)} outputs per axis; for a transpose {@code size·strides}) or, for Conv1D only, "causal".
     *
     * @throws IllegalArgumentException for another value, naming this layer and the values it takes
     */
    public final C padding(String p) {
        requireNotBuilt("padding");
        this.padding = Windows.padding(where(), p, allowsCausal());
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

    /** The channel axis of a sample shape in this layer's data_format. */
    private int channelAxis() {
        return channelsFirst == null ? -1 : 0;
    }

    /** The channels of a sample shape in this layer's data_format. */
    final int channelsOf(Shape in) {
        return in.dim(channelAxis());
    }

    @Override
    protected final Shape build(Shape in, RandomGenerator random) {
        requireRank(in, rank + 1, channelsFirst == null ? axes()
                : axes().replace("(batch, ", "(batch, channels, ").replace(", channels)", ")"));
        requireKnown(in, channelAxis(), "to size its kernel");
        int channels = in.dim(channelAxis());
        prepare(channels, in);
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
}
