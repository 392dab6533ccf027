package io.rnn4j.layers.metrics;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keras 3's metric identifiers (keras/src/metrics/__init__.py ALL_OBJECTS_DICT: class names,
 * their snake_case and the aliases "mape", "msle", "bce") and serialized metric configs, for the
 * confusion (counts, Precision/Recall, AUC, the *AtSensitivity family), F-score, R2 and
 * loss-function metrics. A string names the metric as compile's get_metric
 * does; a config's "name" names it.
 */
final class KerasMetrics {
    private KerasMetrics() {
    }

    static Optional<Metric> byName(String id) {
        LossMetrics.Kind kind = lossKind(id);
        if (kind != null) {
            return Optional.of(new LossMetrics(id, kind));
        }
        return Optional.ofNullable(switch (id) {
            case "precision", "Precision" -> new PrecisionRecall(id, false, null, null, null);
            case "recall", "Recall" -> new PrecisionRecall(id, true, null, null, null);
            case "auc", "AUC" -> Auc.builder().name(id).build();
            case "f1_score", "F1Score" -> new FBetaScore(id, null, 1.0, null, true);
            case "f_beta_score", "FBetaScore" -> new FBetaScore(id, null, 1.0, null, false);
            case "true_positives", "TruePositives" ->
                    new ConfusionCount(id, ConfusionCount.Kind.TRUE_POSITIVES, null);
            case "false_positives", "FalsePositives" ->
                    new ConfusionCount(id, ConfusionCount.Kind.FALSE_POSITIVES, null);
            case "true_negatives", "TrueNegatives" ->
                    new ConfusionCount(id, ConfusionCount.Kind.TRUE_NEGATIVES, null);
            case "false_negatives", "FalseNegatives" ->
                    new ConfusionCount(id, ConfusionCount.Kind.FALSE_NEGATIVES, null);
            case "r2_score", "R2Score" -> new R2Score(id, "uniform_average", 0);
            default -> {
                for (SensitivitySpecificity.Kind k : SensitivitySpecificity.Kind.values()) {
                    if (id.equals(k.kerasName) || id.equals(k.className)) {
                        // Keras's get() calls the class without arguments: a TypeError for the missing target
                        String factory = Character.toLowerCase(k.className.charAt(0)) + k.className.substring(1);
                        throw new IllegalArgumentException("metric '" + id + "' needs its " + k.target + ", as Keras's "
                                + k.className + "(" + k.target + ") does; compile it as an object: Metrics." + factory
                                + "(" + k.target + ")");
                    }
                }
                yield null;
            }
        });
    }

    /** tf.keras 2's MeanMetricWrapper(fn, name) for a loss-function metric: logged under its name. */
    static Optional<Metric> wrapped(String fn, String name) {
        LossMetrics.Kind kind = lossKind(fn);
        return kind == null ? Optional.empty() : Optional.of(new LossMetrics(name, kind));
    }

    private static LossMetrics.Kind lossKind(String id) {
        return switch (id) {
            case "mape", "MAPE", "mean_absolute_percentage_error", "MeanAbsolutePercentageError" -> LossMetrics.Kind.MAPE;
            case "msle", "MSLE", "mean_squared_logarithmic_error", "MeanSquaredLogarithmicError" -> LossMetrics.Kind.MSLE;
            // "log_cosh" is the loss function compile may be given as a metric
            case "log_cosh_error", "LogCoshError", "log_cosh" -> LossMetrics.Kind.LOG_COSH;
            case "kl_divergence", "KLDivergence" -> LossMetrics.Kind.KLD;
            case "poisson", "Poisson" -> LossMetrics.Kind.POISSON;
            case "cosine_similarity", "CosineSimilarity" -> LossMetrics.Kind.COSINE;
            case "hinge", "Hinge" -> LossMetrics.Kind.HINGE;
            case "squared_hinge", "SquaredHinge" -> LossMetrics.Kind.SQUARED_HINGE;
            case "categorical_hinge", "CategoricalHinge" -> LossMetrics.Kind.CATEGORICAL_HINGE;
            case "binary_crossentropy", "BinaryCrossentropy", "bce", "BCE" -> LossMetrics.Kind.BINARY_CROSSENTROPY;
            case "categorical_crossentropy", "CategoricalCrossentropy" -> LossMetrics.Kind.CATEGORICAL_CROSSENTROPY;
            case "sparse_categorical_crossentropy", "SparseCategoricalCrossentropy" ->
                    LossMetrics.Kind.SPARSE_CATEGORICAL_CROSSENTROPY;
            default -> null;
        };
    }

