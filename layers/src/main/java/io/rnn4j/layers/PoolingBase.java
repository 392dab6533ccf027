package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * What Keras's MaxPooling2D/3D and AveragePooling2D/3D share (Keras's BasePooling,
 * keras/src/layers/pooling/base_pooling.py): windows of pool_size every strides (by default
 * pool_size), each an int for every spatial axis or one per axis, over {@code (batch, spatial...,
 * channels)} ("channels_last", the default) or {@code (batch, channels, spatial...)}, each channel
 * on its own; padding "valid" or "same" with TensorFlow's split per axis (output
 * {@code ceil(size / strides)}, the odd pixel of padding after). No weights: any spatial sizes and
 * channels are taken (None stays None), the windows placed for each input shape when it comes and
 * kept for the last one. Like Keras 3's poolings these do not support masking (an incoming mask
 * is dropped with Keras's warning).
 *
 * <p>Cost ({@link GridWindows}): a gather of {@code n·outputs·taps·channels} floats and as many
 * comparisons or additions; backward a scatter-add of that size. channels_first adds a copy of
 * the input and of the output each way.
 *
 * @param <P> the concrete layer, returned by the fluent setters
 */
public abstract sealed class PoolingBase<P extends PoolingBase<P>> extends Layer
        permits MaxPooling2D, MaxPooling3D, AveragePooling2D, AveragePooling3D {
    private final int rank;
    private final int[] poolSize;
    private final int[] strides;
    private String padding = "valid";
    /** The move of channels_first's channels axis; null for channels_last. */
    private ChannelsFirst channelsFirst;
    /** The windows of the last spatial shape called on. */
    private volatile GridWindows windows;
    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();

    /**
     * @param strides null for pool_size's (Keras's strides=None)
     */
    PoolingBase(String kerasPrefix, int rank, int[] poolSize, int[] strides) {
        super(kerasPrefix);
        this.rank = rank;
        this.poolSize = GridWindows.tuple(where(), "pool_size", rank, poolSize);
        this.strides = strides == null ? this.poolSize.clone() : GridWindows.tuple(where(), "strides", rank, strides);
    }

    /** Whether this is a max pooling (else an average). */
    abstract boolean max();

    /** The input's axes for messages, e.g. "(batch, rows, cols, channels)". */
    abstract String axes();

    /** The number of spatial axes. */
    public final int rank() {
        return rank;
    }

    /** The window's size per spatial axis (Keras's pool_size); a copy. */
    public final int[] poolSize() {
        return poolSize.clone();
    }

    /** The step between windows per spatial axis (Keras's strides); a copy. */
    public final int[] strides() {
        return strides.clone();
    }

    /** "valid" or "same". */
    public final String padding() {
        return padding;
    }

    /**
     * Keras's padding, any case: "valid" (windows inside the input only) or "same"
     * ({@code ceil(size / strides)} outputs per axis).
     *
     * @throws IllegalArgumentException for another value, naming this layer
     */
    public final P padding(String p) {
        requireNotBuilt("padding");
        this.padding = Windows.padding(where(), p, false);
        return self();
    }

    /** "channels_last" (the default) or "channels_first". */
    public final String dataFormat() {
        return ChannelsFirst.format(channelsFirst);
    }

    /**
     * Keras's data_format, any case: "channels_last" (null too, Keras's default) or
     * "channels_first" ({@code (batch, channels, spatial...)} in and out).
     *
     * @throws IllegalArgumentException for another value, naming this layer
     */
    public final P dataFormat(String format) {
        requireNotBuilt("data_format");
        this.channelsFirst = ChannelsFirst.of(where(), name(), format, rank);
        return self();
    }

    @SuppressWarnings("unchecked")
    private P self() {
        return (P) this;
    }

    @Override
    public P named(String newName) {
        super.named(newName);
        return self();
    }

    @Override
    protected final Shape build(Shape in, RandomGenerator random) {
        requireRank(in, rank + 1, channelsFirst == null ? axes()
                : axes().replace("(batch, ", "(batch, channels, ").replace(", channels)", ")"));
        return outputShapeFor(in);
    }

    /** Any sizes of its rank (Keras's input_spec ndim). */
    @Override
    protected final Shape acceptedShape() {
        return keepingOnly(inputShape());
    }

    /** {@code (new_spatial..., channels)} (channels_first: channels first); None axes stay None. */
    @Override
    protected final Shape outputShapeFor(Shape in) {
        Shape last = channelsFirst == null ? in : ChannelsFirst.toLast(in);
        int[] d = Arrays.copyOf(GridWindows.outputFor(where(), Arrays.copyOf(last.dims(), rank), poolSize, strides,
                null, padding), rank + 1);
        d[rank] = last.dim(-1);
        Shape out = Shape.withUnknown(d);
        return channelsFirst == null ? out : ChannelsFirst.toFirst(out);
    }

    @Override
    protected final Variable forward(Variable x, Tensor mask, CallContext ctx) {
        droppedMask.check(this, mask);
        Variable in = channelsFirst == null ? x : channelsFirst.toLast(x);
        GridWindows w = windowsFor(in);
        Variable y = max() ? w.max(in) : w.average(in);
        return channelsFirst == null ? y : channelsFirst.toFirst(y);
    }

    /** The windows for a channels_last input's spatial shape: the last ones, or new ones kept for next time. */
    private GridWindows windowsFor(Variable x) {
        int[] spatial = Arrays.copyOfRange(x.shape().dims(), 1, rank + 1);
        GridWindows w = windows;
        if (w == null || !w.fits(spatial)) {
            w = new GridWindows(where(), spatial, poolSize, strides, padding,
                    max() ? Windows.Outside.NEAREST : Windows.Outside.EXTRA_ROW);
            windows = w;
        }
        return w;
    }
}
