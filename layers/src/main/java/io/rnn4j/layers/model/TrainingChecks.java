package io.rnn4j.layers.model;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.losses.SampleWeights;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link Training} checks before anything runs, so that a bad call trains nothing: the model is
 * compiled; inputs, labels (one tensor per output, fitting its loss) and sample weights fit the model
 * and each other; targets are left out only where Keras's {@code fit(x)} allows it. Each refusal names
 * the model, the operation and what was expected.
 */
final class TrainingChecks {
    private final Trainable model;

    TrainingChecks(Trainable model) {
        this.model = model;
    }

    void requireCompiled(String op) {
        if (model.compiled() == null) {
            throw new IllegalStateException(model.name() + "." + op + ": compile the model first (an optimizer, and "
                    + "a loss and metrics unless its layers add the loss)");
        }
    }

    /**
     * Inputs fit the model, one label tensor per output fitting it and its loss, the same number of
     * samples everywhere — before anything runs; returns each output's sample shape for these inputs.
     */
    List<Shape> checkData(List<Tensor> x, List<Tensor> y, String op) {
        model.checkInputs(x, op);
        List<String> names = model.outputNames();
        if (y == null) {
            checkWithoutTargets(op);
            if (x.get(0).dim(0) == 0) {
                throw new IllegalArgumentException(model.name() + "." + op + ": no samples");
            }
            return outputSamples(x);
        }
        if (y.size() != names.size()) {
            throw new IllegalArgumentException(model.name() + "." + op + ": expected one label tensor per output ("
                    + names.size() + ": " + names + "), got " + y.size());
        }
        int n = x.get(0).dim(0);
        List<Shape> outputs = outputSamples(x);
        for (int i = 0; i < y.size(); i++) {
            Tensor yi = y.get(i);
            if (yi == null || yi.rank() < 1 || yi.dim(0) != n) {
                throw new IllegalArgumentException(model.name() + "." + op + ": labels must have one row per input "
                        + "sample (" + n + "), got shape " + (yi == null ? "null" : yi.shape())
                        + (y.size() > 1 ? " for output '" + names.get(i) + "'" : ""));
            }
            if (yi.device() != model.device()) {
                throw new IllegalArgumentException(model.name() + "." + op + ": labels live on " + yi.device().name()
                        + " but the model on " + model.device().name() + "; move them with y.to(model.device())");
            }
            Shape out = outputs.get(i);
            int[] dims = new int[out.rank() + 1];
            dims[0] = n;
            System.arraycopy(out.dims(), 0, dims, 1, out.rank());
            if (model.compiled().hasLoss()) {  // without a compiled loss the targets only feed the metrics
                checkLabels(op, i, yi.shape(), Shape.withUnknown(dims));
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException(model.name() + "." + op + ": no samples");
        }
        return outputs;
    }

    /** Keras's fit(x) with y=None: only a model compiled without a loss (and without metrics) can take it. */
    private void checkWithoutTargets(String op) {
        Trainable.Compiled c = model.compiled();
        if (c.hasLoss()) {
            throw new IllegalArgumentException(model.name() + "." + op + ": the model was compiled with a loss, which "
                    + "compares the outputs with targets (y), but got none; give targets, or compile with an "
                    + "optimizer alone when the layers add the loss");
        }
        if (c.hasMetrics()) {
            throw new IllegalArgumentException(model.name() + "." + op + ": the model was compiled with metrics, which "
                    + "compare the outputs with targets (y), but got none; give targets, or compile without metrics");
        }
    }

    /** Each output's sample shape for the inputs {@code x} (a None of the model that x's sizes fix, fixed). */
    private List<Shape> outputSamples(List<Tensor> x) {
        List<Shape> samples = new ArrayList<>();
        for (Tensor t : x) {
            samples.add(t.shape().tail());
        }
        return model.outputShapes(samples);
    }

    /** Output {@code i}'s loss must take labels of {@code labels} for predictions of {@code predictions}. */
    void checkLabels(String op, int i, Shape labels, Shape predictions) {
        try {
            model.compiled().losses().get(i).checkLabels(labels, predictions);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(model.name() + "." + op + ": " + e.getMessage() + " (output of "
                    + "layer '" + model.outputNames().get(i) + "')", e);
        }
    }

    /** Sample weights fit every output's per-sample losses for n samples, on the model's device (null passes). */
    void checkSampleWeights(Tensor w, int n, List<Shape> outputs, String op) {
        if (w == null) {
            return;
        }
        if (!model.compiled().hasLoss()) {
            // Keras passes them to the compiled loss and weighted metrics only: with no loss nothing else to fit
            if (w.rank() < 1 || w.dim(0) != n) {
                throw new IllegalArgumentException(model.name() + "." + op + ": sample weights must have one row per "
                        + "input sample (" + n + "), got shape " + w.shape());
            }
            return;
        }
        if (w.device() != model.device()) {
            throw new IllegalArgumentException(model.name() + "." + op + ": sample weights live on " + w.device().name()
                    + " but the model on " + model.device().name() + "; move them with w.to(model.device())");
        }
        for (int o = 0; o < outputs.size(); o++) {
            Shape out = outputs.get(o);
            int[] dims = new int[Math.max(1, out.rank())];
            dims[0] = n;
            for (int i = 1; i < out.rank(); i++) {
                dims[i] = out.dim(i - 1);
            }
            try {
                SampleWeights.check(model.compiled().losses().get(o).name(), Shape.withUnknown(dims), w.shape());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(model.name() + "." + op + ": " + e.getMessage()
                        + (model.outputNames().size() > 1 ? " (output '" + model.outputNames().get(o) + "')" : ""), e);
            }
        }
    }
}
