package io.rnn4j.layers.metrics;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.KerasConfig;
import java.util.Optional;

/**
 * A Keras metric: state accumulated over batches ({@link #update}), read with {@link #result()},
 * cleared with {@link #reset()} at the start of each epoch and evaluation. Computed on the host in
 * double from the batch's labels and predictions.
 */
public interface Metric {

    /** Which way is better, as Keras's {@code _direction}: used by callbacks in mode "auto". */
    enum Direction { UP, DOWN, UNKNOWN }

    /** The name in logs and History ("mae", "accuracy"). */
    String name();

    /**
     * Keras 3's serialized metric where the name alone does not rebuild it (a top-k of k other than
     * 5); empty when the name is enough, as compile_config's metric strings are.
     */
    default Optional<KerasConfig> kerasConfig() {
        return Optional.empty();
    }

    /**
     * Keras's {@code update_state(y_true, y_pred, sample_weight)}, as compile's weighted_metrics
     * are updated: each value counts with its sample's weight (times its mask).
     *
     * @param sampleWeight (batch,), (batch, 1), one weight per value ((batch, timesteps)), or null
     *                     for weights of 1
     * @throws UnsupportedOperationException for a metric of one's own that takes no weights
     * @throws IllegalArgumentException      for weights that fit no such shape, naming both shapes
     */
    default void update(Tensor labels, Tensor predictions, Tensor mask, Tensor sampleWeight) {
        if (sampleWeight != null) {
            throw new UnsupportedOperationException(name() + " takes no sample weights, so it cannot be a "
                    + "weighted metric");
        }
        update(labels, predictions, mask);
    }

    void reset();

    /** Adds one batch; labels have the predictions' shape or lack a trailing axis of 1 (class ids for accuracy). */
    void update(Tensor labels, Tensor predictions);

    /**
     * Adds one batch whose predictions carry a Keras mask (one 0/1 per sample and timestep, the
     * predictions' shape without the last axis), or none. Keras's mean metrics leave masked
     * timesteps out; by default the mask is ignored, as a Keras metric that does not read
     * {@code y_pred._keras_mask} ignores it.
     */
    default void update(Tensor labels, Tensor predictions, Tensor mask) {
        update(labels, predictions);
    }

    /** The value over everything seen since the last reset (0 before any update, as Keras's). */
    double result();

    /** Whether higher or lower values are better; UNKNOWN unless the metric says (then monitors need a mode). */
    default Direction direction() {
        return Direction.UNKNOWN;
    }
}