    static Optional<Metric> byConfig(String cls, Map<?, ?> c) {
        switch (cls) {
            case "Precision", "Recall" -> {
                known(cls, c, "thresholds", "top_k", "class_id");
                boolean recall = cls.equals("Recall");
                return Optional.of(new PrecisionRecall(name(c, recall ? "recall" : "precision"), recall,
                        threshold(cls, c.get("thresholds")), c.get("thresholds") instanceof List,
                        integer(cls, c, "top_k"), integer(cls, c, "class_id")));
            }
            case "AUC" -> {
                known(cls, c, "num_thresholds", "curve", "summation_method", "thresholds", "multi_label",
                        "num_labels", "label_weights", "from_logits");
                Auc.Builder b = Auc.builder().name(name(c, "auc"));
                Integer n = integer(cls, c, "num_thresholds");
                if (n != null) {
                    b.numThresholds(n);
                }
                if (c.get("curve") != null) {
                    b.curve(curve(String.valueOf(c.get("curve"))));
                }
                if (c.get("summation_method") != null) {
                    b.summationMethod(summation(String.valueOf(c.get("summation_method"))));
                }
                b.thresholds(numbers(cls, c, "thresholds"));
                b.multiLabel(Boolean.TRUE.equals(c.get("multi_label")));
                b.numLabels(integer(cls, c, "num_labels"));
                b.labelWeights(numbers(cls, c, "label_weights"));
                b.fromLogits(Boolean.TRUE.equals(c.get("from_logits")));
                return Optional.of(b.build());
            }
            case "F1Score", "FBetaScore" -> {
                boolean f1 = cls.equals("F1Score");
                if (f1) {
                    known(cls, c, "average", "threshold");
                } else {
                    known(cls, c, "average", "beta", "threshold");
                }
                Object avg = c.get("average");
                if (avg != null && !(avg instanceof String)) {
                    throw new IllegalArgumentException(cls + ": average must be None or a string, got " + avg);
                }
                double beta = c.get("beta") instanceof Number x ? x.doubleValue() : 1.0;
                Double t = c.get("threshold") instanceof Number x ? x.doubleValue() : null;
                return Optional.of(new FBetaScore(name(c, f1 ? "f1_score" : "fbeta_score"), (String) avg, beta, t, f1));
            }
            case "TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives" -> {
                known(cls, c, "thresholds");
                ConfusionCount.Kind kind = null;
                for (ConfusionCount.Kind k : ConfusionCount.Kind.values()) {
                    kind = k.className.equals(cls) ? k : kind;
                }
                double[] thresholds = thresholds(cls, c.get("thresholds"));
                return Optional.of(new ConfusionCount(name(c, kind.kerasName), kind, thresholds,
                        c.get("thresholds") instanceof List));
            }
            case "SensitivityAtSpecificity", "SpecificityAtSensitivity", "PrecisionAtRecall", "RecallAtPrecision" -> {
                SensitivitySpecificity.Kind kind = null;
                for (SensitivitySpecificity.Kind k : SensitivitySpecificity.Kind.values()) {
                    kind = k.className.equals(cls) ? k : kind;
                }
                known(cls, c, kind.target, "num_thresholds", "class_id");
                if (!(c.get(kind.target) instanceof Number target)) {
                    throw new IllegalArgumentException(cls + ": " + kind.target + " must be a number in [0, 1], got "
                            + c.get(kind.target));
                }
                Integer n = integer(cls, c, "num_thresholds");
                return Optional.of(new SensitivitySpecificity(name(c, kind.kerasName), kind, target.doubleValue(),
                        n == null ? 200 : n, integer(cls, c, "class_id")));
            }
            case "R2Score" -> {
                known(cls, c, "class_aggregation", "num_regressors");
                Object agg = c.containsKey("class_aggregation") ? c.get("class_aggregation") : "uniform_average";
                if (agg != null && !(agg instanceof String)) {
                    throw new IllegalArgumentException(cls + ": class_aggregation must be None or a string, got "
                            + agg);
                }
                Integer p = integer(cls, c, "num_regressors");
                return Optional.of(new R2Score(name(c, "r2_score"), (String) agg, p == null ? 0 : p));
            }
            default -> {
                for (LossMetrics.Kind k : LossMetrics.Kind.values()) {
                    if (k.className.equals(cls)) {
                        return Optional.of(wrapper(k, c));
                    }
                }
                return Optional.empty();
            }
        }
    }

