package io.rnn4j.layers.metrics;

import java.util.Map;
import java.util.Optional;

/** Keras's metrics: {@code Metrics.meanAbsoluteError()} ("mae"), {@code Metrics.accuracy()}, ... */
public final class Metrics {
    private Metrics() {
    }

    /**
     * The metric Keras's compile makes of a name ({@code metrics=["mae", "auc"]}): "accuracy"/"acc",
     * the loss and metric functions' names and aliases, and the classes' names ("AUC", "Precision",
     * ...), logged under that name or Keras's short form.
     *
     * @throws IllegalArgumentException for a name rnn4j has no metric for
     */
    public static Metric get(String name) {
        return switch (name) {
            case "accuracy", "acc" -> accuracy();
            case "mae", "mean_absolute_error" -> meanAbsoluteError();
            case "mse", "mean_squared_error" -> meanSquaredError();
            case "root_mean_squared_error" -> rootMeanSquaredError();
            case "binary_accuracy" -> binaryAccuracy();
            case "categorical_accuracy" -> categoricalAccuracy();
            case "sparse_categorical_accuracy" -> sparseCategoricalAccuracy();
            case "top_k_categorical_accuracy" -> topKCategoricalAccuracy();
            case "sparse_top_k_categorical_accuracy" -> sparseTopKCategoricalAccuracy();
            default -> fromKerasName(name).orElseThrow(
                    () -> new IllegalArgumentException("metric '" + name + "' is not one rnn4j has"));
        };
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

    /** Keras's Precision at threshold 0.5, logged as "precision". */
    public static Metric precision() {
        return new PrecisionRecall("precision", false, null, null, null);
    }

    /**
     * Keras's Precision with its options (null for Keras's None): one threshold in [0, 1] (default
     * 0.5, or every top-k prediction with top_k), top_k, class_id.
     *
     * @throws IllegalArgumentException for a threshold outside [0, 1], top_k < 1 or class_id < 0
     */
    public static Metric precision(Double threshold, Integer topK, Integer classId) {
        return new PrecisionRecall("precision", false, threshold, topK, classId);
    }

    /** Keras's Recall at threshold 0.5, logged as "recall". */
    public static Metric recall() {
        return new PrecisionRecall("recall", true, null, null, null);
    }

    /** Keras's Recall with its options, as {@link #precision(Double, Integer, Integer)}. */
    public static Metric recall(Double threshold, Integer topK, Integer classId) {
        return new PrecisionRecall("recall", true, threshold, topK, classId);
    }

    /** Keras's AUC() (ROC, 200 thresholds, interpolation), logged as "auc"; {@link Auc#builder()} for options. */
    public static Auc auc() {
        return Auc.builder().build();
    }

    /**
     * Keras 3's F1Score, logged as "f1_score".
     *
     * @param average   null (one score per class, not loggable), "micro", "macro" or "weighted"
     * @param threshold null (each row's maximum is the prediction) or in (0, 1]
     */
    public static FBetaScore f1Score(String average, Double threshold) {
        return new FBetaScore("f1_score", average, 1.0, threshold, true);
    }

    /** Keras 3's FBetaScore with beta > 0, logged as "fbeta_score"; see {@link #f1Score}. */
    public static FBetaScore fBetaScore(String average, double beta, Double threshold) {
        return new FBetaScore("fbeta_score", average, beta, threshold, false);
    }

    /** {@code 100 · mean(|(y − ŷ) / max(|y|, ε)|)}, logged as "mape". */
    public static Metric meanAbsolutePercentageError() {
        return new LossMetrics("mape", LossMetrics.Kind.MAPE);
    }

    /** Mean squared logarithmic error, logged as "msle". */
    public static Metric meanSquaredLogarithmicError() {
        return new LossMetrics("msle", LossMetrics.Kind.MSLE);
    }

    /** Keras's LogCoshError, logged as "log_cosh_error" (the name compile gives the string). */
    public static Metric logCoshError() {
        return new LossMetrics("log_cosh_error", LossMetrics.Kind.LOG_COSH);
    }

    /** KL divergence, logged as "kl_divergence". */
    public static Metric klDivergence() {
        return new LossMetrics("kl_divergence", LossMetrics.Kind.KLD);
    }

    /** Poisson, logged as "poisson". */
    public static Metric poisson() {
        return new LossMetrics("poisson", LossMetrics.Kind.POISSON);
    }

    /** The cosine similarity of labels and predictions (positive, higher is better), logged as "cosine_similarity". */
    public static Metric cosineSimilarity() {
        return new LossMetrics("cosine_similarity", LossMetrics.Kind.COSINE);
    }

    /** Hinge, 0/1 labels taken as −1/1, logged as "hinge". */
    public static Metric hinge() {
        return new LossMetrics("hinge", LossMetrics.Kind.HINGE);
    }

    /** Squared hinge, 0/1 labels taken as −1/1, logged as "squared_hinge". */
    public static Metric squaredHinge() {
        return new LossMetrics("squared_hinge", LossMetrics.Kind.SQUARED_HINGE);
    }

    /** Categorical hinge on one-hot labels, logged as "categorical_hinge". */
    public static Metric categoricalHinge() {
        return new LossMetrics("categorical_hinge", LossMetrics.Kind.CATEGORICAL_HINGE);
    }

    /** Binary crossentropy on probabilities, logged as "binary_crossentropy". */
    public static Metric binaryCrossentropy() {
        return binaryCrossentropy(false, 0);
    }

    /** Binary crossentropy with Keras's from_logits and label_smoothing in [0, 1]. */
    public static Metric binaryCrossentropy(boolean fromLogits, double labelSmoothing) {
        return new LossMetrics("binary_crossentropy", LossMetrics.Kind.BINARY_CROSSENTROPY, fromLogits, labelSmoothing);
    }

    /** Categorical crossentropy on probabilities with one-hot labels, logged as "categorical_crossentropy". */
    public static Metric categoricalCrossentropy() {
        return categoricalCrossentropy(false, 0);
    }

    /** Categorical crossentropy with Keras's from_logits and label_smoothing in [0, 1]. */
    public static Metric categoricalCrossentropy(boolean fromLogits, double labelSmoothing) {
        return new LossMetrics("categorical_crossentropy", LossMetrics.Kind.CATEGORICAL_CROSSENTROPY, fromLogits,
                labelSmoothing);
    }

    /** Sparse categorical crossentropy with class ids, logged as "sparse_categorical_crossentropy". */
    public static Metric sparseCategoricalCrossentropy() {
        return sparseCategoricalCrossentropy(false);
    }

    /** Sparse categorical crossentropy with Keras's from_logits. */
    public static Metric sparseCategoricalCrossentropy(boolean fromLogits) {
        return new LossMetrics("sparse_categorical_crossentropy", LossMetrics.Kind.SPARSE_CATEGORICAL_CROSSENTROPY,
                fromLogits, 0);
    }

    /**
     * The metric Keras's compile makes of the string {@code identifier}, named by it, for the
     * confusion, F-score and loss-function metrics ("auc", "precision", "mape", "KLDivergence",
     * ...); empty for a string it does not list (the accuracies and errors have their own factories).
     */
    public static Optional<Metric> fromKerasName(String identifier) {
        return KerasMetrics.byName(identifier);
    }

    /**
     * The metric a serialized Keras metric of class {@code className} and get_config
     * {@code config} rebuilds, for the classes {@link #fromKerasName} lists; empty for others.
     *
     * @throws IllegalArgumentException for options rnn4j does not take (several thresholds,
     *                                  ignore_class, an axis other than −1) or values Keras refuses
     */
    public static Optional<Metric> fromKerasConfig(String className, Map<?, ?> config) {
        return KerasMetrics.byConfig(className, config);
    }

    /**
     * tf.keras 2's {@code MeanMetricWrapper(fn, name)} around one of the loss functions
     * {@link #fromKerasName} lists ("mean_squared_logarithmic_error", "kl_divergence", ...),
     * logged under {@code name} as Keras logs it; empty for other functions.
     */
    public static Optional<Metric> fromKerasWrapper(String function, String name) {
        return KerasMetrics.wrapped(function, name);
    }

    /**
     * Checks that {@code m} gives one number, as rnn4j's logs need.
     *
     * @throws IllegalArgumentException for an F-score with average None (one score per class)
     */
    public static void requireScalar(Metric m) {
        if (m instanceof FBetaScore f && f.average() == null) {
            throw new IllegalArgumentException(m.name() + " with average=None gives one score per class, which a "
                    + "log entry cannot hold; compile it with average 'micro', 'macro' or 'weighted'");
        }
    }

    /** The label for prediction element j of row: same layout, or one label per row when the last axis is 1. */
    static double labelAt(float[] y, float[] p, int row, int last, int j) {
        return y.length == p.length ? y[row * last + j] : y[row];
    }
}
