package io.rnn4j.layers.model;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Outputs;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Autograd;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.callbacks.Callback;
import io.rnn4j.layers.callbacks.CallbackList;
import io.rnn4j.layers.metrics.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import java.util.random.RandomGenerator;

/**
 * Keras's training loop, shared by {@link Sequential} and the functional {@link Model}: per batch,
 * forward while recording, the loss of each output (times its loss weight) summed, plus
 * regularization penalties, backward, optimizer step; the logged loss and metrics are means over
 * the epoch's samples (each batch weighted by its size), as Keras 3's loss tracker and metrics.
 * With several outputs the logs also hold each output's own (unweighted) loss as
 * {@code <output>_loss}, the mean over the epoch's batches (each counting once, as Keras's TensorFlow
 * backend tracks it), and its metrics as {@code <output>_<metric>}, as Keras 3 names them.
 * Sample weights (one per sample, for every output) scale each sample's loss; an output's Keras
 * mask (Embedding(mask_zero) or Masking carried through return_sequences layers) leaves its masked
 * timesteps out of that output's loss and metrics, as Keras 3 does; callbacks are
 * called where Keras 3's fit calls them, and the model's {@code stopTraining} ends training after
 * the current batch. Data holding NaN or infinity is refused before the first update (fit) or
 * before the batch's update (trainOnBatch), naming the sample; so are batches a fixed batch size or
 * a stateful layer cannot take. A model compiled without a loss (Keras's {@code loss=None}) trains
 * on what its layers add ({@code add_loss}, activity regularizers) and the weights' penalties, with
 * or without targets (null {@code y}: Keras's {@code fit(x)}); with none of these it is refused as
 * Keras's {@code compute_loss} refuses it.
 */
final class Training {
    private final Trainable model;
    private final TrainingChecks checks;

    Training(Trainable model) {
        this.model = model;
        this.checks = new TrainingChecks(model);
    }

