package io.rnn4j.layers.optimizers.schedules;

import io.rnn4j.layers.KerasConfig;
import java.util.Optional;

/**
 * Keras's ExponentialDecay, in float32 as Keras computes it:
 * {@code lr · rate^(step / decay_steps)}, the exponent floored with {@code staircase} (a step
 * schedule: the rate drops by {@code rate} every {@code decay_steps} updates).
 */
public final class ExponentialDecay implements LearningRateSchedule {
    private final double initialLearningRate;
    private final long decaySteps;
    private final double decayRate;
    private final boolean staircase;

    /** Keras's defaults: no staircase. */
    public ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate) {
        this(initialLearningRate, decaySteps, decayRate, false);
    }

    public ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate, boolean staircase) {
        Schedules.checkRate("ExponentialDecay", "initial_learning_rate", initialLearningRate);
        if (decaySteps <= 0) {
            throw new IllegalArgumentException("ExponentialDecay: decay_steps must be > 0, got " + decaySteps);
        }
        if (!(decayRate > 0) || Double.isInfinite(decayRate)) {
            throw new IllegalArgumentException("ExponentialDecay: decay_rate must be > 0 and finite, got "
                    + decayRate);
        }
        this.initialLearningRate = initialLearningRate;
        this.decaySteps = decaySteps;
        this.decayRate = decayRate;
        this.staircase = staircase;
    }

    @Override
    public double learningRate(long step) {
        float p = (float) step / (float) decaySteps;
        if (staircase) {
            p = (float) Math.floor(p);
        }
        return (float) initialLearningRate * (float) Math.pow((float) decayRate, p);
    }

    @Override
    public Optional<KerasConfig> kerasConfig() {
        return Optional.of(KerasConfig.of("ExponentialDecay", "initial_learning_rate", initialLearningRate,
                "decay_steps", decaySteps, "decay_rate", decayRate, "staircase", staircase, "name",
                "ExponentialDecay"));
    }

    @Override
    public String toString() {
        return "ExponentialDecay(" + initialLearningRate + ", decay_steps=" + decaySteps + ", decay_rate="
                + decayRate + (staircase ? ", staircase" : "") + ")";
    }
}
