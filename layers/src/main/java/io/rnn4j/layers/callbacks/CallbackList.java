package io.rnn4j.layers.callbacks;

import io.rnn4j.layers.model.TrainableModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Calls every callback's hook in order, as Keras's CallbackList does: each dispatch hands all
 * callbacks one fresh copy of the logs, so that what one adds the next ones (and the History,
 * which reads the returned map) see, while the caller's map is left alone.
 */
public final class CallbackList {
    private final List<Callback> callbacks;

    public CallbackList(List<Callback> callbacks, TrainableModel model, Callback.Params params) {
        this.callbacks = List.copyOf(callbacks);
        for (Callback c : this.callbacks) {
            c.setModel(model);
            c.setParams(params);
        }
    }

    public boolean isEmpty() {
        return callbacks.isEmpty();
    }

    public Map<String, Double> onTrainBegin() {
        Map<String, Double> logs = new LinkedHashMap<>();
        for (Callback c : callbacks) {
            c.onTrainBegin(logs);
        }
        return logs;
    }

    public Map<String, Double> onTrainEnd(Map<String, Double> logs) {
        Map<String, Double> copy = new LinkedHashMap<>(logs);
        for (Callback c : callbacks) {
            c.onTrainEnd(copy);
        }
        return copy;
    }

    public Map<String, Double> onEpochBegin(int epoch) {
        Map<String, Double> logs = new LinkedHashMap<>();
        for (Callback c : callbacks) {
            c.onEpochBegin(epoch, logs);
        }
        return logs;
    }

    /** Returns the logs as the callbacks left them (what History records). */
    public Map<String, Double> onEpochEnd(int epoch, Map<String, Double> logs) {
        Map<String, Double> copy = new LinkedHashMap<>(logs);
        for (Callback c : callbacks) {
            c.onEpochEnd(epoch, copy);
        }
        return copy;
    }

    public void onBatchBegin(int batch) {
        if (callbacks.isEmpty()) {
            return;
        }
        Map<String, Double> logs = new LinkedHashMap<>();
        for (Callback c : callbacks) {
            c.onBatchBegin(batch, logs);
        }
    }

    public void onBatchEnd(int batch, Map<String, Double> logs) {
        if (callbacks.isEmpty()) {
            return;
        }
        Map<String, Double> copy = new LinkedHashMap<>(logs);
        for (Callback c : callbacks) {
            c.onBatchEnd(batch, copy);
        }
    }

    public void onTestBegin() {
        Map<String, Double> logs = new LinkedHashMap<>();
        for (Callback c : callbacks) {
            c.onTestBegin(logs);
        }
    }

    public void onTestEnd(Map<String, Double> logs) {
        Map<String, Double> copy = new LinkedHashMap<>(logs);
        for (Callback c : callbacks) {
            c.onTestEnd(copy);
        }
    }

    public void onTestBatchBegin(int batch) {
        Map<String, Double> logs = new LinkedHashMap<>();
        for (Callback c : callbacks) {
            c.onTestBatchBegin(batch, logs);
        }
    }

    public void onTestBatchEnd(int batch, Map<String, Double> logs) {
        Map<String, Double> copy = new LinkedHashMap<>(logs);
        for (Callback c : callbacks) {
            c.onTestBatchEnd(batch, copy);
        }
    }
}
