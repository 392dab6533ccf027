package io.rnn4j.layers.callbacks;

import io.rnn4j.engine.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's EarlyStopping: stops training when the monitored quantity has not improved (by more
 * than min_delta) for {@code patience} epochs, counting from {@code start_from_epoch}; with
 * {@code restore_best_weights}, the model ends with the weights of its best epoch (or of the
 * first monitored epoch if none improved). A {@code baseline} must be beaten for the patience to
 * restart. Defaults: monitor "val_loss", min_delta 0, patience 0, mode AUTO, no baseline, no
 * restoring, start_from_epoch 0.
 */
public final class EarlyStopping extends MonitorCallback {
    private int patience;
    private int verbose;
    private Double baseline;
    private boolean restoreBestWeights;
    private int startFromEpoch;
    private int wait;
    private int stoppedEpoch;
    private int bestEpoch;
    private List<Tensor> bestWeights;

    /**
     * Keras's {@code EarlyStopping()} with its defaults: monitor "val_loss", min_delta 0, patience 0,
     * mode AUTO, no baseline, no restoring, start_from_epoch 0; change them with the setters.
     */
    public EarlyStopping() {
        super("val_loss", 0);
    }

    /** Keras's monitor: the logged quantity watched, "val_loss" by default ("loss", "val_accuracy", ...). */
    public EarlyStopping monitor(String quantity) {
        setMonitor(quantity);
        return this;
    }

    /**
     * Keras's min_delta: a change smaller than this is no improvement (its absolute value is taken,
     * as Keras does); default 0.
     */
    public EarlyStopping minDelta(double delta) {
        setMinDelta(delta);
        return this;
    }

    /** Epochs without improvement after which training stops. */
    public EarlyStopping patience(int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("EarlyStopping: patience must be >= 0, got " + epochs);
        }
        this.patience = epochs;
        return this;
    }

    /** 1 prints when training stops and when the best weights are restored. */
    public EarlyStopping verbose(int level) {
        this.verbose = level;
        return this;
    }

    /**
     * Keras's mode: MIN when lower is better, MAX when higher is, AUTO (the default) to tell from the
     * quantity's name (a loss goes down, an accuracy up).
     */
    public EarlyStopping mode(Mode m) {
        setMode(m);
        return this;
    }

    /** Keras's {@code mode="max"}: "auto", "min" or "max" ({@link Mode#of}). */
    public EarlyStopping mode(String m) {
        return mode(Mode.of(m));
    }

    /** A value the quantity must beat for the patience to restart. */
    public EarlyStopping baseline(double value) {
        this.baseline = value;
        return this;
    }

    /**
     * Keras's restore_best_weights: at the end of training the model gets back the weights of its
     * best epoch (of the first monitored epoch if none improved); default false.
     */
    public EarlyStopping restoreBestWeights(boolean on) {
        this.restoreBestWeights = on;
        return this;
    }

    /** Epochs of warm-up during which nothing is monitored. */
    public EarlyStopping startFromEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("EarlyStopping: start_from_epoch must be >= 0, got " + epoch);
        }
        this.startFromEpoch = epoch;
        return this;
    }

    /** The epoch (from 0) at which training was stopped, or 0 if it was not. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /** The epoch (from 0) with the best monitored value. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** Keras's EarlyStopping warning, word for word. */
    @Override
    protected String missingMonitorWarning(String available) {
        return "Early stopping conditioned on metric `" + monitor() + "` which is not available. Available metrics "
                + "are: " + available;
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        wait = 0;
        stoppedEpoch = 0;
        bestEpoch = 0;
        bestWeights = null;
        resetMonitor();
        resolveDirection();
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        Double current = monitorValue(logs);
        if (current == null || epoch < startFromEpoch) {
            return;
        }
        if (restoreBestWeights && bestWeights == null) {
            // Keras: if no epoch improves, the first monitored epoch's weights are the best.
            bestWeights = model().getWeights();
            bestEpoch = epoch;
        }
        wait++;
        if (isImprovement(current, best)) {
            best = current;
            bestEpoch = epoch;
            if (restoreBestWeights) {
                bestWeights = model().getWeights();
            }
            if (baseline == null || isImprovement(current, baseline)) {
                wait = 0;
            }
            return;
        }
        if (wait >= patience && epoch > 0) {
            stoppedEpoch = epoch;
            model().setStopTraining(true);
        }
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        if (stoppedEpoch > 0 && verbose > 0) {
            out().println("Epoch " + (stoppedEpoch + 1) + ": early stopping");
        }
        if (restoreBestWeights && bestWeights != null) {
            if (verbose > 0) {
                out().println("Restoring model weights from the end of the best epoch: " + (bestEpoch + 1) + ".");
            }
            model().setWeights(bestWeights);
        }
    }
}
