package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

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
    private static final System.Logger LOG = System.getLogger("io.rnn4j.layers");

    private final AtomicBoolean warnedMask = new AtomicBoolean();

    /** Keras's defaults: channels_last, keepdims false. */
    public GlobalMaxPooling1D() {
        this(CHANNELS_LAST, false);
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
        if (mask != null && warnedMask.compareAndSet(false, true)) {
            // Keras 3's Layer.__call__ warning, word for word.
            LOG.log(Level.WARNING, "Layer ''{0}'' (of type {1}) was passed an input with a mask attached to it. "
                    + "However, this layer does not support masking and will therefore destroy the mask "
                    + "information. Downstream layers will not see the mask.", name(), className());
        }
        requireSteps(x.shape());
        return Ops.max(x, stepsAxis(), keepdims());
    }
}
