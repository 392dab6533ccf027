package io.rnn4j.layers;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
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
 * TensorFlow backend then needs the length known when it traces, JAX and torch do not). Only the
 * "channels_last" layout exists here. No weights; an incoming mask is dropped with Keras's warning
 * (these layers do not support masking).
 *
 * @param <P> the concrete layer, returned by {@link #named}
 */
public abstract sealed class AdaptivePooling1D<P extends AdaptivePooling1D<P>> extends Layer
        permits AdaptiveAveragePooling1D, AdaptiveMaxPooling1D {
    private final int outputSize;
    /** Keras's warning when a mask comes in. */
    final DroppedMaskWarning droppedMask = new DroppedMaskWarning();

    AdaptivePooling1D(String kerasPrefix, int outputSize) {
        super(kerasPrefix);
        this.outputSize = Windows.positive(where(), "output_size", outputSize);
    }

    /** How many steps come out (Keras's output_size). */
    public final int outputSize() {
        return outputSize;
    }

    @SuppressWarnings("unchecked")
    @Override
    public P named(String newName) {
        super.named(newName);
        return (P) this;
    }

    @Override
    protected final Shape build(Shape in, RandomGenerator random) {
        requireRank(in, 2, "(batch, steps, channels)");
        return outputShapeFor(in);
    }

    /** Any steps, any channels: the windows are placed at each call. */
    @Override
    protected final Shape acceptedShape() {
        return keepingOnly(inputShape());
    }

    /** {@code (output_size, channels)}. */
    @Override
    protected final Shape outputShapeFor(Shape in) {
        return Shape.withUnknown(outputSize, in.dim(1));
    }

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
