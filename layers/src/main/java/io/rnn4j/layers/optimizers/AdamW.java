package io.rnn4j.layers.optimizers;

import io.rnn4j.layers.optimizers.schedules.LearningRateSchedule;

/**
 * Keras 3's AdamW: {@link Adam} with decoupled weight decay on by default — before each Adam
 * update, {@code w −= w · weight_decay · lr} (see {@link Optimizer#weightDecay(double)}).
 * Defaults: learning rate 0.001, weight decay 0.004, β1 0.9, β2 0.999, ε 1e-7.
 */
public final class AdamW extends Adam {

    public AdamW() {
        this(0.001);
    }

    public AdamW(double learningRate) {
        super(learningRate);
        weightDecay(0.004);
    }

    public AdamW(LearningRateSchedule schedule) {
        super(schedule);
        weightDecay(0.004);
    }

    @Override
    protected String kerasClassName() {
        return "AdamW";
    }

    /** Keras 3's default name for AdamW (its constructor's {@code name="adamw"}). */
    @Override
    public String kerasName() {
        return "adamw";
    }
}
