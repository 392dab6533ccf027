package io.rnn4j.layers.callbacks;

import io.rnn4j.layers.model.TrainableModel;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Keras callback: hooks that {@code fit} calls around training, each epoch and each batch, and
 * around its evaluation of the validation data (the {@code onTest…} hooks), with the logs of the
 * moment ("loss", the metrics, "val_…" at epoch end). Override the hooks
 * needed; the rest do nothing. A hook may add entries to the epoch-end logs (as
 * ReduceLROnPlateau adds "learning_rate"): History records what the callbacks leave there.
 *
 * <p>{@code fit} gives each callback the model ({@link #model()}: weights, optimizer,
 * {@code stopTraining}) and the run's parameters ({@link #params()}) before
 * {@link #onTrainBegin}. Epochs and batches count from 0, as in Keras. A callback may be reused
 * by several {@code fit} calls; the built-in ones reset in {@code onTrainBegin}.
 */
public abstract class Callback {
    private TrainableModel model;
    private Params params;

    /**
     * What Keras's {@code callback.params} holds, and the names fit will log at each epoch's end
     * (as Keras 2's {@code params["metrics"]} listed them), so that a callback can name them
     * before the first epoch.
     *
     * @param epochs   the number of epochs fit was asked for
     * @param steps    batches per epoch
     * @param verbose  fit's verbosity
     * @param out      where fit prints (callbacks with verbose output print there too)
     * @param logNames the quantities fit logs at each epoch's end, in order: "loss", the compiled
     *                 metrics, each output's loss, then their "val_" forms with validation data;
     *                 callbacks may add more ("learning_rate"); empty where not known
     */
    public record Params(int epochs, int steps, int verbose, PrintStream out, List<String> logNames) {
        public Params {
            Objects.requireNonNull(out, "out");
            logNames = List.copyOf(logNames);
        }

        /** The parameters without the names fit logs (then {@link #logNames()} is empty). */
        public Params(int epochs, int steps, int verbose, PrintStream out) {
            this(epochs, steps, verbose, out, List.of());
        }
    }

    protected Callback() {
    }

    public void setModel(TrainableModel model) {
        this.model = model;
    }

    /** The model being trained (null outside fit). */
    public TrainableModel model() {
        return model;
    }

    public void setParams(Params params) {
        this.params = params;
    }

    /** The run's parameters (null outside fit). */
    public Params params() {
        return params;
    }

    /** Where to print: fit's output stream, or standard output outside fit. */
    protected PrintStream out() {
        return params != null ? params.out() : System.out;
    }

    public void onTrainBegin(Map<String, Double> logs) {
    }

    /** @param logs the last epoch's logs */
    public void onTrainEnd(Map<String, Double> logs) {
    }

    public void onEpochBegin(int epoch, Map<String, Double> logs) {
    }

    /** @param logs the epoch's loss and metrics, and "val_…" with validation; entries may be added */
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
    }

    /** Keras's on_train_batch_begin (alias on_batch_begin). */
    public void onBatchBegin(int batch, Map<String, Double> logs) {
    }

    /** Keras's on_train_batch_end (alias on_batch_end); logs hold the epoch's running loss and metrics. */
    public void onBatchEnd(int batch, Map<String, Double> logs) {
    }

    /** Keras's on_test_begin: fit is about to evaluate the validation data (after an epoch's training). */
    public void onTestBegin(Map<String, Double> logs) {
    }

    /** Keras's on_test_end; logs hold the validation loss and metrics, without the "val_" prefix. */
    public void onTestEnd(Map<String, Double> logs) {
    }

    /** Keras's on_test_batch_begin: before each batch of the validation data. */
    public void onTestBatchBegin(int batch, Map<String, Double> logs) {
    }

    /** Keras's on_test_batch_end; logs hold the running validation loss and metrics. */
    public void onTestBatchEnd(int batch, Map<String, Double> logs) {
    }
}
