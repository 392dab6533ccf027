package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.random.RandomGenerator;

/**
 * Keras's Flatten: each sample to one dimension, {@code (batch, d1·d2·…)}; a view, no copy. With
 * data_format "channels_first" the channels axis (axis 1) is moved last before flattening, as
 * Keras does for inputs of rank 3 and up, so that the values come in channels_last order (a copy).
 */
public final class Flatten extends Layer {
    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();
    private boolean channelsFirst;
    /** Moves axis 1 last for the rank it was built for; null when nothing moves. */
    private Permute channelsLast;

    public Flatten() {
        super("flatten");
    }

    /** "channels_last" (the default: a plain view) or "channels_first". */
    public String dataFormat() {
        return channelsFirst ? DataFormat.CHANNELS_FIRST : DataFormat.CHANNELS_LAST;
    }

    /**
     * Keras's data_format, any case: "channels_last" (null too, Keras's default) or
     * "channels_first", which flattens inputs of rank 3 and up in channels_last order.
     *
     * @throws IllegalArgumentException for another value, naming this layer
     */
    public Flatten dataFormat(String format) {
        requireNotBuilt("data_format");
        this.channelsFirst = DataFormat.standardize(where(), format).equals(DataFormat.CHANNELS_FIRST);
        return this;
    }

    @Override
    protected Shape build(Shape inputShape, RandomGenerator random) {
        int rank = inputShape.rank();
        if (channelsFirst && rank >= 2) {
            int[] dims = new int[rank]; // 1-based: axes 2..rank, then 1
            for (int i = 0; i < rank - 1; i++) {
                dims[i] = i + 2;
            }
            dims[rank - 1] = 1;
            channelsLast = Permute.inside(name(), dims);
        }
        return outputShapeFor(inputShape);
    }

    /** Any sizes (of the rank it was built for; Keras's min_ndim). */
    @Override
    protected Shape acceptedShape() {
        return keepingOnly(inputShape());
    }

    /** As Keras: None anywhere leaves the flattened size None (a Dense after it then cannot build). */
    @Override
    protected Shape outputShapeFor(Shape in) {
        return in.isKnown() ? Shape.of(Math.toIntExact(in.size())) : Shape.withUnknown(Shape.UNKNOWN);
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        droppedMask.check(this, mask);  // as Keras 3, which does not support masking here
        Variable in = channelsLast == null ? x : channelsLast.forward(x, null, ctx);
        return Ops.reshape(in, x.dim(0), Math.toIntExact(x.shape().inner(0)));
    }
}
