package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import java.util.random.RandomGenerator;

/**
 * What Keras's GlobalAveragePooling1D and GlobalMaxPooling1D share (Keras 3's BaseGlobalPooling):
 * inputs of rank 3, {@code (batch, steps, features)} with data_format "channels_last" (the
 * default) or {@code (batch, features, steps)} with "channels_first"; the steps axis is pooled
 * away, or kept as 1 with keepdims. No weights, so any number of steps and features is taken.
 */
abstract class GlobalPooling1D extends Layer {
    private final String dataFormat;
    private final boolean keepdims;

    GlobalPooling1D(String kerasPrefix, String dataFormat, boolean keepdims) {
        super(kerasPrefix);
        this.dataFormat = DataFormat.standardize(where(), dataFormat);
        this.keepdims = keepdims;
    }

    /** Keras's data_format: "channels_last" (steps on axis 1) or "channels_first" (steps on axis 2). */
    public final String dataFormat() {
        return dataFormat;
    }

    /** Keras's keepdims: whether the steps axis is kept with length 1. */
    public final boolean keepdims() {
        return keepdims;
    }

    /** The steps axis of a batch {@code (batch, ., .)}. */
    final int stepsAxis() {
        return dataFormat.equals(DataFormat.CHANNELS_LAST) ? 1 : 2;
    }

    @Override
    protected final Shape build(Shape in, RandomGenerator random) {
        requireRank(in, 2, stepsAxis() == 1 ? "(batch, steps, features)" : "(batch, features, steps)");
        return outputShapeFor(in);
    }

    /** Any sizes of rank 3 (Keras's InputSpec(ndim=3)). */
    @Override
    protected final Shape acceptedShape() {
        return keepingOnly(inputShape());
    }

    /** Keras's compute_output_shape: the features, with a steps axis of 1 where keepdims. */
    @Override
    protected final Shape outputShapeFor(Shape in) {
        int features = in.dim(stepsAxis() == 1 ? 1 : 0);
        if (!keepdims) {
            return Shape.withUnknown(features);
        }
        return stepsAxis() == 1 ? Shape.withUnknown(1, features) : Shape.withUnknown(features, 1);
    }

    /** Refuses an empty steps axis, naming the layer (Keras cannot pool nothing either). */
    final void requireSteps(Shape batch) {
        if (batch.dim(stepsAxis()) == 0) {
            throw new IllegalArgumentException(where() + " cannot pool an input "
                    + "of no steps: " + batch);
        }
    }

    /** The Keras mask (batch, steps) checked against the input batch. */
    final void checkMask(Tensor mask, Shape batch) {
        if (mask.rank() != 2 || mask.dim(0) != batch.dim(0) || mask.dim(1) != batch.dim(stepsAxis())) {
            throw new IllegalArgumentException(where() + ": expected a mask "
                    + "(batch, steps) = (" + batch.dim(0) + ", " + batch.dim(stepsAxis()) + ") for input " + batch
                    + ", got " + mask.shape());
        }
    }
}
