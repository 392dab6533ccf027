package io.rnn4j.layers.metrics;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.KerasConfig;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.Optional;

/**
 * Keras's R2Score, the coefficient of determination (keras/src/metrics/regression_metrics.py), on
 * (batch, outputs) labels and predictions: per output (Keras's "class") the weighted sums of
 * {@code y}, {@code y²}, {@code (y − ŷ)²} and of the weights accumulate across batches until
 * {@link #reset()}; then {@code mean = Σwy / Σw}, {@code total = Σwy² − Σwy·mean} and
 * {@code r2 = 1 − Σw(y − ŷ)² / total}, where an infinite r2 (a total of 0 under a non-zero residual)
 * is 0 and 0/0 stays NaN, as Keras's. class_aggregation "uniform_average" (the default) gives their
 * mean, "variance_weighted_average" their mean weighted by {@code total}, None one score per output
 * ({@link #perClass()}). With num_regressors p > 0 the adjusted score
 * {@code 1 − (1 − r2)(n − 1)/(n − p − 1)}, falling back to r2 with a warning where
 * {@code p >= n − 1}, as Keras does; n counts the samples with a non-zero weight in some output, as
 * Keras's HEAD (3.16.0.dev, keras-team/keras#23334) does. The 3.15.1 release counts rows × outputs,
 * rows of weight 0 included, which makes n k times the observations for k outputs: the bug that
 * change fixes, so HEAD is followed here. A weight multiplies every term, as in Keras, so a NaN or
 * infinite label or prediction under a weight of 0 still makes the score NaN. Labels and
 * predictions are first brought to one rank as Keras's squeeze_or_expand_to_same_rank does (a
 * trailing axis of 1 dropped or added), and must then both be rank 2. Keras sizes its sums by the
 * predictions' outputs and lets every term broadcast (regression_metrics.py 441-525), so labels of
 * one column (batch, 1) give each output's score against that one column, and a side of one row is
 * broadcast over the other's rows; the label sums, the count and the weights then follow the labels'
 * shape, the residual the broadcast shape. Sums are kept in double; an
 * output whose labels of non-zero weight are all equal has a total of exactly 0, where Keras's
 * float32 formula may leave rounding noise and so give a huge score of either sign (a deliberate
 * difference). The predictions' mask is not read, as Keras's R2Score does not read it.
 */
public final class R2Score implements Metric {
    private static final System.Logger LOG = System.getLogger("io.rnn4j.layers.metrics");

    private final String name;
    private final String classAggregation;
    private final int numRegressors;
    private double[] sum;
    private double[] squaredSum;
    private double[] residual;
    private double[] count;
    /** Each output's first label of non-zero weight (NaN before it), and whether every later one equals it. */
    private double[] first;
    private boolean[] constant;
    private double numSamples;
    private boolean warned;

