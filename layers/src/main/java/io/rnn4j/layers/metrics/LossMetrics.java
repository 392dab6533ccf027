package io.rnn4j.layers.metrics;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.KerasConfig;
import java.util.Optional;

/**
 * Keras's MeanMetricWrapper around a loss function (keras/src/metrics/regression_metrics.py,
 * probabilistic_metrics.py, hinge_metrics.py): the function's value per sample, in double on the
 * host, averaged over the samples seen with their weights and mask. Each formula is the loss's
 * (keras/src/losses/losses.py) with ε = 1e-7; cosine_similarity is the metric's positive form.
 * The crossentropies work on the probabilities they are given (clipped to [ε, 1 − ε]): unlike the
 * losses, a metric sees a host tensor, without the logits behind a softmax or sigmoid.
 */
final class LossMetrics extends MeanMetric {
    enum Kind {
        MAPE("mape", "MeanAbsolutePercentageError"),
        MSLE("msle", "MeanSquaredLogarithmicError"),
        LOG_COSH("log_cosh_error", "LogCoshError"),
        KLD("kl_divergence", "KLDivergence"),
        POISSON("poisson", "Poisson"),
        COSINE("cosine_similarity", "CosineSimilarity"),
        HINGE("hinge", "Hinge"),
        SQUARED_HINGE("squared_hinge", "SquaredHinge"),
        CATEGORICAL_HINGE("categorical_hinge", "CategoricalHinge"),
        BINARY_CROSSENTROPY("binary_crossentropy", "BinaryCrossentropy"),
        CATEGORICAL_CROSSENTROPY("categorical_crossentropy", "CategoricalCrossentropy"),
        SPARSE_CATEGORICAL_CROSSENTROPY("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy");

        /** The name Keras's compile gives the metric for this string, and the default here. */
        final String kerasName;
        final String className;

        Kind(String kerasName, String className) {
            this.kerasName = kerasName;
            this.className = className;
        }
    }

    private static final double EPSILON = 1e-7;

    private final Kind kind;
    private final boolean fromLogits;
    private final double labelSmoothing;

    LossMetrics(String name, Kind kind) {
        this(name, kind, false, 0);
    }

