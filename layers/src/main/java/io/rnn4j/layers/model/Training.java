package io.rnn4j.layers.model;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Autograd;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.metrics.Metric;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Keras's training loop for a {@link Sequential}: per batch, forward while recording, loss plus
 * regularization penalties, backward, optimizer step; the logged loss and metrics are means over
 * the epoch's samples (each batch weighted by its size), as Keras 3's loss tracker and metrics.
 */
final class Training {
    private final Sequential model;

    Training(Sequential model) {
        this.model = model;
    }

    History fit(Tensor x, Tensor y, Fit fit) {
        requireCompiled("fit");
        checkData(x, y, "fit");
        Tensor trainX = x;
        Tensor trainY = y;
        Tensor valX = fit.validationX();
        Tensor valY = fit.validationY();
        if (fit.validationSplit() > 0) {
            // Keras holds out the LAST samples, before any shuffling.
            int n = x.dim(0);
            int split = (int) (n * (1 - fit.validationSplit()));
            if (split < 1 || split >= n) {
                throw new IllegalArgumentException(model.name() + ".fit: validation_split " + fit.validationSplit()
                        + " of " + n + " samples leaves an empty training or validation set");
            }
            trainX = x.narrow(0, split);
            trainY = y.narrow(0, split);
            valX = x.narrow(split, n - split);
            valY = y.narrow(split, n - split);
        }
        if (valX != null) {
            checkData(valX, valY, "fit (validation data)");
        }
        RandomGenerator shuffleRandom = fit.seed() != null ? Seeds.of(fit.seed()) : Seeds.next();
        RandomGenerator dropoutRandom = Seeds.next();
        int n = trainX.dim(0);
        int steps = (n + fit.batchSize() - 1) / fit.batchSize();
        History history = new History();
        boolean dynamic = fit.verbose() == 1 && ProgressBar.isTerminal(fit.out());
        for (int epoch = 0; epoch < fit.epochs(); epoch++) {
            if (fit.verbose() > 0) {
                fit.out().println("Epoch " + (epoch + 1) + "/" + fit.epochs());
            }
            ProgressBar bar = fit.verbose() > 0 ? new ProgressBar(fit.out(), steps, dynamic) : null;
            int[] order = fit.shuffle() ? permutation(n, shuffleRandom) : null;
            double lossSum = 0;
            long seen = 0;
            resetMetrics();
            Map<String, Double> logs = new LinkedHashMap<>();
            for (int step = 0; step < steps; step++) {
                int from = step * fit.batchSize();
                int count = Math.min(fit.batchSize(), n - from);
                Tensor xb = Batches.rows(trainX, order, from, count);
                Tensor yb = Batches.rows(trainY, order, from, count);
                double batchLoss = step(xb, yb, CallContext.training(dropoutRandom));
                lossSum += batchLoss * count;
                seen += count;
                logs = logs(lossSum / seen, "");
                if (bar != null && step < steps - 1) {
                    bar.update(step + 1, logs, false);
                }
            }
            if (valX != null) {
                Evaluation val = evaluate(valX, valY, fit.batchSize());
                for (Map.Entry<String, Double> e : val.asMap().entrySet()) {
                    logs.put("val_" + e.getKey(), e.getValue());
                }
            }
            if (bar != null) {
                bar.update(steps, logs, true);
            }
            history.record(logs);
        }
        return history;
    }

    double trainOnBatch(Tensor x, Tensor y) {
        requireCompiled("trainOnBatch");
        checkData(x, y, "trainOnBatch");
        resetMetrics();
        return step(x, y, CallContext.training(Seeds.next()));
    }

    /** One optimizer step; returns the batch's loss with regularization. */
    private double step(Tensor xb, Tensor yb, CallContext ctx) {
        List<Weight> weights = model.weights();
        for (Weight w : weights) {
            w.variable().zeroGrad();
        }
        Variable prediction = model.call(Variable.constant(xb), ctx);
        Variable total = model.loss().compute(Variable.constant(yb), prediction);
        Variable penalty = model.regularization();
        if (penalty != null) {
            total = Ops.add(total, penalty);
        }
        double value = total.value().item();
        if (total.requiresGrad()) {
            total.backward();
            model.optimizer().apply(weights);
        }
        for (Metric m : model.metrics()) {
            m.update(yb, prediction.value());
        }
        return value;
    }

    Evaluation evaluate(Tensor x, Tensor y, int batchSize) {
        requireCompiled("evaluate");
        if (batchSize < 1) {
            throw new IllegalArgumentException(model.name() + ".evaluate: batch_size must be >= 1, got " + batchSize);
        }
        checkData(x, y, "evaluate");
        int n = x.dim(0);
        double lossSum = 0;
        resetMetrics();
        try (var _ = Autograd.noGrad()) {
            for (int from = 0; from < n; from += batchSize) {
                int count = Math.min(batchSize, n - from);
                Tensor xb = x.narrow(from, count);
                Tensor yb = y.narrow(from, count);
                Variable prediction = model.call(Variable.constant(xb), CallContext.inference());
                Variable total = model.loss().compute(Variable.constant(yb), prediction);
                Variable penalty = model.regularization();
                if (penalty != null) {
                    total = Ops.add(total, penalty);
                }
                lossSum += total.value().item() * count;
                for (Metric m : model.metrics()) {
                    m.update(yb, prediction.value());
                }
            }
        }
        return new Evaluation(logs(lossSum / n, ""));
    }

    private Map<String, Double> logs(double loss, String prefix) {
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put(prefix + "loss", loss);
        for (Metric m : model.metrics()) {
            logs.put(prefix + m.name(), m.result());
        }
        return logs;
    }

    private void resetMetrics() {
        for (Metric m : model.metrics()) {
            m.reset();
        }
    }

    private void requireCompiled(String op) {
        if (model.loss() == null) {
            throw new IllegalStateException(model.name() + "." + op + ": compile the model first (optimizer, loss, "
                    + "metrics)");
        }
    }

    /** Inputs fit the model, labels fit its outputs and the loss, same number of samples — before anything runs. */
    private void checkData(Tensor x, Tensor y, String op) {
        model.ensureBuilt(x, op);
        model.checkInput(x, op);
        if (y.rank() < 1 || y.dim(0) != x.dim(0)) {
            throw new IllegalArgumentException(model.name() + "." + op + ": labels must have one row per input sample ("
                    + x.dim(0) + "), got shape " + y.shape());
        }
        if (y.device() != model.device()) {
            throw new IllegalArgumentException(model.name() + "." + op + ": labels live on " + y.device().name()
                    + " but the model on " + model.device().name() + "; move them with y.to(model.device())");
        }
        Shape out = model.outputShape();
        int[] dims = new int[out.rank() + 1];
        dims[0] = x.dim(0);
        System.arraycopy(out.dims(), 0, dims, 1, out.rank());
        try {
            model.loss().checkLabels(y.shape(), Shape.of(dims));
        } catch (IllegalArgumentException e) {
            String last = model.layers().isEmpty() ? "the input" : "layer '"
                    + model.layers().get(model.layers().size() - 1).name() + "'";
            throw new IllegalArgumentException(model.name() + "." + op + ": " + e.getMessage() + " (output of " + last
                    + ")", e);
        }
        if (x.dim(0) == 0) {
            throw new IllegalArgumentException(model.name() + "." + op + ": no samples");
        }
    }

    private static int[] permutation(int n, RandomGenerator random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
