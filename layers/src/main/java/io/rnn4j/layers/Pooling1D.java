package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import java.util.random.RandomGenerator;

/**
 * What Keras's MaxPooling1D and AveragePooling1D share (Keras's BasePooling): windows of
 * {@code pool_size} steps every {@code strides} steps (by default {@code pool_size}) over
 * {@code (batch, steps, channels)} inputs, each channel on its own, padding "valid" or "same"
 * (TensorFlow's split: output steps {@code ceil(steps / strides)}, the extra step of padding on the
 * right). Only Keras's "channels_last" layout exists here. Like Keras 3's pooling layers these
 * have no weights, take inputs of any length and channels (None steps give None), and drop an
 * incoming mask with Keras's warning (they do not support masking).
 *
 * @param <P> the concrete layer, returned by the fluent setters
 */
public abstract sealed class Pooling1D<P extends Pooling1D<P>> extends Layer permits MaxPooling1D, AveragePooling1D {
    private final int poolSize;
    private final int strides;
    private String padding = "valid";
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
        requireRank(in, 2, "(batch, steps, channels)");
        windows = new Windows(where(), poolSize, strides, 1, padding, outside());
        return outputShapeFor(in);
    }

    /** Any steps and channels (Keras's input_spec ndim=3). */
    @Override
    protected final Shape acceptedShape() {
        return keepingOnly(inputShape());
    }

    /** {@code (new_steps, channels)}; None stays None; a known length giving no step is refused. */
    @Override
    protected final Shape outputShapeFor(Shape in) {
        int steps = in.dim(0);
        return Shape.withUnknown(steps == Shape.UNKNOWN ? Shape.UNKNOWN : windows.checkedOutSteps(steps), in.dim(1));
    }
}
