package io.rnn4j.layers.metrics;

import io.rnn4j.engine.Tensor;

/**
 * Keras's MeanMetricWrapper: a value per sample (a function of the last axis), averaged over every
 * sample seen — every unmasked one, when the predictions carry a Keras mask.
 */
abstract class MeanMetric implements Metric {
    private final String name;
    private final Direction direction;
    private double total;
    private double count;

    MeanMetric(String name, Direction direction) {
        this.name = name;
        this.direction = direction;
    }

    /**
     * Whether the predictions' Keras mask takes values out: true for Keras's MeanMetricWrapper
     * metrics; RootMeanSquaredError is a plain Mean in Keras, which never sees the mask.
     */
    boolean usesMask() {
        return true;
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
        update(labels, predictions, null);
    }

    /**
     * Keras's MeanMetricWrapper with the predictions' mask as sample weights: each row's value
     * counts with its mask (0 or 1), so the result is the mean over unmasked rows.
     *
     * @throws IllegalArgumentException for a mask that is not one value per row, naming the shapes
     */
    @Override
    public final void update(Tensor labels, Tensor predictions, Tensor mask) {
        update(labels, predictions, mask, null);
    }

    /**
     * Keras's MeanMetricWrapper with sample weights: the mask multiplied into them (apply_mask,
     * "sum"), then Mean's weighted mean — which over equal-length samples is Σ w·v / Σ w with each
     * row's weight its sample's (or its own, for one weight per row).
     */
    @Override
    public final void update(Tensor labels, Tensor predictions, Tensor mask, Tensor sampleWeight) {
        checkLabels(labels, predictions);
        float[] y = batchLabels(labels.toArray());
        float[] p = predictions.toArray();
        int last = predictions.dim(-1);
        int rows = last == 0 ? 0 : p.length / last;
        float[] m = mask == null || !usesMask() ? null : mask.toArray();
        if (m != null && (m.length != rows || mask.rank() != predictions.rank() - 1)) {
            throw new IllegalArgumentException(name + ": the predictions' mask " + mask.shape() + " must have one "
                    + "value per row of predictions " + predictions.shape());
        }
        float[] w = sampleWeight == null ? null : sampleWeight.toArray();
        int batch = predictions.rank() == 0 ? 1 : predictions.dim(0);
        if (w != null && w.length != rows && (w.length != batch || batch == 0 || rows % batch != 0)) {
            throw new IllegalArgumentException(name + ": sample weights " + sampleWeight.shape() + " must be one per "
                    + "sample (" + batch + ") or one per row of predictions " + predictions.shape());
        }
        int perSample = batch == 0 ? 1 : rows / batch;
        for (int r = 0; r < rows; r++) {
            double weight = (w == null ? 1 : w.length == rows ? w[r] : w[r / perSample]) * (m == null ? 1 : m[r]);
            if (weight != 0) {
                total += weight * perSample(y, p, r, last);
                count += weight;
            }
        }
    }

    /**
     * Checks the labels' shape against the predictions' before anything is counted; by default any
     * labels pass (each metric reads them its own way).
     *
     * @throws IllegalArgumentException for labels the metric cannot read, naming both shapes
     */
    void checkLabels(Tensor labels, Tensor predictions) {
    }

    /** The batch's labels as the per-sample function takes them (hinge's −1/1 conversion is batch-wide). */
    float[] batchLabels(float[] labels) {
        return labels;
    }

    /** The value of sample {@code row}, whose predictions are {@code p[row·last .. +last)}. */
    abstract double perSample(float[] labels, float[] predictions, int row, int last);

    @Override
    public double result() {
        // Keras divides with divide_no_nan: before any update, or when every row was masked, 0.
        return count == 0 ? 0 : total / count;
    }

    @Override
    public final Direction direction() {
        return direction;
    }
}
