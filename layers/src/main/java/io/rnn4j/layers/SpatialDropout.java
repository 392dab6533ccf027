package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * What Keras's SpatialDropout1D/2D/3D share (BaseSpatialDropout,
 * keras/src/layers/regularization/spatial_dropout.py): in training, each channel of each sample
 * is dropped whole — zeroed at every spatial position — with probability {@code rate}, the kept
 * ones scaled by {@code 1 / (1 - rate)} (Keras's noise shape: the batch and channels axes, 1
 * elsewhere); at inference, or at rate 0, the identity. One keep value per (sample, channel) is
 * drawn on the host from the call's stream, as {@link Masks#dropout} draws Dropout's, and
 * multiplied in broadcast. The mask is passed on, as Keras's Dropout, which these extend there.
 */
abstract sealed class SpatialDropout extends NoiseLayer permits SpatialDropout1D, SpatialDropout2D, SpatialDropout3D {
    private final float rate;
    private final int spatial;
    private String dataFormat = DataFormat.CHANNELS_LAST;

    /** @param spatial the number of spatial axes (1, 2 or 3; Keras's InputSpec ndim is spatial + 2) */
    SpatialDropout(String kerasPrefix, int spatial, double rate) {
        super(kerasPrefix);
        this.spatial = spatial;
        this.rate = Masks.checkRate(rate, name(), "rate");
    }

    /** The fraction of channels dropped in training (Keras's {@code rate}). */
    public final float rate() {
        return rate;
    }

    /** The input's axes for messages, channels_last: e.g. "(batch, rows, cols, channels)". */
    abstract String axes();

    /** Sets data_format (the 2D/3D layers), refusing other values by this layer's name. */
    final void format(String format) {
        requireNotBuilt("data_format");
        this.dataFormat = DataFormat.standardize(where(), format);
    }

    /** "channels_last" or "channels_first". */
    final String format() {
        return dataFormat;
    }

    /** The rank only (Keras's InputSpec(ndim)); any sizes. */
    @Override
    protected final Shape build(Shape in, RandomGenerator random) {
        boolean first = dataFormat.equals(DataFormat.CHANNELS_FIRST);
        requireRank(in, spatial + 1, first ? axes().replace("(batch, ", "(batch, channels, ")
                .replace(", channels)", ")") : axes());
        return in;
    }

    @Override
    protected final Variable forward(Variable x, Tensor mask, CallContext ctx) {
        if (!ctx.training() || rate == 0f) {
            return x;
        }
        if (rate == 1f) {  // TensorFlow's zeros_like (x·0 would keep the signs of negative zeros)
            return Variable.constant(x.device().zeros(x.shape()));
        }
        int channels = dataFormat.equals(DataFormat.CHANNELS_FIRST) ? 1 : spatial + 1;
        int[] noise = new int[spatial + 2];
        Arrays.fill(noise, 1);
        noise[0] = x.dim(0);
        noise[channels] = x.dim(channels);
        Tensor keep = Masks.dropout(x.device(), Shape.of(noise), rate, ctx.random(), name());
        return Ops.mul(x, Variable.constant(keep));
    }
}
