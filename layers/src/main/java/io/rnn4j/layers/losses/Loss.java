package io.rnn4j.layers.losses;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.autograd.Variable;
import java.util.Optional;

/**
 * A Keras loss: {@link #perSample} is Keras's {@code call} (the loss of each sample, its last
 * axis reduced), and {@link #compute} applies Keras's default reduction, "sum_over_batch_size":
 * the per-sample losses, each times its sample weight if given, summed and divided by their
 * number (not by the weights' sum); with a Keras mask, by the number of unmasked values.
 */
public interface Loss {

    /** The name Keras gives it ("mean_squared_error"). */
    String name();

    /**
     * Keras 3's serialized loss (class and get_config), as a compile_config holds it; empty for a
     * loss of one's own, which Keras could not rebuild.
     */
    default Optional<KerasConfig> kerasConfig() {
        return Optional.empty();
    }

    /**
     * Checks that labels of {@code labels} shape (with batch) fit predictions of {@code predictions}
     * shape, before anything runs.
     *
     * @throws IllegalArgumentException saying what shape the labels must have and what came
     */
    void checkLabels(Shape labels, Shape predictions);

    /** The unreduced loss: one value per sample (and timestep), the predictions' shape without the last axis. */
    Variable perSample(Variable labels, Variable predictions);

    /** The loss of {@code predictions} against the constant {@code labels}, a scalar. */
    default Variable compute(Variable labels, Variable predictions) {
        return compute(labels, predictions, null);
    }

    /**
     * The loss with sample weights: {@code Σ(perSample · w) / count(perSample)}.
     *
     * @param sampleWeight null, one weight per sample {@code (batch,)} (broadcast over any time
     *                     axis of the per-sample loss, as tf.keras did), or the per-sample loss's
     *                     own shape (per timestep)
     * @throws IllegalArgumentException for weights of another shape, naming both shapes
     */
    default Variable compute(Variable labels, Variable predictions, Tensor sampleWeight) {
        return compute(labels, predictions, sampleWeight, null);
    }

    /**
     * The loss with sample weights and the predictions' Keras mask, as Keras 3's
     * {@code reduce_weighted_values}: masked values are left out and the sum is divided by the
     * number of unmasked ones — {@code Σ(perSample · w · m) / Σ m} (0 when every value is masked).
     *
     * @param mask null, or one 0/1 per per-sample value (the per-sample loss's shape, e.g.
     *             (batch, timesteps) for a sequence output)
     * @throws IllegalArgumentException for weights or a mask of another shape, naming the shapes
     */
    default Variable compute(Variable labels, Variable predictions, Tensor sampleWeight, Tensor mask) {
        return SampleWeights.reduce(name(), perSample(labels, predictions), sampleWeight, mask);
    }
}