    History fit(List<Tensor> x, List<Tensor> y, Fit fit) {
        checks.requireCompiled("fit");
        List<Shape> outputs = checks.checkData(x, y, "fit");
        Tensor weights = fit.sampleWeight();
        if (fit.classWeight() != null) {
            if (y == null) {
                throw new IllegalArgumentException(model.name() + ".fit: class_weight weights samples by their "
                        + "targets' classes; fit got no targets (y)");
            }
            if (y.size() != 1) {
                throw new IllegalArgumentException(model.name() + ".fit: class_weight is only supported for models "
                        + "with a single output; this one has " + y.size() + " " + model.outputNames());
            }
            weights = ClassWeights.toSampleWeights(model.name() + ".fit", y.get(0), fit.classWeight());
        }
        checks.checkSampleWeights(weights, x.get(0).dim(0), outputs, "fit");
        List<Tensor> trainX = x;
        List<Tensor> trainY = y;
        Tensor trainW = weights;
        List<Tensor> valX = fit.validationX();
        List<Tensor> valY = fit.validationY();
        Tensor valW = fit.validationSampleWeight();
        if (fit.validationSplit() > 0) {
            // Keras holds out the LAST samples, before any shuffling.
            int n = x.get(0).dim(0);
            int split = (int) (n * (1 - fit.validationSplit()));
            if (split < 1 || split >= n) {
                throw new IllegalArgumentException(model.name() + ".fit: validation_split " + fit.validationSplit()
                        + " of " + n + " samples leaves an empty training or validation set");
            }
            trainX = narrow(x, 0, split);
            trainY = y == null ? null : narrow(y, 0, split);
            valX = narrow(x, split, n - split);
            valY = y == null ? null : narrow(y, split, n - split);
            if (weights != null) {
                trainW = weights.narrow(0, split);
                // Keras splits the sample weights too; class weights apply to training only.
                valW = fit.classWeight() != null ? null : weights.narrow(split, n - split);
            }
        }
        model.checkBatches(trainX.get(0).dim(0), fit.batchSize(), "fit");
        if (valX != null) {
            List<Shape> valOutputs = checks.checkData(valX, valY, "fit (validation data)");
            checks.checkSampleWeights(valW, valX.get(0).dim(0), valOutputs, "fit (validation data)");
            model.checkBatches(valX.get(0).dim(0), fit.batchSize(), "fit (validation data)");
        }
        // Bad values refused before the first update, not when their batch comes: nothing is half trained.
        NonFinite.check(model.name() + ".fit", trainX, trainY, trainW, r -> r, "nothing was trained");
        RandomGenerator shuffleRandom = fit.seed() != null ? Seeds.of(fit.seed()) : Seeds.next();
        RandomGenerator dropoutRandom = Seeds.next();
        int n = trainX.get(0).dim(0);
        int steps = (n + fit.batchSize() - 1) / fit.batchSize();
        History history = new History();
        CustomSteps custom = model.customSteps().trainStep() != null ? model.customSteps() : null;
        boolean dynamic = fit.verbose() == 1 && ProgressBar.isTerminal(fit.out());
        TrainableModel owner = model.owner();
        CallbackList callbacks = new CallbackList(fit.callbacks(), owner,
                new Callback.Params(fit.epochs(), steps, fit.verbose(), fit.out(), logNames(valX != null, custom)));
        owner.setStopTraining(false);
        callbacks.onTrainBegin();
        Map<String, Double> epochLogs = new LinkedHashMap<>();
        for (int epoch = fit.initialEpoch(); epoch < fit.epochs(); epoch++) {
            if (fit.verbose() > 0) {
                fit.out().println("Epoch " + (epoch + 1) + "/" + fit.epochs());
            }
            ProgressBar bar = fit.verbose() > 0 ? new ProgressBar(fit.out(), steps, dynamic) : null;
            int[] order = fit.shuffle() ? permutation(n, shuffleRandom) : null;
            Losses sums = new Losses(model.outputNames().size());
            if (custom != null) {
                custom.resetMetrics(this, model);
            } else {
                resetMetrics();
            }
            callbacks.onEpochBegin(epoch);
            Map<String, Double> logs = new LinkedHashMap<>();
            int done = 0;
            for (int step = 0; step < steps; step++) {
                callbacks.onBatchBegin(step);
                int from = step * fit.batchSize();
                int count = Math.min(fit.batchSize(), n - from);
                List<Tensor> xb = rows(trainX, order, from, count);
                List<Tensor> yb = trainY == null ? null : rows(trainY, order, from, count);
                Tensor wb = trainW == null ? null : Batches.rows(trainW, order, from, count);
                IntUnaryOperator sampleOf = r -> order == null ? from + r : order[from + r];
                if (custom != null) {
                    logs = runStep(custom.trainStep(), xb, yb, wb, CallContext.training(dropoutRandom));
                } else {
                    sums.add(step(xb, yb, wb, CallContext.training(dropoutRandom), sampleOf, "fit"), count);
                    logs = logs(sums);
                }
                done = step + 1;
                callbacks.onBatchEnd(step, logs);
                if (bar != null && step < steps - 1) {
                    bar.update(step + 1, logs, false);
                }
                if (owner.stopTraining()) {
                    break;
                }
            }
            if (custom != null) {
                logs = new LinkedHashMap<>(custom.finalLogs(this, model, logs));
            }
            if (valX != null) {
                Evaluation val = evaluate(valX, valY, valW, fit.batchSize(), callbacks);
                for (Map.Entry<String, Double> e : val.asMap().entrySet()) {
                    logs.put("val_" + e.getKey(), e.getValue());
                }
            }
            logs = callbacks.onEpochEnd(epoch, logs);
            history.record(epoch, logs);
            if (bar != null) {
                bar.update(done, logs, true);
            }
            epochLogs = logs;
            if (owner.stopTraining()) {
                break;
            }
        }
        callbacks.onTrainEnd(epochLogs);
        return history;
    }

    double trainOnBatch(List<Tensor> x, List<Tensor> y, Tensor sampleWeight) {
        if (model.customSteps().trainStep() != null) {
            Map<String, Double> logs = trainOnBatchLogs(x, y, sampleWeight);
            if (!logs.containsKey("loss")) {
                throw new IllegalStateException(model.name() + ".trainOnBatch: the custom train step logged no "
                        + "'loss' (it logged " + logs.keySet() + "); read its logs with trainOnBatchLogs");
            }
            return logs.get("loss");
        }
        return trainOnBatchValues(x, y, sampleWeight)[0];
    }

    /**
     * Keras's {@code train_on_batch(..., return_dict=True)}: the batch's logs, the loss and the metrics
     * (reset first), or what the custom train step returned.
     */
    Map<String, Double> trainOnBatchLogs(List<Tensor> x, List<Tensor> y, Tensor sampleWeight) {
        CustomSteps custom = model.customSteps();
        if (custom.trainStep() == null) {
            Losses sums = new Losses(model.outputNames().size());
            sums.add(trainOnBatchValues(x, y, sampleWeight), 1);
            return logs(sums);
        }
        checks.requireCompiled("trainOnBatch");
        List<Shape> outputs = checks.checkData(x, y, "trainOnBatch");
        checks.checkSampleWeights(sampleWeight, x.get(0).dim(0), outputs, "trainOnBatch");
        NonFinite.check(model.name() + ".trainOnBatch", x, y, sampleWeight, r -> r, "nothing was trained");
        custom.resetMetrics(this, model);
        return runStep(custom.trainStep(), x, y, sampleWeight, CallContext.training(Seeds.next()));
    }

