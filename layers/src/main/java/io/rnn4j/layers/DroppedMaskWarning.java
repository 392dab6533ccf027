package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keras 3's warning that a layer which does not support masking was given a mask and drops it
 * ({@code Layer.__call__} in keras/src/layers/layer.py), word for word. One per layer, logged
 * the first time only: Python's warnings filter shows it once, not once per batch.
 */
final class DroppedMaskWarning {
    private static final System.Logger LOG = System.getLogger("io.rnn4j.layers");

    private final AtomicBoolean warned = new AtomicBoolean();

    /** Logs the warning for {@code layer} if {@code mask} is not null and it has not been logged yet. */
    void check(Layer layer, Tensor mask) {
        if (mask != null && warned.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "Layer ''{0}'' (of type {1}) was passed an input with a mask attached to it. "
                    + "However, this layer does not support masking and will therefore destroy the mask "
                    + "information. Downstream layers will not see the mask.", layer.name(), layer.className());
        }
    }
}
