package io.rnn4j.layers.model;

import io.rnn4j.engine.Tensor;
import java.io.PrintStream;
import java.util.Objects;

/**
 * The options of {@code fit}, with Keras's defaults (batch size 32, 1 epoch, shuffled each epoch,
 * verbose 1), built fluently: {@code Fit.batchSize(32).epochs(10).validationData(xVal, yVal)}.
 * Immutable: each setter returns a new instance.
 *
 * @param batchSize       samples per gradient step
 * @param epochs          passes over the data
 * @param shuffle         reshuffle the training samples before each epoch
 * @param seed            the shuffle seed, or null to draw one from {@code Seeds}
 * @param validationX     validation inputs, or null
 * @param validationY     validation labels, or null
 * @param validationSplit the fraction of the training data (its last samples, before shuffling)
 *                        held out for validation, as Keras does; 0 for none
 * @param verbose         0 silent, 1 a progress bar (plain lines when the output is not a terminal),
 *                        2 one line per epoch
 * @param out             where progress is printed
 */
public record Fit(int batchSize, int epochs, boolean shuffle, Long seed, Tensor validationX, Tensor validationY,
        double validationSplit, int verbose, PrintStream out) {

    public Fit {
        if (batchSize < 1) {
            throw new IllegalArgumentException("fit: batch_size must be >= 1, got " + batchSize);
        }
        if (epochs < 0) {
            throw new IllegalArgumentException("fit: epochs must be >= 0, got " + epochs);
        }
        if ((validationX == null) != (validationY == null)) {
            throw new IllegalArgumentException("fit: validation_data needs both inputs and labels");
        }
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("fit: validation_split must be in [0, 1), got " + validationSplit);
        }
        if (validationSplit > 0 && validationX != null) {
            throw new IllegalArgumentException("fit: give validation_data or validation_split, not both");
        }
        if (verbose < 0 || verbose > 2) {
            throw new IllegalArgumentException("fit: verbose must be 0, 1 or 2, got " + verbose);
        }
        Objects.requireNonNull(out, "out");
    }

    /** Keras's defaults. */
    public static Fit defaults() {
        return new Fit(32, 1, true, null, null, null, 0, 1, System.out);
    }

    /** Keras's defaults with this batch size. */
    public static Fit batchSize(int batchSize) {
        return defaults().withBatchSize(batchSize);
    }

    public Fit withBatchSize(int n) {
        return new Fit(n, epochs, shuffle, seed, validationX, validationY, validationSplit, verbose, out);
    }

    public Fit epochs(int n) {
        return new Fit(batchSize, n, shuffle, seed, validationX, validationY, validationSplit, verbose, out);
    }

    public Fit shuffle(boolean on) {
        return new Fit(batchSize, epochs, on, seed, validationX, validationY, validationSplit, verbose, out);
    }

    /** Shuffles with a fixed seed (reproducible order). */
    public Fit seed(long s) {
        return new Fit(batchSize, epochs, shuffle, s, validationX, validationY, validationSplit, verbose, out);
    }

    public Fit validationData(Tensor x, Tensor y) {
        return new Fit(batchSize, epochs, shuffle, seed, Objects.requireNonNull(x, "x"),
                Objects.requireNonNull(y, "y"), validationSplit, verbose, out);
    }

    public Fit validationSplit(double fraction) {
        return new Fit(batchSize, epochs, shuffle, seed, validationX, validationY, fraction, verbose, out);
    }

    public Fit verbose(int level) {
        return new Fit(batchSize, epochs, shuffle, seed, validationX, validationY, validationSplit, level, out);
    }

    public Fit output(PrintStream stream) {
        return new Fit(batchSize, epochs, shuffle, seed, validationX, validationY, validationSplit, verbose, stream);
    }
}
