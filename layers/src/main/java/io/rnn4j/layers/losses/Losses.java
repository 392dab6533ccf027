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

    public static Loss binaryCrossentropy(boolean fromLogits) {
        return new BinaryCrossentropy(fromLogits);
    }

    /** Categorical crossentropy on probabilities with one-hot labels. */
    public static Loss categoricalCrossentropy() {
        return new CategoricalCrossentropy(false);
    }

    public static Loss categoricalCrossentropy(boolean fromLogits) {
        return new CategoricalCrossentropy(fromLogits);
    }

    /** Categorical crossentropy on probabilities with integer class labels. */
    public static Loss sparseCategoricalCrossentropy() {
        return new SparseCategoricalCrossentropy(false);
    }

    public static Loss sparseCategoricalCrossentropy(boolean fromLogits) {
        return new SparseCategoricalCrossentropy(fromLogits);
    }
}