    private double[] trainOnBatchValues(List<Tensor> x, List<Tensor> y, Tensor sampleWeight) {
        checks.requireCompiled("trainOnBatch");
        List<Shape> outputs = checks.checkData(x, y, "trainOnBatch");
        checks.checkSampleWeights(sampleWeight, x.get(0).dim(0), outputs, "trainOnBatch");
        model.checkBatches(x.get(0).dim(0), Math.max(1, x.get(0).dim(0)), "trainOnBatch");
        resetMetrics();
        return step(x, y, sampleWeight, CallContext.training(Seeds.next()), r -> r, "trainOnBatch");
    }

    /**
     * Runs a custom step on one batch; its logs, checked and copied. A value that is some other number
     * (a raw map's Float or Integer, as a Python float or int in Keras's logs) is read as a double.
     */
    private Map<String, Double> runStep(ModelStep step, List<Tensor> xb, List<Tensor> yb, Tensor wb,
            CallContext ctx) {
        Map<String, Double> logs = step.run(new StepData(xb, yb, wb), new StepContext(this, model,
                model.customSteps(), ctx));
        String what = model.name() + ": the custom " + (ctx.training() ? "train" : "test") + " step";
        if (logs == null) {
            throw new IllegalStateException(what + " returned no logs; return a map of metric names to values "
                    + "(ctx.metricsResult())");
        }
        Map<String, Double> copy = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : logs.entrySet()) {
            Object key = e.getKey();
            Object value = e.getValue();
            if (!(key instanceof String name) || name.isEmpty()) {
                throw new IllegalStateException(what + " returned a log named " + (key == null ? "null"
                        : "'" + key + "' (" + key.getClass().getSimpleName() + ")") + "; each log needs a "
                        + "non-empty String name");
            }
            if (!(value instanceof Number number)) {
                throw new IllegalStateException(what + " returned log '" + name + "' = " + (value == null ? "null"
                        : value + " (" + value.getClass().getSimpleName() + ")") + "; each log needs a number");
            }
            copy.put(name, number.doubleValue());
        }
        return copy;
    }

    /**
     * One optimizer step; returns the batch's total loss (with regularization), then each output's
     * loss. A loss that is not finite because the batch's data is not is refused before the update.
     */
    private double[] step(List<Tensor> xb, List<Tensor> yb, Tensor wb, CallContext ctx, IntUnaryOperator sampleOf,
            String op) {
        List<Weight> weights = model.weights();
        for (Weight w : weights) {
            w.variable().zeroGrad();
        }
        Outputs predictions = model.call(constants(xb), ctx);
        Variable[] perOutput = new Variable[predictions.values().size()];
        Variable total = loss(yb, predictions, wb, perOutput, op, ctx);
        double[] values = values(total, perOutput);
        if (!Double.isFinite(values[0])) {
            NonFinite.check(model.name() + "." + op, xb, yb, wb, sampleOf, "the loss is not finite, so nothing "
                    + "was updated with this batch");
        }
        // metrics first: one that refuses the batch (a weighted metric of one's own without weights)
        // fails before anything is updated; the predictions are this forward's either way
        updateMetrics(yb, predictions, wb);
        if (total.requiresGrad()) {
            total.backward();
            model.compiled().optimizer().apply(weights);
        }
        return values;
    }

    /**
     * The compiled loss: Σ weight_i · loss_i(y_i, ŷ_i, sample weights, ŷ_i's mask) plus the
     * regularization and the losses the layers added in {@code ctx} (Keras's activity losses, which
     * Keras's compute_loss adds in training and evaluation alike); fills each output's loss.
     */
    Variable loss(List<Tensor> y, Outputs predictions, Tensor sampleWeight, Variable[] perOutput, String op,
            CallContext ctx) {
        Trainable.Compiled c = model.compiled();
        Variable total = null;
        for (int i = 0; c.hasLoss() && i < predictions.values().size(); i++) {
            if (!model.outputShapes().get(i).isKnown()) {
                // a size that was None is known now; the same for every batch of one dataset, so the
                // first batch fails before any update
                checks.checkLabels(op, i, y.get(i).shape(), predictions.values().get(i).shape());
            }
            perOutput[i] = c.losses().get(i).compute(Variable.constant(y.get(i)), predictions.values().get(i),
                    sampleWeight, predictions.masks().get(i));
            Variable weighted = c.lossWeights() == null ? perOutput[i]
                    : Ops.scale(perOutput[i], c.lossWeights().get(i).floatValue());
            total = total == null ? weighted : Ops.add(total, weighted);
        }
        for (Variable added : ctx.addedLosses()) {
            total = total == null ? added : Ops.add(total, added);
        }
        Variable penalty = model.regularization();
        if (penalty != null) {
            total = total == null ? penalty : Ops.add(total, penalty);
        }
        if (total == null) {  // Keras's compute_loss (TensorFlow backend) refuses it so, before any update
            throw new IllegalStateException(model.name() + "." + op + ": No loss to compute. Provide a loss in "
                    + "compile(): the model was compiled without one and none of its layers added one (add_loss, "
                    + "activity or weight regularizers)");
        }
        return total;
    }

    private static double[] values(Variable total, Variable[] perOutput) {
        double[] v = new double[perOutput.length + 1];
        v[0] = total.value().item();
        for (int i = 0; i < perOutput.length; i++) {
            v[i + 1] = perOutput[i] == null ? Double.NaN : perOutput[i].value().item();  // null: no compiled loss
        }
        return v;
    }

    Evaluation evaluate(List<Tensor> x, List<Tensor> y, Tensor sampleWeight, int batchSize) {
        return evaluate(x, y, sampleWeight, batchSize, null);
    }

    /** As {@link #evaluate(List, List, Tensor, int)}, calling {@code callbacks}' test hooks (fit's validation) unless null. */
    private Evaluation evaluate(List<Tensor> x, List<Tensor> y, Tensor sampleWeight, int batchSize,
            CallbackList callbacks) {
        checks.requireCompiled("evaluate");
        if (batchSize < 1) {
            throw new IllegalArgumentException(model.name() + ".evaluate: batch_size must be >= 1, got " + batchSize);
        }
        List<Shape> outputs = checks.checkData(x, y, "evaluate");
        checks.checkSampleWeights(sampleWeight, x.get(0).dim(0), outputs, "evaluate");
        model.checkBatches(x.get(0).dim(0), batchSize, "evaluate");
        int n = x.get(0).dim(0);
        Losses sums = new Losses(model.outputNames().size());
        CustomSteps custom = model.customSteps().testStep() != null ? model.customSteps() : null;
        if (custom != null) {
            custom.resetMetrics(this, model);
        } else {
            resetMetrics();
        }
        boolean hooks = callbacks != null && !callbacks.isEmpty();
        if (hooks) {
            callbacks.onTestBegin();
        }
        Map<String, Double> last = Map.of();
        try (var _ = Autograd.noGrad()) {
            for (int from = 0, step = 0; from < n; from += batchSize, step++) {
                int count = Math.min(batchSize, n - from);
                if (hooks) {
                    callbacks.onTestBatchBegin(step);
                }
                List<Tensor> xb = narrow(x, from, count);
                List<Tensor> yb = y == null ? null : narrow(y, from, count);
                Tensor wb = sampleWeight == null ? null : sampleWeight.narrow(from, count);
                CallContext ctx = CallContext.inference();
                if (custom != null) {
                    last = runStep(custom.testStep(), xb, yb, wb, ctx);
                } else {
                    Outputs predictions = model.call(constants(xb), ctx);
                    Variable[] perOutput = new Variable[predictions.values().size()];
                    sums.add(values(loss(yb, predictions, wb, perOutput, "evaluate", ctx), perOutput), count);
                    updateMetrics(yb, predictions, wb);
                    last = logs(sums);
                }
                if (hooks) {
                    callbacks.onTestBatchEnd(step, last);
                }
            }
        }
        Evaluation result = new Evaluation(custom != null ? custom.finalLogs(this, model, last) : last);
        if (hooks) {
            callbacks.onTestEnd(result.asMap());
        }
        return result;
    }

    /**
     * Running sums of the total loss, weighted by batch size (Keras's loss tracker takes
     * {@code tf.shape(x)[0]}), and of each output's loss, each batch counting once: Keras's CompileLoss
     * weighs its per-output trackers by the static {@code shape[0]}, which TensorFlow's traced step sees
     * as None (fit's batches may end with a partial one), so it gives them no weight.
     */
    private static final class Losses {
        final double[] sums;
        long seen;
        long batches;

        Losses(int outputs) {
            sums = new double[outputs + 1];
        }

        void add(double[] values, int count) {
            sums[0] += values[0] * count;
            for (int i = 1; i < sums.length; i++) {
                sums[i] += values[i];
            }
            seen += count;
            batches++;
        }

        double mean(int i) {
            return i == 0 ? sums[0] / seen : sums[i] / batches;
        }
    }

    /** The names each epoch's logs will have, before callbacks add theirs: those of {@link #logs}, then val_ ones. */
    private List<String> logNames(boolean validation, CustomSteps custom) {
        List<String> names = new ArrayList<>(custom != null ? custom.names(this, model) : logs(null).keySet());
        if (validation) {
            names.addAll(names.stream().map(n -> "val_" + n).toList());
        }
        return names;
    }

    /** The logs of the losses and metrics so far; with null losses only their names (values NaN, no metric read). */
    private Map<String, Double> logs(Losses losses) {
        // Keras 3's order: the loss, the compiled metrics, then each output's loss; a name met twice
        // gets _1, _2, ... (its CompileMetrics keeps names unique).
        boolean values = losses != null;
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", values ? asKerasLogs(losses.mean(0)) : Double.NaN);
        putMetricLogs(logs, values);
        List<String> names = model.outputNames();
        if (names.size() == 1 || !model.compiled().hasLoss()) {  // no per-output losses without compiled ones
            return logs;
        }
        for (int i = 0; i < names.size(); i++) {
            putUnique(logs, names.get(i) + "_loss", values ? losses.mean(i + 1) : Double.NaN);
        }
        return logs;
    }

    /** Adds the compiled metrics' results (NaN unless {@code values}) to {@code logs} under Keras's names. */
    void putMetricLogs(Map<String, Double> logs, boolean values) {
        List<String> names = model.outputNames();
        List<List<Metric>> metrics = model.compiled().metrics();
        List<List<Metric>> weighted = model.compiled().weightedMetrics();
        String[] prefix = new String[names.size()];
        for (int i = 0; i < prefix.length; i++) {
            prefix[i] = names.size() == 1 ? "" : names.get(i) + "_";
        }
        for (int i = 0; i < names.size(); i++) {
            for (Metric m : metrics.get(i)) {
                putUnique(logs, prefix[i] + m.name(), values ? m.result() : Double.NaN);
            }
        }
        // Keras's CompileMetrics.result: a weighted metric whose name is taken becomes weighted_<name>
        for (int i = 0; i < names.size(); i++) {
            for (Metric m : weighted.get(i)) {
                String plain = prefix[i] + m.name();
                putUnique(logs, logs.containsKey(plain) ? prefix[i] + "weighted_" + m.name() : plain,
                        values ? m.result() : Double.NaN);
            }
        }
    }

    static void putUnique(Map<String, Double> logs, String name, double value) {
        String key = name;
        for (int k = 1; logs.containsKey(key); k++) {
            key = name + "_" + k;
        }
        logs.put(key, asKerasLogs(value));
    }

    /**
     * A value as Keras logs it: its metrics and losses are float32 variables, read into the logs
     * as the float32 value (so an AUC accumulated here in double logs 1.0, never 1.0000000000000004).
     */
    private static double asKerasLogs(double value) {
        return (float) value;
    }

    /** Updates the metrics, and the weighted ones with the batch's sample weights (null: each weight 1). */
    void updateMetrics(List<Tensor> y, Outputs predictions, Tensor sampleWeight) {
        if (y == null) {  // no targets: checkData allowed it only without metrics
            return;
        }
        List<List<Metric>> metrics = model.compiled().metrics();
        List<List<Metric>> weighted = model.compiled().weightedMetrics();
        for (int i = 0; i < predictions.values().size(); i++) {
            Tensor p = predictions.values().get(i).value();
            Tensor mask = predictions.masks().get(i);
            for (Metric m : metrics.get(i)) {
                m.update(y.get(i), p, mask);
            }
            for (Metric m : weighted.get(i)) {
                m.update(y.get(i), p, mask, sampleWeight);
            }
        }
    }

    void resetMetrics() {
        for (List<Metric> ms : model.compiled().metrics()) {
            for (Metric m : ms) {
                m.reset();
            }
        }
        for (List<Metric> ms : model.compiled().weightedMetrics()) {
            for (Metric m : ms) {
                m.reset();
            }
        }
    }

    private static List<Variable> constants(List<Tensor> xs) {
        List<Variable> v = new ArrayList<>();
        for (Tensor t : xs) {
            v.add(Variable.constant(t));
        }
        return v;
    }

    private static List<Tensor> narrow(List<Tensor> data, int from, int count) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : data) {
            out.add(t.narrow(from, count));
        }
        return out;
    }

    private static List<Tensor> rows(List<Tensor> data, int[] order, int from, int count) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : data) {
            out.add(Batches.rows(t, order, from, count));
        }
        return out;
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
