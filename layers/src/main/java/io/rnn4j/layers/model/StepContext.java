package io.rnn4j.layers.model;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Outputs;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.metrics.Mean;
import io.rnn4j.layers.metrics.Metric;
import io.rnn4j.layers.optimizers.Optimizer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a custom {@link ModelStep} reaches of its model through Keras's {@code self}: the forward
 * ({@code self(x, training=...)}), {@code self.compute_loss}, {@code self.optimizer} and
 * {@code self.metrics}. One context serves one batch.
 */
public final class StepContext {
    private final Training training;
    private final Trainable model;
    private final CustomSteps steps;
    private final CallContext callContext;
    /** The outputs this context's {@link #call} returned, with their Keras masks, for {@link #computeLoss}. */
    private final Map<Variable, Tensor> masks = new IdentityHashMap<>();
    /**
     * The losses the layers added in the latest {@link #call}, null before one: Keras's {@code self.losses}
     * holds only those, since each top-level {@code __call__} clears the layers' losses first.
     */
    private List<Variable> lastCallLosses;

    StepContext(Training training, Trainable model, CustomSteps steps, CallContext callContext) {
        this.training = training;
        this.model = model;
        this.steps = steps;
        this.callContext = callContext;
    }

    /**
     * The batch's call context: training (dropout on, with fit's random stream) in a train step,
     * inference in a test step. Pass it to other models a step calls (a GAN's generator), and read
     * the losses their layers add from it.
     */
    public CallContext callContext() {
        return callContext;
    }

    /** Whether this is a train step (Keras's {@code training=True}). */
    public boolean training() {
        return callContext.training();
    }

    /**
     * Keras's {@code self(x, training=...)} for a model of one input and one output: recorded, so
     * that {@code Gradients.of} reaches the weights.
     */
    public Variable call(Tensor x) {
        List<Variable> out = call(List.of(x));
        if (out.size() != 1) {
            throw new IllegalStateException(model.name() + ": call(x) takes a model of one output; this one has "
                    + out.size() + ", call it with call(List)");
        }
        return out.get(0);
    }

    /** Keras's {@code self(x, training=...)}: one prediction per model output. */
    public List<Variable> call(List<Tensor> x) {
        List<Variable> in = new ArrayList<>();
        for (Tensor t : x) {
            in.add(Variable.constant(t));
        }
        int before = callContext.addedLosses().size();
        Outputs out = model.call(in, callContext);
        lastCallLosses = List.copyOf(callContext.addedLosses().subList(before, callContext.addedLosses().size()));
        for (int i = 0; i < out.values().size(); i++) {
            masks.put(out.values().get(i), out.masks().get(i));
        }
        return out.values();
    }

    /**
     * Keras's {@code self.compute_loss(y=y, y_pred=y_pred, sample_weight=sw)}: the compiled loss (an
     * output of {@link #call} keeps its Keras mask), plus what the layers added in this context's latest
     * {@link #call} (as Keras's {@code self.losses}, which each call clears first: a step that calls the model
     * twice adds the second call's activity losses only; with no {@link #call}, all added to
     * {@link #callContext()}) and the weights' regularization penalties. For a model of several outputs
     * it also updates each output's loss tracker ({@code <output>_loss}: the unweighted loss, each batch
     * counting once, as Keras's CompileLoss does on the TensorFlow backend, whose traced batch size is
     * None), so that the default {@link #metricsResult()} logs it.
     *
     * @throws IllegalStateException when there is nothing to compute (no compiled loss, nothing added)
     */
    public Variable computeLoss(Tensor y, Variable yPred, Tensor sampleWeight) {
        return computeLoss(y == null ? null : List.of(y), List.of(yPred), sampleWeight);
    }

    /** {@link #computeLoss(Tensor, Variable, Tensor)} for a model of several outputs. */
    public Variable computeLoss(List<Tensor> y, List<Variable> yPred, Tensor sampleWeight) {
        List<Tensor> m = yPred.stream().map(masks::get).toList();
        Outputs predictions = new Outputs(yPred, m);
        Variable[] perOutput = new Variable[yPred.size()];
        CallContext added = lastCallLosses == null ? callContext
                : new CallContext(callContext.training(), callContext.random(), lastCallLosses);
        Variable total = training.loss(y, predictions, sampleWeight, perOutput, "computeLoss", added);
        List<Mean> trackers = steps.outputLossTrackers(model);
        for (int i = 0; i < trackers.size() && i < perOutput.length; i++) {
            if (perOutput[i] != null) {
                trackers.get(i).updateState(perOutput[i].value().item());
            }
        }
        return total;
    }

