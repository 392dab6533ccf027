package io.rnn4j.layers;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * What Keras 3's AdaptiveAveragePooling2D/3D and AdaptiveMaxPooling2D/3D share
 * (keras/src/layers/pooling/base_adaptive_pooling.py): {@code output_size} windows per spatial axis
 * of {@code (batch, spatial..., channels)}, window i of an axis of L positions and O outputs
 * covering {@code [floor(i·L/O), ceil((i+1)·L/O))}, as {@link AdaptivePooling1D}'s on each axis;
 * each channel on its own. Keras's TensorFlow backend pools one axis after the other (the first
 * spatial axis first), each with its "two-pool gather", and so does this layer: a gather of each
 * window's positions along one axis and a mean (the sum divided by the window's length) or a max,
 * then the next axis. A max over the product window is the max of maxes, exactly; a mean is the
 * mean of means in TensorFlow's order. With O above L windows repeat positions.
 *
 * <p>As in Keras the windows are placed at each call for the shape that comes: a shared layer
 * pools inputs of different sizes, and None spatial axes are taken (Keras's compute_output_shape
 * gives {@code (output_size..., channels)} whatever the input; its TensorFlow backend then needs
 * the sizes known when it traces, JAX and torch do not). data_format "channels_first" takes and
 * gives {@code (batch, channels, spatial...)}, pooled as channels_last between two moves of the
 * channels axis. No weights; an incoming mask is dropped with Keras's warning (these layers do not
 * support masking). Cost per axis: a gather of {@code rows·(ceil(L/O)+1)·channels} floats and as
 * many additions or comparisons, rows being the positions after that axis's pooling.
 *
 * @param <P> the concrete layer, returned by {@link #named}
 */
public abstract sealed class AdaptiveGridPooling<P extends AdaptiveGridPooling<P>> extends Layer
        permits AdaptiveAveragePooling2D, AdaptiveAveragePooling3D, AdaptiveMaxPooling2D, AdaptiveMaxPooling3D {
    private final int rank;
    private final int[] outputSize;
    private final boolean max;
    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();
    /** The move of channels_first's channels axis; null for channels_last. */
    private ChannelsFirst channelsFirst;

    AdaptiveGridPooling(String kerasPrefix, int rank, boolean max, int[] outputSize) {
        super(kerasPrefix);
        this.rank = rank;
        this.max = max;
        this.outputSize = GridWindows.tuple(where(), "output_size", rank, outputSize);
    }

    /** The number of spatial axes. */
    public final int rank() {
        return rank;
    }

    /** How many positions come out per spatial axis (Keras's output_size); a copy. */
    public final int[] outputSize() {
        return outputSize.clone();
    }

    /** "channels_last" ({@code (batch, spatial..., channels)}, the default) or "channels_first". */
    public final String dataFormat() {
        return ChannelsFirst.format(channelsFirst);
    }

    /**
     * Keras's data_format, any case: "channels_last" ({@code (batch, spatial..., channels)}; null
     * too, Keras's default) or "channels_first" ({@code (batch, channels, spatial...)} in and out).
     *
     * @throws IllegalArgumentException for another value, naming this layer
     */
    @SuppressWarnings("unchecked")
    public final P dataFormat(String format) {
        requireNotBuilt("data_format");
        this.channelsFirst = ChannelsFirst.of(where(), name(), format, rank);
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
        String axes = rank == 2 ? "rows, cols" : "depth, rows, cols";
        requireRank(in, rank + 1, channelsFirst == null ? "(batch, " + axes + ", channels)"
                : "(batch, channels, " + axes + ")");
        return outputShapeFor(in);
    }

    /** Any spatial sizes, any channels: the windows are placed at each call. */
    @Override
    protected final Shape acceptedShape() {
        return keepingOnly(inputShape());
    }

    /** {@code (output_size..., channels)} (channels_first: channels first). */
    @Override
    protected final Shape outputShapeFor(Shape in) {
        Shape last = channelsFirst == null ? in : ChannelsFirst.toLast(in);
        int[] d = Arrays.copyOf(outputSize, rank + 1);
        d[rank] = last.dim(rank);
        Shape out = Shape.withUnknown(d);
        return channelsFirst == null ? out : ChannelsFirst.toFirst(out);
    }

    @Override
    protected final Variable forward(Variable x, Tensor mask, CallContext ctx) {
        droppedMask.check(this, mask);
        Variable y = channelsFirst == null ? x : channelsFirst.toLast(x);
        for (int a = 0; a < rank; a++) {
            y = poolAxis(y, a);
        }
        return channelsFirst == null ? y : channelsFirst.toFirst(y);
    }

    /** Window i's first position on an axis of L positions pooled to O: {@code floor(i·L/O)}. */
    static int start(int i, int length, int out) {
        return (int) ((long) i * length / out);
    }

    /** Window i's length, {@code ceil((i+1)·L/O) − floor(i·L/O)}: ceil(L/O) or one more. */
    static int length(int i, int length, int out) {
        long end = ((long) (i + 1) * length + out - 1) / out;
        return (int) (end - start(i, length, out));
    }

    /** x {@code (n, d..., channels)} pooled along spatial axis a to {@code output_size[a]} positions. */
    private Variable poolAxis(Variable x, int a) {
        Device device = x.device();
        int[] dims = x.shape().dims();
        int channels = dims[dims.length - 1];
        int len = dims[a + 1];
        int out = outputSize[a];
        if (len == 0) {
            throw new IllegalArgumentException(where() + ": cannot pool an empty spatial axis " + (a + 1) + " of input "
                    + x.shape() + " to " + out + " positions: every window needs a position");
        }
        int before = 1;
        for (int b = 0; b < a + 1; b++) {
            before *= dims[b];
        }
        int after = 1;
        for (int b = a + 2; b < dims.length - 1; b++) {
            after *= dims[b];
        }
        int taps = 0;
        for (int i = 0; i < out; i++) {
            taps = Math.max(taps, length(i, len, out));
        }
        int rows = before * len * after;
        int zero = rows;
        float[] idx = new float[before * out * after * taps];
        float[] lengths = new float[before * out * after];
        int at = 0;
        int r = 0;
        for (int b = 0; b < before; b++) {
            for (int i = 0; i < out; i++) {
                int first = start(i, len, out);
                int n = length(i, len, out);
                for (int c = 0; c < after; c++) {
                    lengths[r++] = n;
                    for (int j = 0; j < taps; j++) {
                        int pos = first + Math.min(j, n - 1);
                        // A short window's spare taps: the zero row for a sum, its own last position for a max.
                        idx[at++] = j < n || max ? (b * len + pos) * after + c : zero;
                    }
                }
            }
        }
        int[] shape = dims.clone();
        shape[a + 1] = out;
        Variable table = Ops.reshape(x, rows, channels);
        Tensor indices = device.tensor(idx, before * out * after, taps);
        if (max) {
            return Ops.reshape(Ops.windowMax(table, indices), shape);
        }
        table = Ops.concat(0, table, Variable.constant(device.zeros(1, channels)));
        Variable sums = Ops.sum(Ops.gather(table, indices), 1, false);
        // Divided (not multiplied by a reciprocal), as TensorFlow's average pooling does.
        return Ops.reshape(Ops.div(sums, Variable.constant(device.tensor(lengths, lengths.length, 1))), shape);
    }
}
