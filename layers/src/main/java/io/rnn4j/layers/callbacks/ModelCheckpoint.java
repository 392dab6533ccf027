package io.rnn4j.layers.callbacks;

import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.model.TrainableModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Keras 3's ModelCheckpoint: saves the model at the end of every epoch (or every
 * {@code saveFreq} batches) to {@code filepath}, a template formatted as Python's
 * {@code str.format} with {@code epoch} (from 1), {@code batch} (from 1, batch saves only) and the
 * logs: {@code "ckpt/{epoch:02d}-{val_loss:.2f}.weights.h5"}. With {@code saveBestOnly} it
 * saves only when the monitored quantity improves on the best so far (starting from
 * {@code initialValueThreshold} if given; the best is kept across fit calls, as in Keras).
 *
 * <p>Weights-only saving ({@link #saveWeightsOnly}) writes Keras 3's {@code .weights.h5}
 * ({@link Models#saveWeights(Sequential, Path)}, what Keras's {@code model.save_weights} writes), so
 * the file path must end in {@code .weights.h5}, as Keras requires, unless another weights saver is
 * given ({@link #weightsSaver}).
 * Whole-model saving (Keras's default) writes a Keras 3 {@code .keras} archive
 * ({@link Models#save(Sequential, Path)}) when the path ends in {@code .keras}, Keras 3's native
 * format; for another path (Keras also takes {@code .h5}, its legacy format, which rnn4j does not
 * write) it needs a model saver ({@link #modelSaver}), without which fit refuses to start.
 */
public final class ModelCheckpoint extends MonitorCallback {
    /** Writes a model to a file (atomically, as {@link Models#saveWeights(Sequential, Path)} does). */
    @FunctionalInterface
    public interface Saver {
        void save(TrainableModel model, Path path) throws IOException;
    }

    /** The default weights saver: Keras 3's {@code .weights.h5}. */
    private static void saveWeightsH5(TrainableModel model, Path path) throws IOException {
        switch (model) {
            case Sequential s -> Models.saveWeights(s, path);
            case Model m -> Models.saveWeights(m, path);
            default -> throw new IllegalStateException("ModelCheckpoint: cannot save the weights of " + model.name()
                    + " (" + model.getClass().getSimpleName() + ") as .weights.h5; give a weights saver");
        }
    }

    /** The default whole-model saver for a {@code .keras} path. */
    private static void saveKeras(TrainableModel model, Path path) throws IOException {
        switch (model) {
            case Sequential s -> Models.save(s, path);
            case Model m -> Models.save(m, path);
            default -> throw new IllegalStateException("ModelCheckpoint: cannot save " + model.name() + " ("
                    + model.getClass().getSimpleName() + ") as .keras; give a model saver");
        }
    }

    private final String filepath;
    private int verbose;
    private boolean saveBestOnly;
    private boolean saveWeightsOnly;
    private int saveFreq;
    private Saver modelSaver;
    private Saver weightsSaver; // null: Keras's .weights.h5
    private int currentEpoch;
    private int batchesSinceSave;
    private int lastBatch = -1;

    /**
     * Keras's {@code ModelCheckpoint(filepath)} with its defaults: monitor "val_loss", every epoch,
     * save_best_only and save_weights_only false, mode AUTO.
     *
     * @param filepath Keras's filepath: where to save, a template formatted with {@code epoch},
     *                 {@code batch} and the logs (see the class comment)
     * @throws IllegalArgumentException for an empty path or a template that cannot be formatted
     */
    public ModelCheckpoint(String filepath) {
        super("val_loss", 0);
        this.filepath = Objects.requireNonNull(filepath, "filepath");
        if (filepath.isEmpty()) {
            throw new IllegalArgumentException("ModelCheckpoint: the file path must not be empty");
        }
        PyFormat.check(filepath);
    }

    /** Keras's monitor: the logged quantity saveBestOnly and mode look at, "val_loss" by default. */
    public ModelCheckpoint monitor(String quantity) {
        setMonitor(quantity);
        return this;
    }

    /** 1 prints each save (and, with saveBestOnly, each non-improvement). */
    public ModelCheckpoint verbose(int level) {
        this.verbose = level;
        return this;
    }

    /**
     * Keras's save_best_only: save only when the monitored quantity improves on the best so far;
     * default false (save every time).
     */
    public ModelCheckpoint saveBestOnly(boolean on) {
        this.saveBestOnly = on;
        return this;
    }

    /**
     * Keras's {@code save_weights_only} (default false): saves only the weights (and, once compiled, the
     * optimizer's state), as {@code model.save_weights} does.
     *
     * @throws IllegalArgumentException when turned on for a file path that does not end in
     *                                  {@code .weights.h5}, as Keras's ModelCheckpoint refuses it on
     *                                  construction, unless a weights saver was given before
     */
    public ModelCheckpoint saveWeightsOnly(boolean on) {
        if (on && weightsSaver == null && !filepath.endsWith(".weights.h5")) {
            throw new IllegalArgumentException("ModelCheckpoint: with saveWeightsOnly(true) (Keras's "
                    + "save_weights_only=True) the filepath provided must end in `.weights.h5` (Keras weights "
                    + "format), or give a weights saver first (weightsSaver(...)). Received: filepath=" + filepath);
        }
        this.saveWeightsOnly = on;
        return this;
    }

    /**
     * Keras's mode for saveBestOnly: MIN when lower is better, MAX when higher is, AUTO (the default)
     * to tell from the monitored quantity's name.
     */
    public ModelCheckpoint mode(Mode m) {
        setMode(m);
        return this;
    }

    /** Keras's {@code mode="max"}: "auto", "min" or "max" ({@link Mode#of}). */
    public ModelCheckpoint mode(String m) {
        return mode(Mode.of(m));
    }

    /** Saves every {@code batches} batches instead of every epoch (Keras's integer save_freq). */
    public ModelCheckpoint saveFreq(int batches) {
        if (batches < 1) {
            throw new IllegalArgumentException("ModelCheckpoint: save_freq must be >= 1 batch, got " + batches);
        }
        this.saveFreq = batches;
        return this;
    }

    /** The value the monitored quantity must beat for the first save with saveBestOnly. */
    public ModelCheckpoint initialValueThreshold(double value) {
        this.best = value;
        return this;
    }

    /** How to save a whole model (architecture, weights, optimizer state). */
    public ModelCheckpoint modelSaver(Saver saver) {
        this.modelSaver = Objects.requireNonNull(saver, "saver");
        return this;
    }

    /**
     * How to save weights only, in a format of one's own (default: Keras 3's {@code .weights.h5}); give
     * it before {@link #saveWeightsOnly} for a file path that does not end in {@code .weights.h5}.
     */
    public ModelCheckpoint weightsSaver(Saver saver) {
        this.weightsSaver = Objects.requireNonNull(saver, "saver");
        return this;
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        if (!saveWeightsOnly && modelSaver == null) {
            if (!filepath.endsWith(".keras")) {
                // Keras 3 also takes .h5 here, for its legacy HDF5 format, which rnn4j does not write.
                throw new IllegalStateException("ModelCheckpoint: saving the whole model to '" + filepath + "' needs "
                        + "a path ending in .keras (rnn4j writes whole models only as Keras 3 archives, not the "
                        + "legacy .h5 Keras also takes) or a model saver (modelSaver(...)); or save weights only "
                        + "with saveWeightsOnly(true)");
            }
            modelSaver = ModelCheckpoint::saveKeras;
        }
        if (saveBestOnly) {
            resolveDirection();
        }
        batchesSinceSave = 0;
        lastBatch = -1;
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
        currentEpoch = epoch;
    }

    @Override
    public void onBatchEnd(int batch, Map<String, Double> logs) {
        if (saveFreq == 0) {
            return;
        }
        batchesSinceSave += lastBatch < 0 || batch <= lastBatch ? batch + 1 : batch - lastBatch;
        lastBatch = batch;
        if (batchesSinceSave >= saveFreq) {
            batchesSinceSave = 0;
            save(currentEpoch, batch, logs);
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (saveFreq == 0) {
            save(epoch, -1, logs);
        }
    }

    private void save(int epoch, int batch, Map<String, Double> logs) {
        Path path = Path.of(filePath(epoch, batch, logs));
        if (!shouldSave(epoch, logs, path)) {
            return;
        }
        try {
            if (Files.isDirectory(path)) {
                throw new IllegalArgumentException("ModelCheckpoint: the file path " + path + " is an existing "
                        + "directory; give a file path");
            }
            Path dir = path.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Saver saver = !saveWeightsOnly ? modelSaver : weightsSaver != null ? weightsSaver
                    : ModelCheckpoint::saveWeightsH5;
            saver.save(model(), path);
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint: cannot save to " + path + ": " + e.getMessage(), e);
        }
        if (verbose > 0) {
            out().println();
            out().println("Epoch " + (epoch + 1) + ": finished saving model to " + path);
        }
    }

    private boolean shouldSave(int epoch, Map<String, Double> logs, Path path) {
        if (!saveBestOnly) {
            if (verbose > 0) {
                out().println();
                out().println("Epoch " + (epoch + 1) + ": saving model to " + path);
            }
            return true;
        }
        Double current = monitorValue(logs);
        if (current == null) {
            return true; // Keras saves when it cannot tell (and warns).
        }
        String bestText = best == null ? "None" : String.format(Locale.ROOT, "%.5f", best);
        if (isImprovement(current, best)) {
            if (verbose > 0) {
                out().println();
                out().println(String.format(Locale.ROOT, "Epoch %d: %s improved from %s to %.5f, saving model to %s",
                        epoch + 1, monitor(), bestText, current, path));
            }
            best = current;
            return true;
        }
        if (verbose > 0) {
            out().println();
            out().println("Epoch " + (epoch + 1) + ": " + monitor() + " did not improve from " + bestText);
        }
        return false;
    }

    /** Keras's sentence, with the names there are (Keras names none) and what happens, as it happens there too. */
    @Override
    protected String missingMonitorWarning(String available) {
        return "Can save best model only with " + monitor() + " available. Available metrics are: " + available
                + "; saving regardless";
    }

    private String filePath(int epoch, int batch, Map<String, Double> logs) {
        Map<String, Object> values = new LinkedHashMap<>(logs);
        values.put("epoch", epoch + 1);
        if (batch >= 0 && !logs.containsKey("batch")) {
            values.put("batch", batch + 1);
        }
        return PyFormat.format(filepath, values);
    }
}
