package io.rnn4j.layers.optimizers.schedules;

/**
 * A learning rate as a function of the optimizer's step (Keras's {@code LearningRateSchedule}):
 * the optimizer asks it for the rate before each update, at its {@code iterations()} count
 * (0 for the first update). Implementations must be pure functions of the step.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /** The learning rate for the update made after {@code step} updates. */
    double learningRate(long step);
}
