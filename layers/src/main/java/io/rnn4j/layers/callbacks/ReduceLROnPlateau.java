package io.rnn4j.layers.callbacks;

import io.rnn4j.layers.optimizers.Optimizer;
import java.util.Map;

/**
 * Keras 3's ReduceLROnPlateau: when the monitored quantity has not improved (by more than
 * min_delta) for {@code patience} epochs, multiplies the optimizer's learning rate by
 * {@code factor} (not below {@code min_lr}), then waits {@code cooldown} epochs before counting
 * again. Each epoch it logs the learning rate in use as "learning_rate" (so History has it).
 * Defaults: monitor "val_loss", factor 0.1, patience 10, mode AUTO, min_delta 1e-4, cooldown 0,
 * min_lr 0. With a learning-rate schedule it logs the scheduled rate, and fails only when a
 * reduction is due (as Keras, which cannot set a scheduled rate either).
 */
public final class ReduceLROnPlateau extends MonitorCallback {
    private double factor = 0.1;
    private int patience = 10;
    private int verbose;
    private int cooldown;
    private double minLr;
    private int cooldownCounter;
    private int wait;

    public ReduceLROnPlateau() {
        super("val_loss", 1e-4);
    }

    public ReduceLROnPlateau monitor(String quantity) {
        setMonitor(quantity);
        return this;
    }

    /** The multiplier of the learning rate, in [0, 1). */
    public ReduceLROnPlateau factor(double f) {
        if (!(f >= 0 && f < 1)) {
            throw new IllegalArgumentException("ReduceLROnPlateau does not support a factor outside [0, 1), got "
                    + f);
        }
        this.factor = f;
        return this;
    }

    public ReduceLROnPlateau patience(int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("ReduceLROnPlateau: patience must be >= 0, got " + epochs);
        }
        this.patience = epochs;
        return this;
    }

    /** 1 prints each reduction. */
    public ReduceLROnPlateau verbose(int level) {
        this.verbose = level;
        return this;
    }

    public ReduceLROnPlateau mode(Mode m) {
        setMode(m);
        return this;
    }

    /** Keras's {@code mode="max"}: "auto", "min" or "max" ({@link Mode#of}). */
    public ReduceLROnPlateau mode(String m) {
        return mode(Mode.of(m));
    }

    public ReduceLROnPlateau minDelta(double delta) {
        setMinDelta(delta);
        return this;
    }

    /** Epochs to wait after a reduction before counting patience again. */
    public ReduceLROnPlateau cooldown(int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("ReduceLROnPlateau: cooldown must be >= 0, got " + epochs);
        }
        this.cooldown = epochs;
        return this;
    }

    /** The lowest learning rate a reduction may set. */
    public ReduceLROnPlateau minLr(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: min_lr must be >= 0 and finite, got " + lr);
        }
        this.minLr = lr;
        return this;
    }

    /** Keras's ReduceLROnPlateau warning, word for word ("learning_rate" among the names, as in Keras). */
    @Override
    protected String missingMonitorWarning(String available) {
        return "Learning rate reduction is conditioned on metric `" + monitor() + "` which is not available. "
                + "Available metrics are: " + available + ".";
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        resetMonitor();
        cooldownCounter = 0;
        wait = 0;
        resolveDirection();
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        Optimizer opt = model().optimizer();
        logs.put("learning_rate", opt.learningRate());
        Double current = monitorValue(logs);
        if (current == null) {
            return;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            wait = 0;
        }
        if (isImprovement(current, best)) {
            best = current;
            wait = 0;
        } else if (cooldownCounter <= 0) {
            wait++;
            if (wait >= patience && reduce(opt, epoch)) {
                cooldownCounter = cooldown;
                wait = 0;
            }
        }
    }

    /** Keras's {@code _reduce_optimizer_lr}: nothing once the rate is at min_lr (compared in float32). */
    private boolean reduce(Optimizer opt, int epoch) {
        if (opt.schedule() != null) {
            // As Keras: a run that never plateaus trains (and logs the scheduled rate); a reduction cannot be made.
            throw new IllegalStateException("ReduceLROnPlateau: epoch " + (epoch + 1) + " calls for a lower learning "
                    + "rate, but the optimizer's follows " + opt.schedule() + " and cannot be set; give it a fixed "
                    + "learning rate");
        }
        double old = opt.learningRate();
        if (!(old > (float) minLr)) {
            return false;
        }
        double next = Math.max(old * factor, minLr);
        opt.setLearningRate(next);
        if (verbose > 0) {
            out().println();
            out().println("Epoch " + (epoch + 1) + ": ReduceLROnPlateau reducing learning rate to "
                    + PyFormat.repr(next) + ".");
        }
        return true;
    }
}
