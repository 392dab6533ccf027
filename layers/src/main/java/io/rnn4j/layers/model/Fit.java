package io.rnn4j.layers.model;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.callbacks.Callback;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The options of {@code fit}, with Keras's defaults (batch size 32, 1 epoch, shuffled each epoch,
 * verbose 1), built fluently: {@code Fit.defaults().batchSize(32).epochs(10).validationData(xVal, yVal)
 * .callbacks(new EarlyStopping().patience(3))}.
 * Immutable: each setter returns a new instance.
 *
 * @param batchSize       samples per gradient step
 * @param epochs          passes over the data
 * @param shuffle         reshuffle the training samples before each epoch
 * @param seed            the shuffle seed, or null to draw one from {@code Seeds}
 * @param validationX     validation inputs (one tensor per model input), or null
 * @param validationY     validation labels (one tensor per model output), or null (none, or
 *                        validation inputs alone for a model whose layers add its loss)
 * @param validationSplit the fraction of the training data (its last samples, before shuffling)
 *                        held out for validation, as Keras does; 0 for none
 * @param verbose         0 silent, 1 a progress bar (plain lines when the output is not a terminal),
 *                        2 one line per epoch
 * @param out             where progress is printed
 * @param callbacks       called around training, epochs and batches, in order
 * @param sampleWeight    a weight per training sample {@code (n,)} (or per sample and timestep,
 *                        the per-sample loss's shape), applied to every output's loss; or null
 * @param classWeight     a weight per class id, turned into sample weights from the labels as
 *                        Keras does (classes absent from the map weigh 1; one output only), or null
 * @param validationSampleWeight weights of the validation samples, or null
 * @param initialEpoch    the epoch to start at (Keras's initial_epoch, to resume a run): epochs
 *                        {@code initialEpoch .. epochs-1} are run, numbered so in the logs,
 *                        callbacks and History; none when it is {@code >= epochs}
 */
public record Fit(int batchSize, int epochs, boolean shuffle, Long seed, List<Tensor> validationX,
        List<Tensor> validationY, double validationSplit, int verbose, PrintStream out, List<Callback> callbacks,
        Tensor sampleWeight, Map<Integer, Double> classWeight, Tensor validationSampleWeight, int initialEpoch) {

    /**
     * Checks the options as Keras's fit does, naming the bad one; start a chain from
     * {@link #defaults()} rather than calling this.
     *
     * @throws IllegalArgumentException for an option out of range or two that exclude each other
     */
    public Fit {
        if (batchSize < 1) {
            throw new IllegalArgumentException("fit: batch_size must be >= 1, got " + batchSize);
        }
        if (epochs < 0) {
            throw new IllegalArgumentException("fit: epochs must be >= 0, got " + epochs);
        }
        if (validationX == null && validationY != null) {
            throw new IllegalArgumentException("fit: validation labels need validation inputs");
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
        validationX = validationX == null ? null : List.copyOf(validationX);
        validationY = validationY == null ? null : List.copyOf(validationY);
        callbacks = List.copyOf(callbacks);
        if (sampleWeight != null && classWeight != null) {
            throw new IllegalArgumentException("fit: give class_weight or sample_weight, not both");
        }
        if (classWeight != null) {
            classWeight = Collections.unmodifiableMap(new LinkedHashMap<>(classWeight));
            classWeight.forEach((k, v) -> {
                if (k == null || v == null || !Double.isFinite(v)) {
                    throw new IllegalArgumentException("fit: class_weight must map class ids to finite weights, got "
                            + k + " -> " + v);
                }
            });
        }
        if (initialEpoch < 0) {
            throw new IllegalArgumentException("fit: initial_epoch must be >= 0, got " + initialEpoch);
        }
        if (validationSampleWeight != null && validationX == null) {
            throw new IllegalArgumentException("fit: validation sample weights need validation data");
        }
    }

    /**
     * Keras's defaults, where every chain starts: {@code Fit.defaults().batchSize(64).epochs(10)}
     * (the only static method, so no option call can start a new chain by mistake).
     */
    public static Fit defaults() {
        return new Fit(32, 1, true, null, null, null, 0, 1, System.out, List.of(), null, null, null, 0);
    }

    /** Keras's {@code batch_size} (default 32). */
    public Fit batchSize(int n) {
        return new Fit(n, epochs, shuffle, seed, validationX, validationY, validationSplit, verbose, out,
                callbacks, sampleWeight, classWeight, validationSampleWeight, initialEpoch);
    }

    /** Keras's {@code epochs}: passes over the training data (default 1). */
    public Fit epochs(int n) {
        return new Fit(batchSize, n, shuffle, seed, validationX, validationY, validationSplit, verbose, out,
                callbacks, sampleWeight, classWeight, validationSampleWeight, initialEpoch);
    }

    /** Keras's {@code shuffle}: reshuffle the training samples before each epoch (default true). */
    public Fit shuffle(boolean on) {
        return new Fit(batchSize, epochs, on, seed, validationX, validationY, validationSplit, verbose, out,
                callbacks, sampleWeight, classWeight, validationSampleWeight, initialEpoch);
    }

    /** Shuffles with a fixed seed (reproducible order). */
    public Fit seed(long s) {
        return new Fit(batchSize, epochs, shuffle, s, validationX, validationY, validationSplit, verbose, out,
                callbacks, sampleWeight, classWeight, validationSampleWeight, initialEpoch);
    }

    /**
     * Keras's {@code validation_data=(x, y)}: evaluated at the end of each epoch, logged as "val_loss"
     * and "val_" + each metric; default none.
     */
    public Fit validationData(Tensor x, Tensor y) {
        return validationData(List.of(Objects.requireNonNull(x, "x")), List.of(Objects.requireNonNull(y, "y")));
    }

    /**
     * Keras's {@code validation_data=(x,)}: validation inputs without targets, for a model compiled
     * without a loss whose layers add it (one tensor per model input).
     */
    public Fit validationData(List<Tensor> x) {
        return new Fit(batchSize, epochs, shuffle, seed, Objects.requireNonNull(x, "x"), null, validationSplit,
                verbose, out, callbacks, sampleWeight, classWeight, null, initialEpoch);
    }

    /** Validation data of a model with several inputs or outputs: one tensor per input, one per output. */
    public Fit validationData(List<Tensor> x, List<Tensor> y) {
        return new Fit(batchSize, epochs, shuffle, seed, Objects.requireNonNull(x, "x"),
                Objects.requireNonNull(y, "y"), validationSplit, verbose, out, callbacks, sampleWeight, classWeight,
                null, initialEpoch);
    }

    /** Validation data with a weight per validation sample (Keras's {@code (x, y, sample_weight)}). */
    public Fit validationData(Tensor x, Tensor y, Tensor sampleWeights) {
        return new Fit(batchSize, epochs, shuffle, seed, List.of(Objects.requireNonNull(x, "x")),
                List.of(Objects.requireNonNull(y, "y")), validationSplit, verbose, out, callbacks, sampleWeight,
                classWeight, Objects.requireNonNull(sampleWeights, "sampleWeights"), initialEpoch);
    }

    /** Adds callbacks, called in the order given after any added before. */
    public Fit callbacks(Callback... more) {
        List<Callback> all = new ArrayList<>(callbacks);
        for (Callback c : more) {
            all.add(Objects.requireNonNull(c, "callback"));
        }
        return new Fit(batchSize, epochs, shuffle, seed, validationX, validationY, validationSplit, verbose, out, all,
                sampleWeight, classWeight, validationSampleWeight, initialEpoch);
    }

    /** A weight per training sample (Keras's sample_weight): each sample's loss is multiplied by it. */
    public Fit sampleWeight(Tensor weights) {
        return new Fit(batchSize, epochs, shuffle, seed, validationX, validationY, validationSplit, verbose, out,
                callbacks, Objects.requireNonNull(weights, "weights"), classWeight, validationSampleWeight, initialEpoch);
    }

    /** A weight per class id (Keras's class_weight), for labels that are class ids or one-hot rows. */
    public Fit classWeight(Map<Integer, Double> weights) {
        return new Fit(batchSize, epochs, shuffle, seed, validationX, validationY, validationSplit, verbose, out,
                callbacks, sampleWeight, Objects.requireNonNull(weights, "weights"), validationSampleWeight, initialEpoch);
    }

    /**
     * Resumes a run at epoch {@code n} (Keras's initial_epoch): {@code epochs} stays the total, so
     * {@code epochs(10).initialEpoch(6)} trains 4 epochs, printed "Epoch 7/10" to "Epoch 10/10".
     */
    public Fit initialEpoch(int n) {
        return new Fit(batchSize, epochs, shuffle, seed, validationX, validationY, validationSplit, verbose, out,
                callbacks, sampleWeight, classWeight, validationSampleWeight, n);
    }

    /**
     * Keras's {@code validation_split}: the fraction in [0, 1) of the training data held out for
     * validation, its last samples before shuffling; default 0 (none). Not with validationData.
     */
    public Fit validationSplit(double fraction) {
        return new Fit(batchSize, epochs, shuffle, seed, validationX, validationY, fraction, verbose, out,
                callbacks, sampleWeight, classWeight, validationSampleWeight, initialEpoch);
    }

    /** Keras's {@code verbose}: 0 silent, 1 a progress bar (the default), 2 one line per epoch. */
    public Fit verbose(int level) {
        return new Fit(batchSize, epochs, shuffle, seed, validationX, validationY, validationSplit, level, out,
                callbacks, sampleWeight, classWeight, validationSampleWeight, initialEpoch);
    }

    /** Where progress is printed (default System.out); Keras prints to stdout. */
    public Fit output(PrintStream stream) {
        return new Fit(batchSize, epochs, shuffle, seed, validationX, validationY, validationSplit, verbose, stream,
                callbacks, sampleWeight, classWeight, validationSampleWeight, initialEpoch);
    }
}
