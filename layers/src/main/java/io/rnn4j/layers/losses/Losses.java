package io.rnn4j.layers.losses;

/**
 * Keras's losses: {@code Losses.meanSquaredError()}, {@code Losses.binaryCrossentropy()}, ...
 * Crossentropies on probabilities clip them to [ε, 1 − ε] with Keras's ε = 1e-7 as Keras's
 * backend functions do; the {@code fromLogits} forms take raw scores, and so does a crossentropy on
 * the output of a softmax or sigmoid activation (Dense's or Activation's), from the logits behind
 * it, as Keras 3 on TensorFlow does (its default backend; on JAX and PyTorch Keras clips those
 * too). Every loss takes sample
 * weights ({@link Loss#compute(io.rnn4j.layers.autograd.Variable, io.rnn4j.layers.autograd.Variable,
 * io.rnn4j.engine.Tensor)}).
 */
public final class Losses {
    private Losses() {
    }

    /**
     * The loss Keras's {@code keras.losses.get(name)} gives for a name: its function and class
     * names and aliases ("mse", "mean_squared_error", "MeanSquaredError", "bce", "kld", ...).
     *
     * @throws IllegalArgumentException for a name rnn4j has no loss for
     */
    public static Loss get(String name) {
        return switch (name) {
            case "mse", "MSE", "mean_squared_error", "MeanSquaredError" -> meanSquaredError();
            case "mae", "MAE", "mean_absolute_error", "MeanAbsoluteError" -> meanAbsoluteError();
            case "huber", "huber_loss", "Huber" -> huber();
            case "binary_crossentropy", "bce", "BCE", "BinaryCrossentropy" -> binaryCrossentropy();
            case "categorical_crossentropy", "CategoricalCrossentropy" -> categoricalCrossentropy();
            case "sparse_categorical_crossentropy", "SparseCategoricalCrossentropy" ->
                    sparseCategoricalCrossentropy();
            case "mape", "MAPE", "mean_absolute_percentage_error", "MeanAbsolutePercentageError" ->
                    meanAbsolutePercentageError();
            case "msle", "MSLE", "mean_squared_logarithmic_error", "MeanSquaredLogarithmicError" ->
                    meanSquaredLogarithmicError();
            case "log_cosh", "logcosh", "LogCosh" -> logCosh();
            case "kld", "KLD", "kl_divergence", "kullback_leibler_divergence", "KLDivergence" ->
                    klDivergence();
            case "poisson", "Poisson" -> poisson();
            case "cosine_similarity", "CosineSimilarity" -> cosineSimilarity();
            case "hinge", "Hinge" -> hinge();
            case "squared_hinge", "SquaredHinge" -> squaredHinge();
            case "categorical_hinge", "CategoricalHinge" -> categoricalHinge();
            case "ctc", "CTC" -> ctc();
            case "binary_focal_crossentropy", "BinaryFocalCrossentropy" -> binaryFocalCrossentropy();
            case "categorical_focal_crossentropy", "CategoricalFocalCrossentropy" -> categoricalFocalCrossentropy();
            case "dice", "Dice" -> dice();
            case "tversky", "Tversky" -> tversky();
            case "CategoricalGeneralizedCrossEntropy" -> categoricalGeneralizedCrossEntropy(0.5);
            case "circle", "Circle" -> circle();
            default -> throw new IllegalArgumentException("loss '" + name + "' is not one rnn4j has");
        };
    }

    /** {@code mean((y − ŷ)²)} over the last axis, then over the batch. */
    public static Loss meanSquaredError() {
        return new Pointwise(Pointwise.Kind.SQUARED);
    }

    /** {@code mean(|y − ŷ|)} over the last axis, then over the batch. */
    public static Loss meanAbsoluteError() {
        return new Pointwise(Pointwise.Kind.ABSOLUTE);
    }

    /** Keras's Huber loss with δ = 1 ("huber_loss"). */
    public static Loss huber() {
        return new Huber(1.0);
    }

    /** Huber: ½e² where |e| ≤ δ, δ·|e| − ½δ² beyond, averaged over the last axis. */
    public static Loss huber(double delta) {
        return new Huber(delta);
    }

    /** Binary crossentropy on probabilities. */
    public static Loss binaryCrossentropy() {
        return new BinaryCrossentropy(false);
    }

    /** Binary crossentropy on probabilities, or on raw scores with {@code fromLogits} (Keras's from_logits). */
    public static Loss binaryCrossentropy(boolean fromLogits) {
        return new BinaryCrossentropy(fromLogits);
    }

