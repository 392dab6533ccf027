package io.rnn4j.layers;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.random.RandomGenerator;

/**
 * What Keras 3's AdaptiveAveragePooling1D and AdaptiveMaxPooling1D share
 * (keras/src/layers/pooling/base_adaptive_pooling.py): {@code output_size} windows over the steps
 * of {@code (batch, steps, channels)}, window i covering steps {@code [floor(i·L/O), ceil((i+1)·L/O))}
 * (L steps, O outputs), each channel on its own. These are the windows Keras's TensorFlow backend
 * pools (its "two-pool gather" of windows of {@code ceil(L/O)} and one more steps picks exactly
 * them); with O above L windows repeat steps. As in Keras, the windows are placed at each call for
 * the length that comes: a shared layer pools inputs of different lengths, and None steps are taken
 * (Keras's compute_output_shape gives {@code (output_size, channels)} whatever the steps; its
 * TensorFlow backend then needs the length known when it traces, JAX and torch do not).
 * data_format "channels_first" takes and gives {@code (batch, channels, steps)}, pooled as
 * channels_last between two swaps of the last axes. No weights; an incoming mask is dropped with Keras's warning
 * (these layers do not support masking).
 *
 * @param <P> the concrete layer, returned by {@link #named}
 */
public abstract sealed class AdaptivePooling1D<P extends AdaptivePooling1D<P>> extends Layer
        permits AdaptiveAveragePooling1D, AdaptiveMaxPooling1D {
    private final int outputSize;
    /** Keras's warning when a mask comes in. */
    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();
    /** The swap of channels_first's axes; null for channels_last. */
    private ChannelsFirst channelsFirst;

    AdaptivePooling1D(String kerasPrefix, int outputSize) {
        super(kerasPrefix);
        this.outputSize = Windows.positive(where(), "output_size", outputSize);
    }

    /** How many steps come out (Keras's output_size). */
    public final int outputSize() {
        return outputSize;
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
    @SuppressWarnings("unchecked")
    public final P dataFormat(String format) {
        requireNotBuilt("data_format");
        this.channelsFirst = ChannelsFirst.of(where(), name(), format, 1);
        return (P) this;
    }

    @SuppressWarnings("unchecked")
    @Override
    public P named(String newName) {
        super.named(newName);
        return (P) this;
    }

    @Override
    protected final Shape build(Shape in, RandomGenerator random) {
        requireRank(in, 2, channelsFirst == null ? "(batch, steps, channels)" : "(batch, channels, steps)");
        return outputShapeFor(in);
    }

    /** Any steps, any channels: the windows are placed at each call. */
    @Override
    protected final Shape acceptedShape() {
        return keepingOnly(inputShape());
    }

    /** {@code (output_size, channels)} (channels_first: {@code (channels, output_size)}). */
    @Override
    protected final Shape outputShapeFor(Shape in) {
        return channelsFirst == null ? Shape.withUnknown(outputSize, in.dim(1))
                : Shape.withUnknown(in.dim(0), outputSize);
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

    /** Window i's first step, {@code floor(i·L/O)}. */
    final int start(int i, int steps) {
        return (int) ((long) i * steps / outputSize);
    }

    /** Window i's length, {@code ceil((i+1)·L/O) − floor(i·L/O)}: ceil(L/O) or one more. */
    final int length(int i, int steps) {
        long end = ((long) (i + 1) * steps + outputSize - 1) / outputSize;
        return (int) (end - start(i, steps));
    }

    /** The longest window, ceil(L/O) + (0 or 1): the taps of every window's row of indices. */
    final int taps(int steps) {
        int most = 0;
        for (int i = 0; i < outputSize; i++) {
            most = Math.max(most, length(i, steps));
        }
        return most;
    }

    /**
     * Row indices {@code (batch·O, taps)} into x as {@code (batch·L, channels)} rows; a window shorter
     * than {@code taps} fills its row with {@code fill} (-1: its own last step).
     */
    final Tensor indices(Device d, int batch, int steps, int fill) {
        int taps = taps(steps);
        float[] idx = new float[batch * outputSize * taps];
        int at = 0;
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < outputSize; i++) {
                int first = b * steps + start(i, steps);
                int n = length(i, steps);
                for (int j = 0; j < taps; j++) {
                    idx[at++] = j < n ? first + j : fill < 0 ? first + n - 1 : fill;
                }
            }
        }
        return d.tensor(idx, batch * outputSize, taps);
    }
}