    /** Keras's {@code self.optimizer}: the compiled one. */
    public Optimizer optimizer() {
        return model.compiled().optimizer();
    }

    /**
     * Keras's {@code self.metrics}: the {@linkplain CustomSteps#metrics(Metric...) declared} trackers, or
     * the default ones (the loss tracker, the compiled metrics and weighted metrics, then each output's
     * loss tracker for a model of several outputs).
     */
    public List<Metric> metrics() {
        if (!steps.metrics().isEmpty()) {
            return steps.metrics();
        }
        List<Metric> all = new ArrayList<>();
        all.add(steps.lossTracker());
        model.compiled().metrics().forEach(all::addAll);
        model.compiled().weightedMetrics().forEach(all::addAll);
        all.addAll(steps.outputLossTrackers(model));
        return all;
    }

    /** {@link #updateMetrics(Variable, List, List, Tensor)} for one output. */
    public void updateMetrics(Variable loss, Tensor y, Variable yPred, Tensor sampleWeight) {
        updateMetrics(loss, y == null ? null : List.of(y), List.of(yPred), sampleWeight);
    }

    /**
     * The guide's loop over {@code self.metrics}: a {@link Mean} named "loss" takes the loss (each
     * batch counting once, as {@code metric.update_state(loss)}); the compiled metrics take the targets
     * and predictions (the weighted ones with the sample weights, as Keras's CompileMetrics); a declared
     * metric takes them with the sample weights, as {@code update_state(y, y_pred, sample_weight=sw)}.
     */
    public void updateMetrics(Variable loss, List<Tensor> y, List<Variable> yPred, Tensor sampleWeight) {
        if (steps.metrics().isEmpty()) {
            steps.lossTracker().updateState(loss.value().item());
            training.updateMetrics(y, new Outputs(yPred, yPred.stream().map(masks::get).toList()), sampleWeight);
            return;
        }
        for (Metric m : steps.metrics()) {
            if (m instanceof Mean mean) {
                if (m.name().equals("loss")) {
                    mean.updateState(loss.value().item());
                }
                continue;  // another Mean tracks what the step gives it by hand
            }
            if (y == null || y.size() != 1 || yPred.size() != 1) {
                throw new IllegalArgumentException(model.name() + ": updateMetrics updates declared metrics of one "
                        + "output with its targets; got " + (y == null ? "no targets" : y.size() + " targets")
                        + " and " + yPred.size() + " predictions");
            }
            m.update(y.get(0), yPred.get(0).value(), masks.get(yPred.get(0)), sampleWeight);
        }
    }

    /** {@link #computeMetrics(List, List, Tensor)} for one output. */
    public Map<String, Double> computeMetrics(Tensor y, Variable yPred, Tensor sampleWeight) {
        return computeMetrics(y == null ? null : List.of(y), List.of(yPred), sampleWeight);
    }

    /**
     * Keras's {@code self.compute_metrics(x, y, y_pred, sample_weight)}: updates the compiled metrics (the
     * weighted ones with the sample weights, an output's Keras mask kept) and returns
     * {@link #metricsResult()}. As in Keras it leaves the loss tracker alone: Keras's default train step
     * updates it first, as {@code model.customSteps().lossTracker().updateState(loss, batchSize)}.
     */
    public Map<String, Double> computeMetrics(List<Tensor> y, List<Variable> yPred, Tensor sampleWeight) {
        training.updateMetrics(y, new Outputs(yPred, yPred.stream().map(masks::get).toList()), sampleWeight);
        return metricsResult();
    }

    /** Keras's {@code {m.name: m.result() for m in self.metrics}}, the usual logs a step returns. */
    public Map<String, Double> metricsResult() {
        return steps.result(training, model);
    }
}
