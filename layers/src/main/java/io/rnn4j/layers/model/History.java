package io.rnn4j.layers.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code fit} returns, as Keras's History: for each logged quantity ("loss", "mae",
 * "val_loss", "val_mae", ...) its value at the end of each epoch, in order.
 */
public final class History {
    private final Map<String, List<Double>> values = new LinkedHashMap<>();
    private final List<Integer> epochNumbers = new ArrayList<>();

    History() {
    }

    void record(int epoch, Map<String, Double> logs) {
        epochNumbers.add(epoch);
        logs.forEach((k, v) -> values.computeIfAbsent(k, key -> new ArrayList<>()).add(v));
    }

    /** Every quantity and its per-epoch values (Keras's {@code history.history}). */
    public Map<String, List<Double>> history() {
        Map<String, List<Double>> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, Collections.unmodifiableList(new ArrayList<>(v))));
        return Collections.unmodifiableMap(copy);
    }

    /**
     * The per-epoch values of {@code key}.
     *
     * @throws IllegalArgumentException naming the keys there are
     */
    public List<Double> get(String key) {
        List<Double> v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("history has no '" + key + "'; it has " + values.keySet());
        }
        return Collections.unmodifiableList(v);
    }

    /** The value of {@code key} after the last epoch. */
    public double last(String key) {
        List<Double> v = get(key);
        return v.get(v.size() - 1);
    }

    /**
     * The number of each recorded epoch, from 0 (Keras's {@code history.epoch}): {@code [0, 1, ...]},
     * or from the initial epoch of a resumed run.
     */
    public List<Integer> epoch() {
        return Collections.unmodifiableList(new ArrayList<>(epochNumbers));
    }

    /** The number of epochs recorded. */
    public int epochs() {
        return epochNumbers.size();
    }

    @Override
    public String toString() {
        return "History" + values;
    }
}
