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
 * {@link #lossTracker() "loss" Mean} and the compiled metrics.
 */
public final class CustomSteps {
    private final Mean lossTracker = new Mean("loss");
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

    /** Keras's {@code reset_metrics()}: the declared metrics, or the loss tracker and the compiled metrics. */
    void resetMetrics(Training training) {
        if (metrics != null) {
            metrics.forEach(Metric::reset);
        } else {
            lossTracker.reset();
            training.resetMetrics();
        }
    }

    /** Keras's {@code get_metrics_result()}: each metric's name and result, as float32 values. */
    Map<String, Double> result(Training training) {
        Map<String, Double> logs = new LinkedHashMap<>();
        if (metrics != null) {
            for (Metric m : metrics) {
                logs.put(m.name(), (double) (float) m.result());
            }
            return logs;
        }
        logs.put("loss", (double) (float) lossTracker.result());
        training.putMetricLogs(logs, true);
        return logs;
    }

    /** The names {@link #result} will have, for the callbacks' parameters. */
    List<String> names(Training training) {
        if (metrics != null) {
            return metrics.stream().map(Metric::name).toList();
        }
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", Double.NaN);
        training.putMetricLogs(logs, false);
        return List.copyOf(logs.keySet());
    }

    /** Keras's {@code _get_metrics_result_or_logs}: the metrics' results when the step logged exactly their names. */
    Map<String, Double> finalLogs(Training training, Map<String, Double> last) {
        Map<String, Double> result = result(training);
        return last.keySet().equals(result.keySet()) ? result : last;
    }
}
