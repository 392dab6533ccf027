package io.rnn4j.layers.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What {@code evaluate} returns: the loss and each metric, over all the samples given. */
public final class Evaluation {
    private final Map<String, Double> values;

    Evaluation(Map<String, Double> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The mean loss (including regularization penalties, as Keras reports it). */
    public double loss() {
        return values.get("loss");
    }

    /**
     * The metric named {@code name} ("mae", "accuracy").
     *
     * @throws IllegalArgumentException naming the metrics there are
     */
    public double metric(String name) {
        Double v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("evaluation has no '" + name + "'; it has " + values.keySet());
        }
        return v;
    }

    /** "loss" then each metric, in compile order (Keras's return_dict=True). */
    public Map<String, Double> asMap() {
        return values;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
