package io.rnn4j.layers.metrics;

import io.rnn4j.engine.Tensor;

/**
 * Keras's MeanMetricWrapper: a value per sample (a function of the last axis), averaged over every
 * sample seen.
 */
abstract class MeanMetric implements Metric {
    private final String name;
    private final Direction direction;
    private double total;
    private long count;

    MeanMetric(String name, Direction direction) {
        this.name = name;
        this.direction = direction;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final void reset() {
        total = 0;
        count = 0;
    }

    @Override
    public final void update(Tensor labels, Tensor predictions) {
        float[] y = labels.toArray();
        float[] p = predictions.toArray();
        int last = predictions.dim(-1);
        int rows = p.length / last;
        for (int r = 0; r < rows; r++) {
            total += perSample(y, p, r, last);
        }
        count += rows;
    }

    /** The value of sample {@code row}, whose predictions are {@code p[row·last .. +last)}. */
    abstract double perSample(float[] labels, float[] predictions, int row, int last);

    @Override
    public double result() {
        return count == 0 ? Double.NaN : total / count;
    }

    @Override
    public final Direction direction() {
        return direction;
    }
}