    LossMetrics(String name, Kind kind, boolean fromLogits, double labelSmoothing) {
        // Keras registers a wrapped loss function as "down"; CosineSimilarity sets "up" itself
        super(name, kind == Kind.COSINE ? Direction.UP : Direction.DOWN);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException(kind.className + ": label_smoothing must be in [0, 1], got "
                    + labelSmoothing);
        }
        this.kind = kind;
        this.fromLogits = fromLogits;
        this.labelSmoothing = labelSmoothing;
    }

    @Override
    public Optional<KerasConfig> kerasConfig() {
        boolean options = fromLogits || labelSmoothing != 0;
        if (name().equals(kind.kerasName) && !options) {
            return Optional.empty();  // the name alone rebuilds it, as compile(metrics=["msle"])
        }
        return Optional.of(switch (kind) {
            case BINARY_CROSSENTROPY -> KerasConfig.of(kind.className, "name", name(), "dtype", "float32",
                    "from_logits", fromLogits, "label_smoothing", labelSmoothing);
            case CATEGORICAL_CROSSENTROPY -> KerasConfig.of(kind.className, "name", name(), "dtype", "float32",
                    "from_logits", fromLogits, "label_smoothing", labelSmoothing, "axis", -1);
            case SPARSE_CATEGORICAL_CROSSENTROPY -> KerasConfig.of(kind.className, "name", name(), "dtype", "float32",
                    "from_logits", fromLogits, "ignore_class", null, "axis", -1);
            default -> KerasConfig.of(kind.className, "name", name(), "dtype", "float32");
        });
    }

    /**
     * Labels of the predictions' shape (or without a trailing axis of 1); class ids, one per row, for
     * the sparse crossentropy. Keras's functions refuse other shapes (they do not broadcast, or
     * TensorFlow's sparse crossentropy wants labels of rank predictions − 1).
     */
    @Override
    void checkLabels(Tensor labels, Tensor predictions) {
        long n = predictions.shape().size();
        int last = predictions.rank() == 0 ? 1 : predictions.dim(-1);
        long rows = last == 0 ? 0 : n / last;
        long got = labels.shape().size();
        boolean ok = kind == Kind.SPARSE_CATEGORICAL_CROSSENTROPY ? got == rows && labels.rank() >= predictions.rank() - 1
                && labels.rank() <= predictions.rank() && (labels.rank() < predictions.rank() || labels.dim(-1) == 1)
                : got == n || last == 1 && got == rows;
        if (!ok) {
            throw new IllegalArgumentException(name() + ": labels " + labels.shape() + " do not fit predictions "
                    + predictions.shape() + (kind == Kind.SPARSE_CATEGORICAL_CROSSENTROPY
                    ? " (class ids, one per row, are expected)" : " (the same shape is expected)"));
        }
    }

    @Override
    float[] batchLabels(float[] y) {
        if (kind != Kind.HINGE && kind != Kind.SQUARED_HINGE) {
            return y;
        }
        for (float v : y) {
            if (v != 0f && v != 1f) {
                return y;
            }
        }
        float[] s = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            s[i] = 2f * y[i] - 1f;
        }
        return s;
    }

    @Override
    double perSample(float[] y, float[] p, int row, int last) {
        int from = row * last;
        return switch (kind) {
            case MAPE -> {
                double s = 0;
                for (int j = 0; j < last; j++) {
                    double t = Metrics.labelAt(y, p, row, last, j);
                    s += Math.abs((t - p[from + j]) / Math.max(Math.abs(t), EPSILON));
                }
                yield 100 * s / last;
            }
            case MSLE -> {
                double s = 0;
                for (int j = 0; j < last; j++) {
                    double t = Metrics.labelAt(y, p, row, last, j);
                    double d = Math.log(Math.max(p[from + j], EPSILON) + 1) - Math.log(Math.max(t, EPSILON) + 1);
                    s += d * d;
                }
                yield s / last;
            }
            case LOG_COSH -> {
                double s = 0;
                for (int j = 0; j < last; j++) {
                    double e = p[from + j] - Metrics.labelAt(y, p, row, last, j);
                    s += e + softplus(-2 * e) - Math.log(2);
                }
                yield s / last;
            }
            case KLD -> {
                double s = 0;
                for (int j = 0; j < last; j++) {
                    double t = clip(Metrics.labelAt(y, p, row, last, j), EPSILON, 1);
                    s += t * Math.log(t / clip(p[from + j], EPSILON, 1));
                }
                yield s;
            }
            case POISSON -> {
                double s = 0;
                for (int j = 0; j < last; j++) {
                    s += p[from + j] - Metrics.labelAt(y, p, row, last, j) * Math.log(p[from + j] + EPSILON);
                }
                yield s / last;
            }
            case COSINE -> {
                double yy = 0;
                double pp = 0;
                double yp = 0;
                for (int j = 0; j < last; j++) {
                    double t = Metrics.labelAt(y, p, row, last, j);
                    yy += t * t;
                    pp += (double) p[from + j] * p[from + j];
                    yp += t * p[from + j];
                }
                yield yp / Math.sqrt(Math.max(yy, EPSILON * EPSILON)) / Math.sqrt(Math.max(pp, EPSILON * EPSILON));
            }
            case HINGE, SQUARED_HINGE -> {
                double s = 0;
                for (int j = 0; j < last; j++) {
                    double m = Math.max(1 - Metrics.labelAt(y, p, row, last, j) * p[from + j], 0);
                    s += kind == Kind.HINGE ? m : m * m;
                }
                yield s / last;
            }
            case CATEGORICAL_HINGE -> {
                double pos = 0;
                double neg = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < last; j++) {
                    double t = Metrics.labelAt(y, p, row, last, j);
                    pos += t * p[from + j];
                    neg = Math.max(neg, (1 - t) * p[from + j]);
                }
                yield Math.max(neg - pos + 1, 0);
            }
            case BINARY_CROSSENTROPY -> binaryCrossentropy(y, p, row, last);
            case CATEGORICAL_CROSSENTROPY -> categoricalCrossentropy(y, p, from, last);
            case SPARSE_CATEGORICAL_CROSSENTROPY -> sparseCategoricalCrossentropy(y[row], p, from, last);
        };
    }

    private double binaryCrossentropy(float[] y, float[] p, int row, int last) {
        double s = 0;
        for (int j = 0; j < last; j++) {
            double t = Metrics.labelAt(y, p, row, last, j) * (1 - labelSmoothing) + 0.5 * labelSmoothing;
            double x = p[row * last + j];
            if (fromLogits) {
                s += t * softplus(-x) + (1 - t) * softplus(x);
            } else {
                double q = clip(x, EPSILON, 1 - EPSILON);
                s -= t * Math.log(q) + (1 - t) * Math.log(1 - q);
            }
        }
        return s / last;
    }

    private double categoricalCrossentropy(float[] y, float[] p, int from, int last) {
        double[] logP = logProbabilities(p, from, last);
        double s = 0;
        for (int j = 0; j < last; j++) {
            double t = y[from + j] * (1 - labelSmoothing) + labelSmoothing / last;
            s -= t * logP[j];
        }
        return s;
    }

    private double sparseCategoricalCrossentropy(float id, float[] p, int from, int last) {
        if (id != Math.rint(id) || id < 0 || id >= last) {
            throw new IllegalArgumentException(name() + ": labels must be integer class ids in [0, " + last + "), got "
                    + id);
        }
        if (fromLogits) {
            return -logProbabilities(p, from, last)[(int) id];
        }
        // TensorFlow's sparse form: log(clip(p)) through log_softmax, so the clipped row is renormalized
        double sum = 0;
        for (int j = 0; j < last; j++) {
            sum += clip(p[from + j], EPSILON, 1 - EPSILON);
        }
        return -(Math.log(clip(p[from + (int) id], EPSILON, 1 - EPSILON)) - Math.log(sum));
    }

    /** log_softmax of logits, or log(clip(p / Σp, ε, 1 − ε)) of probabilities (Keras's categorical form). */
    private double[] logProbabilities(float[] p, int from, int last) {
        double[] out = new double[last];
        if (fromLogits) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < last; j++) {
                max = Math.max(max, p[from + j]);
            }
            double z = 0;
            for (int j = 0; j < last; j++) {
                z += Math.exp(p[from + j] - max);
            }
            for (int j = 0; j < last; j++) {
                out[j] = p[from + j] - max - Math.log(z);
            }
            return out;
        }
        double sum = 0;
        for (int j = 0; j < last; j++) {
            sum += p[from + j];
        }
        for (int j = 0; j < last; j++) {
            out[j] = Math.log(clip(p[from + j] / sum, EPSILON, 1 - EPSILON));
        }
        return out;
    }

    private static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    private static double clip(double x, double lo, double hi) {
        return Math.min(Math.max(x, lo), hi);
    }
}
