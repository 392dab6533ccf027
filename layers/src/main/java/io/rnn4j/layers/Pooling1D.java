package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.random.RandomGenerator;

/**
 * What Keras's MaxPooling1D and AveragePooling1D share (Keras's BasePooling): windows of
 * {@code pool_size} steps every {@code strides} steps (by default {@code pool_size}) over
 * {@code (batch, steps, channels)} inputs, each channel on its own, padding "valid" or "same"
 * (TensorFlow's split: output steps {@code ceil(steps / strides)}, the extra step of padding on the
 * right). data_format "channels_first" takes and gives {@code (batch, channels, steps)}, pooled as
 * channels_last between two swaps of the last axes ({@link ChannelsFirst}). Like Keras 3's pooling layers these
 * have no weights, take inputs of any length and channels (None steps give None), and drop an
 * incoming mask with Keras's warning (they do not support masking).
 *
 * @param <P> the concrete layer, returned by the fluent setters
 */
public abstract sealed class Pooling1D<P extends Pooling1D<P>> extends Layer permits MaxPooling1D, AveragePooling1D {
    private final int poolSize;
    private final int strides;
    private String padding = "valid";
    /** The swap of channels_first's axes; null for channels_last. */
    private ChannelsFirst channelsFirst;
    /** The windows, made when built. */
    Windows windows;
    /** Keras's warning when a mask comes in: the pooling layers do not support masking. */
    final DroppedMaskWarning droppedMask = new DroppedMaskWarning();

    Pooling1D(String kerasPrefix, int poolSize, int strides) {
        super(kerasPrefix);
        this.poolSize = Windows.positive(where(), "pool_size", poolSize);
        this.strides = Windows.positive(where(), "strides", strides);
    }

    /** The window length in steps (Keras's pool_size). */
    public final int poolSize() {
        return poolSize;
    }

    /** The step between windows (Keras's strides). */
    public final int strides() {
        return strides;
    }

    /** "valid" or "same". */
    public final String padding() {
        return padding;
    }

    /**
     * Keras's padding: "valid" (windows inside the input only) or "same" (output steps
     * {@code ceil(steps / strides)}); any case.
     *
     * @throws IllegalArgumentException for another value, naming this layer
     */
    public final P padding(String p) {
        requireNotBuilt("padding");
        this.padding = Windows.padding(where(), p, false);
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
    public final P dataFormat(String format) {
        requireNotBuilt("data_format");
        this.channelsFirst = ChannelsFirst.of(where(), name(), format, 1);
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

    /** Where a window's taps in the padding read, for this kind of pooling. */
    abstract Windows.Outside outside();

    @Override
    protected final Shape build(Shape in, RandomGenerator random) {
        requireRank(in, 2, channelsFirst == null ? "(batch, steps, channels)" : "(batch, channels, steps)");
        windows = new Windows(where(), poolSize, strides, 1, padding, outside());
        return outputShapeFor(in);
    }

    /** Any steps and channels (Keras's input_spec ndim=3). */
    @Override
    protected final Shape acceptedShape() {
        return keepingOnly(inputShape());
    }

    /**
     * {@code (new_steps, channels)} (channels_first: {@code (channels, new_steps)}); None stays None;
     * a known length giving no step is refused.
     */
    @Override
    protected final Shape outputShapeFor(Shape in) {
        Shape last = channelsFirst == null ? in : ChannelsFirst.swapped(in);
        int steps = last.dim(0);
        Shape out = Shape.withUnknown(steps == Shape.UNKNOWN ? Shape.UNKNOWN : windows.checkedOutSteps(steps),
                last.dim(1));
        return channelsFirst == null ? out : ChannelsFirst.swapped(out);
    }

    @Override
    protected final Variable forward(Variable x, Tensor mask, CallContext ctx) {
        droppedMask.check(this, mask);
        if (channelsFirst == null) {
            return pool(x);
        }
        return channelsFirst.swapped(pool(channelsFirst.swapped(x)));
    }

    /** The pooling of a channels_last {@code (batch, steps, channels)} input. */
    abstract Variable pool(Variable x);
}
