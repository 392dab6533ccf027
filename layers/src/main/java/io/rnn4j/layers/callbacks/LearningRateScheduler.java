package io.rnn4j.layers.callbacks;

import io.rnn4j.layers.optimizers.Optimizer;
import java.util.Map;
import java.util.Objects;

/**
 * Keras 3's LearningRateScheduler: at the start of each epoch sets the optimizer's learning rate
 * to {@code schedule(epoch, current rate)}, and logs the rate as "learning_rate" at its end. (For
 * a rate that changes every step, give the optimizer a
 * {@link io.rnn4j.layers.optimizers.schedules.LearningRateSchedule} instead.)
 */
public final class LearningRateScheduler extends Callback {
    private final Schedule schedule;
    private final int verbose;

    /** The new learning rate from the epoch (from 0) and the current rate. */
    @FunctionalInterface
    public interface Schedule {
        double learningRate(int epoch, double current);
    }

    public LearningRateScheduler(Schedule schedule) {
        this(schedule, 0);
    }

    /** @param verbose 1 prints each change */
    public LearningRateScheduler(Schedule schedule, int verbose) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.verbose = verbose;
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
        Optimizer opt = model().optimizer();
        double lr = schedule.learningRate(epoch, opt.learningRate());
        if (Double.isNaN(lr) || Double.isInfinite(lr) || lr < 0) {
            throw new IllegalArgumentException("LearningRateScheduler: the schedule must return a finite rate >= 0, "
                    + "got " + lr + " for epoch " + epoch);
        }
        opt.setLearningRate(lr);
        if (verbose > 0) {
            out().println();
            out().println("Epoch " + (epoch + 1) + ": LearningRateScheduler setting learning rate to "
                    + PyFormat.repr(lr) + ".");
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        logs.put("learning_rate", model().optimizer().learningRate());
    }
}
