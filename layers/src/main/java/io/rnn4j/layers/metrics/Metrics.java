package io.rnn4j.layers.metrics;

/** Keras's metrics: {@code Metrics.meanAbsoluteError()} ("mae"), {@code Metrics.accuracy()}, ... */
public final class Metrics {
    private Metrics() {
    }

    /** Mean absolute error, logged as "mae". */
    public static Metric meanAbsoluteError() {
        return new MeanMetric("mae", Metric.Direction.DOWN) {
            @Override
            double perSample(float[] y, float[] p, int row, int last) {
                double s = 0;
                for (int j = 0; j < last; j++) {
                    s += Math.abs((double) p[row * last + j] - labelAt(y, p, row, last, j));
                }
                return s / last;
            }
        };
    }

    /** Mean squared error, logged as "mse". */
    public static Metric meanSquaredError() {
        return meanSquared("mse");
    }

    /**
     * Root mean squared error, logged as "root_mean_squared_error": the square root of the mean
     * squared error over every element seen (not a mean of per-batch roots). As Keras's (a Mean,
     * not a MeanMetricWrapper) it counts masked timesteps too.
     */
    public static Metric rootMeanSquaredError() {
        return new MeanMetric("root_mean_squared_error", Metric.Direction.DOWN) {
            private final MeanMetric squared = meanSquared("mse");

            @Override
            double perSample(float[] y, float[] p, int row, int last) {
                return squared.perSample(y, p, row, last);
            }

            @Override
            public double result() {
                return Math.sqrt(super.result());
            }

            @Override
            boolean usesMask() {
                return false;
            }
        };
    }

    private static MeanMetric meanSquared(String name) {
        return new MeanMetric(name, Metric.Direction.DOWN) {
            @Override
            double perSample(float[] y, float[] p, int row, int last) {
                double s = 0;
                for (int j = 0; j < last; j++) {
                    double d = (double) p[row * last + j] - labelAt(y, p, row, last, j);
                    s += d * d;
                }
                return s / last;
            }
        };
    }

    /**
     * Keras's "accuracy", which picks its kind from the shapes as Keras does: binary (threshold 0.5)
     * when the predictions have one column, sparse categorical when the labels are class ids, else
     * categorical (argmax against argmax).
     */
    public static Metric accuracy() {
        return new Accuracy("accuracy", Accuracy.Kind.AUTO);
    }

    /** The fraction of {@code (ŷ > 0.5) == y}, per sample over its last axis. */
    public static Metric binaryAccuracy() {
        return new Accuracy("binary_accuracy", Accuracy.Kind.BINARY);
    }

    /** The fraction of samples whose argmax matches the one-hot label's. */
    public static Metric categoricalAccuracy() {
        return new Accuracy("categorical_accuracy", Accuracy.Kind.CATEGORICAL);
    }

    /** The fraction of samples whose argmax is the class id. */
    public static Metric sparseCategoricalAccuracy() {
        return new Accuracy("sparse_categorical_accuracy", Accuracy.Kind.SPARSE);
    }

    /**
     * Whether the one-hot label's class is among the 5 highest predictions, logged as
     * "top_k_categorical_accuracy".
     */
    public static Metric topKCategoricalAccuracy() {
        return topKCategoricalAccuracy(5);
    }

    /** Whether the one-hot label's class is among the k highest predictions (ties at the boundary count). */
    public static Metric topKCategoricalAccuracy(int k) {
        return new TopK("top_k_categorical_accuracy", k, false);
    }

    /**
     * Whether the class id is among the 5 highest predictions, logged as
     * "sparse_top_k_categorical_accuracy".
     */
    public static Metric sparseTopKCategoricalAccuracy() {
        return sparseTopKCategoricalAccuracy(5);
    }

    /** Whether the class id is among the k highest predictions (ties at the boundary count). */
    public static Metric sparseTopKCategoricalAccuracy(int k) {
        return new TopK("sparse_top_k_categorical_accuracy", k, true);
    }

    /** The label for prediction element j of row: same layout, or one label per row when the last axis is 1. */
    static double labelAt(float[] y, float[] p, int row, int last, int j) {
        return y.length == p.length ? y[row * last + j] : y[row];
    }
}