    /**
     * Binary crossentropy with Keras's label_smoothing s in [0, 1]: labels {@code y·(1 − s) + 0.5·s}.
     *
     * @throws IllegalArgumentException for s outside [0, 1]
     */
    public static Loss binaryCrossentropy(boolean fromLogits, double labelSmoothing) {
        return new BinaryCrossentropy(fromLogits, labelSmoothing);
    }

    /** Categorical crossentropy on probabilities with one-hot labels. */
    public static Loss categoricalCrossentropy() {
        return new CategoricalCrossentropy(false);
    }

    /** Categorical crossentropy with one-hot labels, on raw scores with {@code fromLogits} (Keras's from_logits). */
    public static Loss categoricalCrossentropy(boolean fromLogits) {
        return new CategoricalCrossentropy(fromLogits);
    }

    /**
     * Categorical crossentropy with Keras's label_smoothing s in [0, 1]: labels
     * {@code y·(1 − s) + s / classes}.
     *
     * @throws IllegalArgumentException for s outside [0, 1]
     */
    public static Loss categoricalCrossentropy(boolean fromLogits, double labelSmoothing) {
        return new CategoricalCrossentropy(fromLogits, labelSmoothing);
    }

    /** Categorical crossentropy on probabilities with integer class labels. */
    public static Loss sparseCategoricalCrossentropy() {
        return new SparseCategoricalCrossentropy(false);
    }

    /** Categorical crossentropy with integer class labels, on raw scores with {@code fromLogits}. */
    public static Loss sparseCategoricalCrossentropy(boolean fromLogits) {
        return new SparseCategoricalCrossentropy(fromLogits);
    }

    /** {@code 100 · mean(|(y − ŷ) / max(|y|, ε)|)} over the last axis ("mean_absolute_percentage_error", "mape"). */
    public static Loss meanAbsolutePercentageError() {
        return new ErrorLosses(ErrorLosses.Kind.MAPE);
    }

    /** {@code mean((log(max(ŷ, ε) + 1) − log(max(y, ε) + 1))²)} ("mean_squared_logarithmic_error", "msle"). */
    public static Loss meanSquaredLogarithmicError() {
        return new ErrorLosses(ErrorLosses.Kind.MSLE);
    }

    /** {@code mean(log(cosh(ŷ − y)))}, computed without overflow ("log_cosh"). */
    public static Loss logCosh() {
        return new ErrorLosses(ErrorLosses.Kind.LOG_COSH);
    }

    /** {@code Σ y·log(y / ŷ)} over the last axis, both clipped to [ε, 1] ("kl_divergence", "kld"). */
    public static Loss klDivergence() {
        return new ErrorLosses(ErrorLosses.Kind.KLD);
    }

    /** {@code mean(ŷ − y·log(ŷ + ε))} ("poisson"). */
    public static Loss poisson() {
        return new ErrorLosses(ErrorLosses.Kind.POISSON);
    }

    /** The negated cosine similarity of labels and predictions along the last axis ("cosine_similarity"). */
    public static Loss cosineSimilarity() {
        return new CosineSimilarity();
    }

    /** {@code mean(max(1 − y·ŷ, 0))}, 0/1 labels taken as −1/1 ("hinge"). */
    public static Loss hinge() {
        return new HingeLosses(HingeLosses.Kind.HINGE);
    }

    /** {@code mean(max(1 − y·ŷ, 0)²)}, 0/1 labels taken as −1/1 ("squared_hinge"). */
    public static Loss squaredHinge() {
        return new HingeLosses(HingeLosses.Kind.SQUARED);
    }

    /** {@code max(max((1 − y)·ŷ) − Σ y·ŷ + 1, 0)} on one-hot labels ("categorical_hinge"). */
    public static Loss categoricalHinge() {
        return new HingeLosses(HingeLosses.Kind.CATEGORICAL);
    }

    /**
     * Keras's CTC loss ("ctc"): labels (batch, max_label_length) of class ids with 0 the blank and
     * padding, predictions (batch, time, classes) logits; minus TensorFlow's CTC log-likelihood.
     * Decoding is {@link Ctc#decode}.
     */
    public static Loss ctc() {
        return new CtcLoss();
    }

