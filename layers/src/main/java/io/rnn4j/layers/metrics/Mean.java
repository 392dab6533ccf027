package io.rnn4j.layers.metrics;

import io.rnn4j.engine.Tensor;

/**
 * Keras's {@code keras.metrics.Mean}: the running mean of every value given to {@link #updateState},
 * as a custom train step's loss tracker ({@code Mean(name="loss")}) keeps it. It follows values, not
 * labels and predictions, so it is updated by hand and cannot be compiled as a model's metric.
 */
public final class Mean implements Metric {
    private final String name;
    private double total;
    private double count;

    /** A mean named {@code name} in logs ("loss"). */
    public Mean(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Mean: a metric needs a name, got " + (name == null ? "null" : "'"
                    + name + "'"));
        }
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    /** Keras's {@code update_state(values)}: every element counts once (a per-sample loss, a scalar). */
    public void updateState(Tensor values) {
        for (float v : values.toArray()) {
            total += v;
            count++;
        }
    }

    /** Keras's {@code update_state(value)} for one number. */
    public void updateState(double value) {
        total += value;
        count++;
    }

    /**
     * Keras's {@code update_state(value, sample_weight=weight)} for one number: it counts {@code weight}
     * times (Keras's default train step weighs each batch's loss by the batch size so).
     *
     * @throws IllegalArgumentException for a negative or non-finite weight
     */
    public void updateState(double value, double weight) {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException(name + ".updateState: the weight must be finite and >= 0, got "
                    + weight);
        }
        total += value * weight;
        count += weight;
    }

    /**
     * Refused: a Mean takes values ({@link #updateState}), not labels and predictions.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public void update(Tensor labels, Tensor predictions) {
        throw new UnsupportedOperationException(name + ": a Mean metric averages values given to updateState("
                + "values); it takes no labels and predictions, so it cannot be compiled as a model's metric");
    }

    @Override
    public void reset() {
        total = 0;
        count = 0;
    }

    /** The mean so far; 0 before any value, as Keras's divide_no_nan gives. */
    @Override
    public double result() {
        return count == 0 ? 0 : total / count;
    }
}
