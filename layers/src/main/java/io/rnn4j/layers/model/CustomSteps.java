package io.rnn4j.layers.model;

import io.rnn4j.layers.metrics.Mean;
import io.rnn4j.layers.metrics.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a Keras user overrides in a {@code keras.Model} subclass to customize {@code fit}: its
 * {@code train_step}, {@code test_step} and {@code metrics} property. Each model holds one
 * ({@code model.customSteps()}); set it before fit or evaluate:
 *
 * <pre>{@code
 * Mean lossTracker = new Mean("loss");
 * Metric mae = Metrics.meanAbsoluteError();
 * model.compile(Optimizers.adam());                      // compile(optimizer) only
 * model.customSteps().metrics(lossTracker, mae).trainStep((data, ctx) -> {
 *     Variable yPred = ctx.call(data.x());                // self(x, training=True)
 *     Variable loss = Losses.meanSquaredError().compute(Variable.constant(data.y()), yPred);
 *     ctx.optimizer().apply(Gradients.of(loss, model.trainableWeights()), model.trainableWeights());
 *     lossTracker.updateState(loss.value());
 *     mae.update(data.y(), yPred.value());
 *     return ctx.metricsResult();                         // {"loss": ..., "mae": ...}
 * });
 * }</pre>
 *
 * <p>As in Keras, fit resets the {@linkplain #metrics() metrics} at the start of each epoch and
 * evaluate at its start; an epoch's logs are the last batch's logs (the metrics' results when the
 * step returned exactly their names, as Keras's {@code _get_metrics_result_or_logs}); validation
 * runs the test step. Without declared metrics, the model's metrics are Keras's default ones: a
 * {@link #lossTracker() "loss" Mean}, the compiled metrics and, for a model of several outputs
 * compiled with a loss, each output's loss ({@code <output>_loss}), which
 * {@link StepContext#computeLoss} tracks as Keras's {@code compute_loss} does.
 */
public final class CustomSteps {
    private final Mean lossTracker = new Mean("loss");
    /** Keras's CompileLoss trackers, one per output name: each output's unweighted loss, for several outputs. */
    private final Map<String, Mean> outputLossTrackers = new LinkedHashMap<>();
    private ModelStep train;
    private ModelStep test;
    private List<Metric> metrics;

    CustomSteps() {
    }

    /** Keras's overridden {@code train_step}: run by fit (and trainOnBatch) per batch; null restores the default. */
    public CustomSteps trainStep(ModelStep step) {
        this.train = step;
        return this;
    }

    /** Keras's overridden {@code test_step}: run by evaluate and fit's validation; null restores the default. */
    public CustomSteps testStep(ModelStep step) {
        this.test = step;
        return this;
    }

    /**
     * Keras's overridden {@code metrics} property: the trackers a custom step updates, which fit resets
     * at each epoch's start and evaluate at its start, and whose results {@link StepContext#metricsResult()}
     * gives. None restores Keras's default (the loss tracker, then the compiled metrics).
     *
     * @throws IllegalArgumentException for two trackers of one name (their logs would collide)
     */
    public CustomSteps metrics(Metric... trackers) {
        List<Metric> list = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (Metric m : trackers) {
            Objects.requireNonNull(m, "metric");
            if (!names.add(m.name())) {
                throw new IllegalArgumentException("customSteps().metrics: two metrics are named '" + m.name()
                        + "'; each needs its own name in the logs");
            }
            list.add(m);
        }
        this.metrics = list.isEmpty() ? null : List.copyOf(list);
        return this;
    }

    /** The custom train step, or null (fit runs the compiled loss and optimizer). */
    public ModelStep trainStep() {
        return train;
    }

    /** The custom test step, or null (evaluate computes the compiled loss and metrics). */
    public ModelStep testStep() {
        return test;
    }

    /** The declared metrics, or an empty list when the default ones are used. */
    public List<Metric> metrics() {
        return metrics == null ? List.of() : metrics;
    }

    /**
     * Keras's {@code model._loss_tracker}: the "loss" Mean among the default metrics, which
     * {@link StepContext#updateMetrics} updates with each batch's loss (each batch counting once).
     */
    public Mean lossTracker() {
        return lossTracker;
    }

    /**
     * Keras's {@code compile_loss.metrics}: a Mean per output, named {@code <output>_loss}, when the model
     * has several outputs and a compiled loss (Keras's CompileLoss tracks none for one output); else empty.
     */
    List<Mean> outputLossTrackers(Trainable model) {
        List<String> names = model.outputNames();
        if (names.size() < 2 || !model.compiled().hasLoss()) {
            return List.of();
        }
        List<Mean> out = new ArrayList<>();
        for (String n : names) {
            out.add(outputLossTrackers.computeIfAbsent(n, k -> new Mean(k + "_loss")));
        }
        return out;
    }

    /** Keras's {@code reset_metrics()}: the declared metrics, or the default ones. */
    void resetMetrics(Training training, Trainable model) {
        if (metrics != null) {
            metrics.forEach(Metric::reset);
        } else {
            lossTracker.reset();
            training.resetMetrics();
            outputLossTrackers(model).forEach(Mean::reset);
        }
    }

    /** Keras's {@code get_metrics_result()}: each metric's name and result, as float32 values. */
    Map<String, Double> result(Training training, Trainable model) {
        Map<String, Double> logs = new LinkedHashMap<>();
        if (metrics != null) {
            for (Metric m : metrics) {
                logs.put(m.name(), (double) (float) m.result());
            }
            return logs;
        }
        logs.put("loss", (double) (float) lossTracker.result());
        training.putMetricLogs(logs, true);
        for (Mean m : outputLossTrackers(model)) {  // Keras's order: after the compiled metrics
            Training.putUnique(logs, m.name(), m.result());
        }
        return logs;
    }

    /** The names {@link #result} will have, for the callbacks' parameters. */
    List<String> names(Training training, Trainable model) {
        if (metrics != null) {
            return metrics.stream().map(Metric::name).toList();
        }
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", Double.NaN);
        training.putMetricLogs(logs, false);
        for (Mean m : outputLossTrackers(model)) {
            Training.putUnique(logs, m.name(), Double.NaN);
        }
        return List.copyOf(logs.keySet());
    }

    /** Keras's {@code _get_metrics_result_or_logs}: the metrics' results when the step logged exactly their names. */
    Map<String, Double> finalLogs(Training training, Trainable model, Map<String, Double> last) {
        Map<String, Double> result = result(training, model);
        return last.keySet().equals(result.keySet()) ? result : last;
    }
}