    private static LossMetrics wrapper(LossMetrics.Kind k, Map<?, ?> c) {
        String cls = k.className;
        // the class's default name, as Keras's constructor gives it (LogCoshError's is "logcosh")
        String defaultName = switch (k) {
            case MAPE -> "mean_absolute_percentage_error";
            case MSLE -> "mean_squared_logarithmic_error";
            case LOG_COSH -> "logcosh";
            default -> k.kerasName;
        };
        switch (k) {
            case BINARY_CROSSENTROPY -> known(cls, c, "from_logits", "label_smoothing");
            case CATEGORICAL_CROSSENTROPY -> known(cls, c, "from_logits", "label_smoothing", "axis");
            case SPARSE_CATEGORICAL_CROSSENTROPY -> known(cls, c, "from_logits", "ignore_class", "axis");
            // tf.keras 2's MeanMetricWrapper writes CosineSimilarity's axis; Keras 3's constructor takes it
            case COSINE -> known(cls, c, "axis");
            default -> known(cls, c);
        }
        if (c.get("axis") instanceof Number a && a.intValue() != -1) {
            throw new IllegalArgumentException(cls + ": axis " + a + " is not supported (only -1)");
        }
        if (c.get("ignore_class") != null) {
            throw new IllegalArgumentException(cls + ": ignore_class " + c.get("ignore_class") + " is not supported");
        }
        double smoothing = c.get("label_smoothing") instanceof Number s ? s.doubleValue() : 0;
        return new LossMetrics(name(c, defaultName), k, Boolean.TRUE.equals(c.get("from_logits")), smoothing);
    }

    /** Refuses get_config keys the class does not have (Keras's constructor would raise TypeError). */
    private static void known(String cls, Map<?, ?> c, String... keys) {
        Set<String> allowed = new HashSet<>(List.of(keys));
        allowed.add("name");
        allowed.add("dtype");
        for (Object k : c.keySet()) {
            if (!allowed.contains(String.valueOf(k))) {
                throw new IllegalArgumentException(cls + ": option '" + k + "' is not one it takes " + allowed);
            }
        }
    }

    private static String name(Map<?, ?> c, String fallback) {
        return c.get("name") instanceof String s && !s.isEmpty() ? s : fallback;
    }

    private static Integer integer(String cls, Map<?, ?> c, String key) {
        Object v = c.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new IllegalArgumentException(cls + ": " + key + " must be an integer or None, got " + v);
        }
        return n.intValue();
    }

    /** Precision/Recall thresholds: None, a number or a list of one (several give a vector, not taken). */
    private static Double threshold(String cls, Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof List<?> l && l.size() == 1) {
            v = l.get(0);
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException(cls + ": thresholds must be one number (rnn4j logs one value per metric), "
                + "got " + v);
    }

    /** The confusion counts' thresholds: None, a number or a list of numbers (each checked by the metric). */
    private static double[] thresholds(String cls, Object v) {
        if (v == null) {
            return null;
        }
        List<?> l = v instanceof List<?> x ? x : List.of(v);
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Number n)) {
                // metrics_utils.assert_thresholds_range refuses None among them
                throw new IllegalArgumentException(cls + ": threshold values must be in [0, 1], got " + v);
            }
            out[i] = n.doubleValue();
        }
        return out;
    }

    private static double[] numbers(String cls, Map<?, ?> c, String key) {
        Object v = c.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof List<?> l)) {
            throw new IllegalArgumentException(cls + ": " + key + " must be a list of numbers, got " + v);
        }
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Number n)) {
                throw new IllegalArgumentException(cls + ": " + key + " must be a list of numbers, got " + v);
            }
            out[i] = n.doubleValue();
        }
        return out;
    }

    /** Keras's AUCCurve.from_str. */
    static Auc.Curve curve(String s) {
        return switch (s) {
            case "ROC", "roc" -> Auc.Curve.ROC;
            case "PR", "pr" -> Auc.Curve.PR;
            case "PRGAIN", "prgain" -> Auc.Curve.PRGAIN;
            default -> throw new IllegalArgumentException("AUC: invalid curve \"" + s + "\"; expected one of "
                    + "\"PR\", \"ROC\", \"PRGAIN\"");
        };
    }

    /** Keras's AUCSummationMethod.from_str. */
    static Auc.Summation summation(String s) {
        return switch (s) {
            case "interpolation", "Interpolation" -> Auc.Summation.INTERPOLATION;
            case "majoring", "Majoring" -> Auc.Summation.MAJORING;
            case "minoring", "Minoring" -> Auc.Summation.MINORING;
            default -> throw new IllegalArgumentException("AUC: invalid summation_method \"" + s + "\"; expected "
                    + "one of \"interpolation\", \"majoring\", \"minoring\"");
        };
    }
}