    /**
     * @throws IllegalArgumentException for a class_aggregation other than None, "uniform_average" and
     *                                  "variance_weighted_average", or num_regressors < 0
     */
    R2Score(String name, String classAggregation, int numRegressors) {
        if (classAggregation != null && !classAggregation.equals("uniform_average")
                && !classAggregation.equals("variance_weighted_average")) {
            throw new IllegalArgumentException("R2Score: class_aggregation must be one of None, 'uniform_average', "
                    + "'variance_weighted_average', got '" + classAggregation + "'");
        }
        if (numRegressors < 0) {
            throw new IllegalArgumentException("R2Score: num_regressors must be >= 0, got " + numRegressors);
        }
        this.name = name;
        this.classAggregation = classAggregation;
        this.numRegressors = numRegressors;
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Keras's {@code class_aggregation}: null (one score per output), "uniform_average" or
     * "variance_weighted_average".
     */
    public String classAggregation() {
        return classAggregation;
    }

    @Override
    public Optional<KerasConfig> kerasConfig() {
        boolean plain = name.equals("r2_score") && "uniform_average".equals(classAggregation) && numRegressors == 0;
        return plain ? Optional.empty() : Optional.of(KerasConfig.of("R2Score", "name", name, "dtype", "float32",
                "class_aggregation", classAggregation, "num_regressors", numRegressors));
    }

    @Override
    public void reset() {
        if (sum != null) {
            allocate(sum.length);  // as Keras's reset_state, the number of outputs stays
        }
    }

    private void allocate(int outputs) {
        sum = new double[outputs];
        squaredSum = new double[outputs];
        residual = new double[outputs];
        count = new double[outputs];
        first = new double[outputs];
        Arrays.fill(first, Double.NaN);
        constant = new boolean[outputs];
        Arrays.fill(constant, true);
        numSamples = 0;
    }

    @Override
    public void update(Tensor labels, Tensor predictions) {
        update(labels, predictions, null, null);
    }

    /**
     * Adds one batch. Sample weights broadcast to the labels' shape as Keras broadcasts them: a
     * scalar, one per sample ((batch,) or (batch, 1)), one per label column (1, columns) or one per
     * label.
     *
     * @throws IllegalArgumentException for labels and predictions that are not both rank 2 (after
     *                                  dropping or adding a trailing 1), labels that do not broadcast
     *                                  against the predictions with one column or the predictions'
     *                                  columns, outputs other than the first batch's, or weights that
     *                                  do not broadcast to the labels
     */
    @Override
    public void update(Tensor labels, Tensor predictions, Tensor mask, Tensor sampleWeight) {
        int[] y = labels.shape().dims();
        int[] p = predictions.shape().dims();
        // squeeze_or_expand_to_same_rank(y_true, y_pred): a trailing 1 dropped, or a rank-1 side expanded
        if (y.length == p.length + 1 && y[y.length - 1] == 1) {
            if (p.length == 1) {
                p = new int[] {p[0], 1};
            } else {
                y = Arrays.copyOf(y, y.length - 1);
            }
        } else if (p.length == y.length + 1 && p[p.length - 1] == 1) {
            if (y.length == 1) {
                y = new int[] {y[0], 1};
            } else {
                p = Arrays.copyOf(p, p.length - 1);
            }
        }
        if (y.length != 2 || p.length != 2) {
            throw new IllegalArgumentException(name + ": R2Score expects 2D inputs with shape (batch_size, "
                    + "output_dim), got labels " + labels.shape() + " and predictions " + predictions.shape());
        }
        // Keras's sums are sized by the predictions' outputs; label sums of one column broadcast to them,
        // more columns than the predictions' cannot be assigned, and the rows follow numpy's broadcasting
        int outputs = p[1];
        if ((y[1] != outputs && y[1] != 1) || (y[0] != p[0] && y[0] != 1 && p[0] != 1)) {
            throw new IllegalArgumentException(name + ": labels " + labels.shape() + " do not broadcast against "
                    + "predictions " + predictions.shape() + ": labels need the predictions' shape or one column "
                    + "(batch, 1), as Keras's R2Score sizes its sums by the predictions' outputs");
        }
        if (sum == null) {
            allocate(outputs);
        } else if (sum.length != outputs) {
            throw new IllegalArgumentException(name + ": was built for " + sum.length + " outputs, got predictions "
                    + predictions.shape());
        }
        int labelRows = y[0];
        int columns = y[1];
        int rows = labelRows == 1 ? p[0] : labelRows;
        float[] yv = labels.toArray();
        float[] pv = predictions.toArray();
        Weights w = Weights.of(name, sampleWeight, labelRows, columns);
        // the label terms over the labels' own shape, each column feeding its output or (one column) all
        for (int r = 0; r < labelRows; r++) {
            boolean counted = false;
            for (int j = 0; j < columns; j++) {
                double weight = w.at(r, j);
                double t = yv[r * columns + j];
                for (int k = columns == 1 ? 0 : j; k < (columns == 1 ? outputs : j + 1); k++) {
                    // every term times its weight, as Keras: 0 · NaN and 0 · inf are NaN there too
                    sum[k] += weight * t;
                    squaredSum[k] += t * weight * t;
                    count[k] += weight;
                    if (weight != 0) {
                        if (Double.isNaN(first[k])) {
                            first[k] = t;
                        }
                        constant[k] &= t == first[k];
                    }
                }
                counted |= weight != 0;
            }
            // Keras's num_samples: a sample counts when any of its outputs has a non-zero weight
            numSamples += counted ? 1 : 0;
        }
        // the residual over the broadcast (rows, outputs), weighted by the label's weight
        for (int r = 0; r < rows; r++) {
            int yr = labelRows == 1 ? 0 : r;
            int pr = p[0] == 1 ? 0 : r;
            for (int k = 0; k < outputs; k++) {
                int yc = columns == 1 ? 0 : k;
                double e = yv[yr * columns + yc] - (double) pv[pr * outputs + k];
                residual[k] += e * e * w.at(yr, yc);
            }
        }
    }

    /**
     * Each output's score, adjusted when num_regressors > 0 (Keras's result with class_aggregation
     * None); empty before any update.
     */
    public double[] perClass() {
        return sum == null ? new double[0] : adjusted(raw());
    }

    /** Keras's raw_scores: {@code 1 − residual / total}, 0 where that is infinite. */
    private double[] raw() {
        double[] raw = new double[sum.length];
        for (int k = 0; k < raw.length; k++) {
            raw[k] = 1 - residual[k] / total(k);
            if (Double.isInfinite(raw[k])) {
                raw[k] = 0;
            }
        }
        return raw;
    }

    /** Keras's {@code squared_sum − sum · (sum / count)}, exactly 0 for an output whose labels are all equal. */
    private double total(int k) {
        double mean = sum[k] / count[k];
        return constant[k] && count[k] != 0 ? 0 : squaredSum[k] - sum[k] * mean;
    }

    private double[] adjusted(double[] r2) {
        if (numRegressors == 0) {
            return r2;
        }
        if (numRegressors >= numSamples - 1) {
            if (!warned) {
                warned = true;
                LOG.log(Level.WARNING, "{0}: {1} in adjusted R2 score; falling back to standard R2 score", name,
                        numRegressors > numSamples - 1 ? "more independent predictors than datapoints"
                                : "division by zero");
            }
            return r2;
        }
        double[] out = new double[r2.length];
        for (int k = 0; k < r2.length; k++) {
            out[k] = 1 - (1 - r2[k]) * (numSamples - 1) / (numSamples - numRegressors - 1);
        }
        return out;
    }

    /**
     * The aggregated score (0 before any update; NaN where Keras's is, e.g. after a reset with
     * nothing counted since).
     *
     * @throws IllegalStateException with class_aggregation None, whose result is one score per
     *                               output ({@link #perClass()}): rnn4j's logs hold one number per name
     */
    @Override
    public double result() {
        if (classAggregation == null) {
            throw new IllegalStateException(name + " with class_aggregation=None gives one score per output; read "
                    + "them with perClass(), or use 'uniform_average' or 'variance_weighted_average' for one number");
        }
        if (sum == null) {
            return 0;
        }
        double[] raw = raw();
        double score;
        if (classAggregation.equals("uniform_average")) {
            score = Arrays.stream(raw).sum() / raw.length;
        } else {
            double weighted = 0;
            double weights = 0;
            for (int k = 0; k < raw.length; k++) {
                weighted += total(k) * raw[k];
                weights += total(k);
            }
            score = weighted / weights;
        }
        return adjusted(new double[] {score})[0];
    }

    @Override
    public Direction direction() {
        return Direction.UP;
    }

    /** Sample weights broadcast to the labels' (rows, columns) as Keras's broadcast_to, rank 1 first made (n, 1). */
    private record Weights(float[] w, int wr, int wc) {
        static Weights of(String name, Tensor sampleWeight, int rows, int columns) {
            if (sampleWeight == null) {
                return new Weights(null, 1, 1);
            }
            int[] d = sampleWeight.shape().dims();
            int wr = d.length == 0 ? 1 : d[0];
            int wc = d.length < 2 ? 1 : d[1];
            if (d.length > 2 || (wr != 1 && wr != rows) || (wc != 1 && wc != columns)) {
                throw new IllegalArgumentException(name + ": sample weights " + sampleWeight.shape() + " do not "
                        + "broadcast to (" + rows + ", " + columns + "), the labels' shape: give a scalar, one per "
                        + "sample, one per label column (1, " + columns + ") or one per label");
            }
            return new Weights(sampleWeight.toArray(), wr, wc);
        }

        double at(int r, int k) {
            return w == null ? 1 : w[(wr == 1 ? 0 : r) * wc + (wc == 1 ? 0 : k)];
        }
    }
}
