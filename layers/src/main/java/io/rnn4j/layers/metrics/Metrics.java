package io.rnn4j.layers.metrics;

import java.util.Arrays;
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
            // logged under the name given, as Keras's compile names a metric given by string
            case "accuracy", "acc" -> new Accuracy(name, Accuracy.Kind.AUTO);
            case "mae", "mean_absolute_error" -> meanAbsolute(name);
            case "mse", "mean_squared_error" -> meanSquared(name);
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
        return meanAbsolute("mae");
    }

    private static MeanMetric meanAbsolute(String name) {
        return new MeanMetric(name, Metric.Direction.DOWN) {
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
     * 0.5, or every top-k prediction with top_k), top_k, class_id (the only column of (batch, classes)
     * predictions that counts; negative counts from the last, as a Python index; checked against the
     * predictions' columns at each update, as Keras does).
     *
     * @throws IllegalArgumentException for a threshold outside [0, 1] or top_k < 1
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

    /**
     * Keras's TruePositives, logged as "true_positives": the weighted count of positive labels
     * predicted positive (greater than the threshold).
     *
     * @param thresholds none for Keras's default 0.5, or values in [0, 1]; several give one count
     *                   each ({@link ConfusionCount#perThreshold()}), which compile does not take
     * @throws IllegalArgumentException for a threshold outside [0, 1]
     */
    public static ConfusionCount truePositives(double... thresholds) {
        return confusionCount(ConfusionCount.Kind.TRUE_POSITIVES, thresholds);
    }

    /** Keras's FalsePositives, logged as "false_positives"; thresholds as {@link #truePositives}. */
    public static ConfusionCount falsePositives(double... thresholds) {
        return confusionCount(ConfusionCount.Kind.FALSE_POSITIVES, thresholds);
    }

    /** Keras's TrueNegatives, logged as "true_negatives"; thresholds as {@link #truePositives}. */
    public static ConfusionCount trueNegatives(double... thresholds) {
        return confusionCount(ConfusionCount.Kind.TRUE_NEGATIVES, thresholds);
    }

    /** Keras's FalseNegatives, logged as "false_negatives"; thresholds as {@link #truePositives}. */
    public static ConfusionCount falseNegatives(double... thresholds) {
        return confusionCount(ConfusionCount.Kind.FALSE_NEGATIVES, thresholds);
    }

    private static ConfusionCount confusionCount(ConfusionCount.Kind kind, double[] thresholds) {
        return new ConfusionCount(kind.kerasName, kind, thresholds == null || thresholds.length == 0 ? null
                : thresholds);
    }

    /**
     * Keras's SensitivityAtSpecificity(specificity), 200 thresholds, logged as
     * "sensitivity_at_specificity": the best sensitivity over the thresholds whose specificity is at
     * least {@code specificity} (0 when none is).
     *
     * @throws IllegalArgumentException for a specificity outside [0, 1]
     */
    public static Metric sensitivityAtSpecificity(double specificity) {
        return sensitivityAtSpecificity(specificity, 200, null);
    }

    /**
     * Keras's SensitivityAtSpecificity with its options.
     *
     * @param numThresholds the number of evenly spaced thresholds in [0, 1] (> 0; 1 gives 0.5)
     * @param classId       null, or the only column of (batch, classes) predictions that counts;
     *                      negative counts from the last, as a Python index (checked against the
     *                      predictions' columns at each update, as Keras does)
     * @throws IllegalArgumentException for a specificity below 0 or above 1 (NaN is taken, as Keras's
     *                                  range check lets it through; no threshold then reaches it, so
     *                                  the result is 0) or numThresholds <= 0
     */
    public static Metric sensitivityAtSpecificity(double specificity, int numThresholds, Integer classId) {
        return atConstraint(SensitivitySpecificity.Kind.SENSITIVITY_AT_SPECIFICITY, specificity, numThresholds,
                classId);
    }

    /**
     * Keras's SpecificityAtSensitivity(sensitivity), 200 thresholds, logged as
     * "specificity_at_sensitivity": the best specificity where sensitivity is at least
     * {@code sensitivity}.
     */
    public static Metric specificityAtSensitivity(double sensitivity) {
        return specificityAtSensitivity(sensitivity, 200, null);
    }

    /** Keras's SpecificityAtSensitivity with options, as {@link #sensitivityAtSpecificity(double, int, Integer)}. */
    public static Metric specificityAtSensitivity(double sensitivity, int numThresholds, Integer classId) {
        return atConstraint(SensitivitySpecificity.Kind.SPECIFICITY_AT_SENSITIVITY, sensitivity, numThresholds,
                classId);
    }

    /**
     * Keras's PrecisionAtRecall(recall), 200 thresholds, logged as "precision_at_recall": the best
     * precision where recall is at least {@code recall}.
     */
    public static Metric precisionAtRecall(double recall) {
        return precisionAtRecall(recall, 200, null);
    }

    /** Keras's PrecisionAtRecall with its options, as {@link #sensitivityAtSpecificity(double, int, Integer)}. */
    public static Metric precisionAtRecall(double recall, int numThresholds, Integer classId) {
        return atConstraint(SensitivitySpecificity.Kind.PRECISION_AT_RECALL, recall, numThresholds, classId);
    }

    /**
     * Keras's RecallAtPrecision(precision), 200 thresholds, logged as "recall_at_precision": the best
     * recall where precision is at least {@code precision} (0 when it is never reached).
     */
    public static Metric recallAtPrecision(double precision) {
        return recallAtPrecision(precision, 200, null);
    }

    /** Keras's RecallAtPrecision with its options, as {@link #sensitivityAtSpecificity(double, int, Integer)}. */
    public static Metric recallAtPrecision(double precision, int numThresholds, Integer classId) {
        return atConstraint(SensitivitySpecificity.Kind.RECALL_AT_PRECISION, precision, numThresholds, classId);
    }

    private static Metric atConstraint(SensitivitySpecificity.Kind kind, double value, int numThresholds,
            Integer classId) {
        return new SensitivitySpecificity(kind.kerasName, kind, value, numThresholds, classId);
    }

    /** Keras's R2Score() (uniform_average, no regressors), logged as "r2_score". */
    public static R2Score r2Score() {
        return r2Score("uniform_average", 0);
    }

    /**
     * Keras's R2Score with its options, logged as "r2_score".
     *
     * @param classAggregation "uniform_average", "variance_weighted_average", or null for one score
     *                         per output ({@link R2Score#perClass()}), which compile does not take
     * @param numRegressors    p >= 0: the adjusted R2 over p regressors (0: plain R2)
     * @throws IllegalArgumentException for another class_aggregation or numRegressors < 0
     */
    public static R2Score r2Score(String classAggregation, int numRegressors) {
        return new R2Score("r2_score", classAggregation, numRegressors);
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
     * confusion, F-score, R2 and loss-function metrics ("auc", "precision", "true_positives",
     * "r2_score", "mape", "KLDivergence", ...); empty for a string it does not list (the accuracies
     * and errors have their own factories).
     *
     * @throws IllegalArgumentException for a class Keras cannot build from its name alone
     *                                  ("sensitivity_at_specificity" and its family need their target)
     */
    public static Optional<Metric> fromKerasName(String identifier) {
        return KerasMetrics.byName(identifier);
    }

    /**
     * The metric a serialized Keras metric of class {@code className} and get_config
     * {@code config} rebuilds, for the classes {@link #fromKerasName} lists; empty for others.
     *
     * @throws IllegalArgumentException for options rnn4j does not take (several thresholds for
     *                                  Precision/Recall, ignore_class, an axis other than −1) or
     *                                  values Keras refuses
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
     * @throws IllegalArgumentException for an F-score with average None or an R2Score with
     *                                  class_aggregation None (one score per class), or a confusion
     *                                  count with several thresholds (one count per threshold)
     */
    public static void requireScalar(Metric m) {
        if (m instanceof Mean) {
            throw new IllegalArgumentException(m.name() + " is a Mean of values given to updateState, not of labels "
                    + "and predictions; keep it beside the model (a custom loop's loss tracker), not in compile");
        }
        if (m instanceof FBetaScore f && f.average() == null) {
            throw new IllegalArgumentException(m.name() + " with average=None gives one score per class, which a "
                    + "log entry cannot hold; compile it with average 'micro', 'macro' or 'weighted'");
        }
        if (m instanceof R2Score r && r.classAggregation() == null) {
            throw new IllegalArgumentException(m.name() + " with class_aggregation=None gives one score per output, "
                    + "which a log entry cannot hold; compile it with 'uniform_average' or "
                    + "'variance_weighted_average'");
        }
        if (m instanceof ConfusionCount c && c.isVector()) {
            throw new IllegalArgumentException(m.name() + " with thresholds " + Arrays.toString(c.thresholds())
                    + " gives one count per threshold, which a log entry cannot hold; compile it with one threshold");
        }
    }

    /** The label for prediction element j of row: same layout, or one label per row when the last axis is 1. */
    static double labelAt(float[] y, float[] p, int row, int last, int j) {
        return y.length == p.length ? y[row * last + j] : y[row];
    }
}
