package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * What Keras's GlobalAveragePooling2D/3D and GlobalMaxPooling2D/3D share (Keras 3's
 * BaseGlobalPooling, keras/src/layers/pooling/base_global_pooling.py): inputs {@code (batch,
 * spatial..., channels)} ("channels_last", the default) or {@code (batch, channels, spatial...)}
 * ("channels_first"), every spatial axis pooled away, giving {@code (batch, channels)}, or kept as
 * 1 each with keepdims. No weights: any sizes of its rank are taken. They do not support masking
 * (Keras 3's do not either): an incoming mask is dropped with Keras's warning.
 *
 * <p>Computed as one reduction over the spatial axes viewed as one ({@code mean} or {@code max}
 * of {@code n·positions·channels} values, the same numbers as Keras's reduction over several
 * axes); the max's gradient is split equally among ties, as {@code tf.reduce_max}'s.
 */
public abstract sealed class GlobalPoolingBase extends Layer
        permits GlobalAveragePooling2D, GlobalAveragePooling3D, GlobalMaxPooling2D, GlobalMaxPooling3D {
    private final int rank;
    private final String dataFormat;
    private final boolean keepdims;
    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();

    GlobalPoolingBase(String kerasPrefix, int rank, String dataFormat, boolean keepdims) {
        super(kerasPrefix);
        this.rank = rank;
        this.dataFormat = DataFormat.standardize(where(), dataFormat);
        this.keepdims = keepdims;
    }

    /** Whether this takes the maximum (else the mean). */
    abstract boolean max();

    /** The number of spatial axes. */
    public final int rank() {
        return rank;
    }

    /** Keras's data_format: "channels_last" or "channels_first". */
    public final String dataFormat() {
        return dataFormat;
    }

    /** Keras's keepdims: whether the spatial axes are kept with length 1 each. */
    public final boolean keepdims() {
        return keepdims;
    }

    private boolean channelsLast() {
        return dataFormat.equals(DataFormat.CHANNELS_LAST);
    }

    @Override
    protected final Shape build(Shape in, RandomGenerator random) {
        String spatial = rank == 2 ? "rows, cols" : "depth, rows, cols";
        requireRank(in, rank + 1, channelsLast() ? "(batch, " + spatial + ", channels)"
                : "(batch, channels, " + spatial + ")");
        return outputShapeFor(in);
    }

    /** Any sizes of its rank (Keras's InputSpec(ndim)). */
    @Override
    protected final Shape acceptedShape() {
        return keepingOnly(inputShape());
    }

    /** Keras's compute_output_shape: the channels, with spatial axes of 1 where keepdims. */
    @Override
    protected final Shape outputShapeFor(Shape in) {
        int channels = in.dim(channelsLast() ? -1 : 0);
        if (!keepdims) {
            return Shape.withUnknown(channels);
        }
        int[] d = new int[rank + 1];
        Arrays.fill(d, 1);
        d[channelsLast() ? rank : 0] = channels;
        return Shape.withUnknown(d);
    }

    @Override
    protected final Variable forward(Variable x, Tensor mask, CallContext ctx) {
        droppedMask.check(this, mask);
        int n = x.dim(0);
        int positions = 1;
        for (int a = 0; a < rank; a++) {
            positions *= x.dim(channelsLast() ? a + 1 : a + 2);
        }
        if (positions == 0) {
            throw new IllegalArgumentException(where() + " cannot pool an input with an empty spatial axis: "
                    + x.shape());
        }
        int channels = x.dim(channelsLast() ? rank + 1 : 1);
        Variable flat = channelsLast() ? Ops.reshape(x, n, positions, channels)
                : Ops.reshape(x, n, channels, positions);
        int axis = channelsLast() ? 1 : 2;
        Variable y = max() ? Ops.max(flat, axis, false) : Ops.mean(flat, axis, false);
        if (!keepdims) {
            return y;
        }
        int[] d = new int[rank + 2];
        Arrays.fill(d, 1);
        d[0] = n;
        d[channelsLast() ? rank + 1 : 1] = channels;
        return Ops.reshape(y, d);
    }
}
