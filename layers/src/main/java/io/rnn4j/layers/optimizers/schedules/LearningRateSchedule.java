package io.rnn4j.layers.optimizers.schedules;

import io.rnn4j.layers.KerasConfig;
import java.util.Optional;

/**
 * A learning rate as a function of the optimizer's step (Keras's {@code LearningRateSchedule}):
 * the optimizer asks it for the rate before each update, at its {@code iterations()} count
 * (0 for the first update). Implementations must be pure functions of the step.
 */
@FunctionalInterface
public interface LearningRateSchedule {
    /**
     * Keras 3's serialized schedule ("ExponentialDecay" and its get_config), as an optimizer's
     * learning_rate; empty for a schedule of one's own (a lambda), which Keras could not rebuild.
     */
    default Optional<KerasConfig> kerasConfig() {
        return Optional.empty();
    }

    /** The learning rate for the update made after {@code step} updates. */
    double learningRate(long step);
}
