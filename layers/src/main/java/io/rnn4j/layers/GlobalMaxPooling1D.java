package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;

/**
 * Keras's GlobalMaxPooling1D: the maximum over the steps of {@code (batch, steps, features)}
 * ("channels_last", the default) or {@code (batch, features, steps)} ("channels_first"), giving
 * {@code (batch, features)}, or the steps axis kept as 1 with keepdims. In training the gradient
 * goes to the steps equal to the maximum, split equally among ties ({@code tf.reduce_max}'s).
 *
 * <p>Keras 3's GlobalMaxPooling1D does not support masking: given a masked input it warns once
 * that the mask is destroyed, takes the maximum over every step, masked ones included, and passes
 * no mask on. This layer does the same (the warning is logged once per layer).
 */
public final class GlobalMaxPooling1D extends GlobalPooling1D {
    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();

    /** Keras's defaults: channels_last, keepdims false. */
    public GlobalMaxPooling1D() {
        this(DataFormat.CHANNELS_LAST, false);
    }

    /**
     * @param dataFormat "channels_last" or "channels_first" (any case; null is channels_last)
     * @param keepdims   whether the steps axis is kept with length 1
     * @throws IllegalArgumentException for another data_format, naming the layer
     */
    public GlobalMaxPooling1D(String dataFormat, boolean keepdims) {
        super("global_max_pooling1d", dataFormat, keepdims);
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        droppedMask.check(this, mask);
        requireSteps(x.shape());
        return Ops.max(x, stepsAxis(), keepdims());
    }
}