    /**
     * tf.keras's {@code keras.backend.ctc_batch_cost} as the loss function of keras-io's speech example
     * calls it (its {@code CTCLoss}): labels (batch, label_length) of class ids, every entry a label (0
     * included); predictions (batch, time, classes) softmax probabilities, every time step used; the
     * blank is the last class; the loss is TensorFlow's v1 CTC loss of {@code log(p + 1e-7)}, +∞ for a
     * label that fits only without the blanks between its repeats (as TensorFlow; training goes on). Not
     * a Keras loss name: {@link #get} refuses "ctc_batch_cost" as Keras's {@code compile(loss=...)} does.
     * {@link Ctc#batchCost} takes per-sample input and label lengths. Not {@link #ctc()}, which takes
     * logits, has the blank at 0 and ends a label at its zeros.
     */
    public static Loss ctcBatchCost() {
        return new CtcBatchCost();
    }

    /** Keras's BinaryFocalCrossentropy with its defaults: no class balancing, α 0.25, γ 2, on probabilities. */
    public static Loss binaryFocalCrossentropy() {
        return new FocalCrossentropy(true, false, 0.25, 2.0, false, 0.0);
    }

    /**
     * Keras's BinaryFocalCrossentropy: binary crossentropy times {@code (1 − p_t)^γ}, with
     * apply_class_balancing also times α (label 1) or 1 − α (label 0); averaged over the last axis.
     *
     * @throws IllegalArgumentException for label_smoothing outside [0, 1] or a non-finite α or γ
     */
    public static Loss binaryFocalCrossentropy(boolean applyClassBalancing, double alpha, double gamma,
            boolean fromLogits, double labelSmoothing) {
        return new FocalCrossentropy(true, applyClassBalancing, alpha, gamma, fromLogits, labelSmoothing);
    }

    /** Keras's CategoricalFocalCrossentropy with its defaults: α 0.25, γ 2, on probabilities. */
    public static Loss categoricalFocalCrossentropy() {
        return new FocalCrossentropy(false, false, 0.25, 2.0, false, 0.0);
    }

    /**
     * Keras's CategoricalFocalCrossentropy on one-hot labels: {@code Σ α·(1 − p)^γ·(−y·log p)} over
     * the last axis (α one number; Keras's per-class list is not supported).
     *
     * @throws IllegalArgumentException for label_smoothing outside [0, 1] or a non-finite α or γ
     */
    public static Loss categoricalFocalCrossentropy(double alpha, double gamma, boolean fromLogits,
            double labelSmoothing) {
        return new FocalCrossentropy(false, false, alpha, gamma, fromLogits, labelSmoothing);
    }

    /** Keras's Dice loss over every axis (its default axis None): one value for the whole batch. */
    public static Loss dice() {
        return new OverlapLoss(false, 0, 0, null);
    }

    /** Keras's Dice loss {@code 1 − 2Σyp / (Σy + Σp + ε)}, summed over {@code axis} (null: every axis). */
    public static Loss dice(Integer axis) {
        return new OverlapLoss(false, 0, 0, axis);
    }

    /** Keras's Tversky loss with its defaults: α = β = 0.5, every axis. */
    public static Loss tversky() {
        return new OverlapLoss(true, 0.5, 0.5, null);
    }

    /**
     * Keras 3.15.1's Tversky loss {@code 1 − I / (I + α·Σy(1 − p) + β·Σ(1 − y)p + ε)} with sums over
     * {@code axis} (null: every axis), I = Σyp: α weighs the missed targets, as 3.15.1 computes it.
     */
    public static Loss tversky(double alpha, double beta, Integer axis) {
        return new OverlapLoss(true, alpha, beta, axis);
    }

    /**
     * Keras's CategoricalGeneralizedCrossEntropy: integer class labels, probabilities p,
     * {@code (1 − p[label]^q) / q}.
     *
     * @throws IllegalArgumentException for q outside (0, 1)
     */
    public static Loss categoricalGeneralizedCrossEntropy(double q) {
        return new GeneralizedCrossEntropy(q);
    }

    /** Keras's Circle loss with its defaults: γ 80, margin 0.4, a sample not its own positive. */
    public static Loss circle() {
        return new CircleLoss(80.0, 0.4, true);
    }

    /**
     * Keras's Circle loss on integer labels (batch,) and unit-norm embeddings (batch, dim): pairs of
     * the batch with equal labels pulled together, others pushed apart, with scale {@code gamma} and
     * relaxation {@code margin}; {@code removeDiagonal} leaves a sample out of its own positives.
     *
     * @throws IllegalArgumentException for a non-finite gamma or margin
     */
    public static Loss circle(double gamma, double margin, boolean removeDiagonal) {
        return new CircleLoss(gamma, margin, removeDiagonal);
    }
}
