package io.rnn4j.layers.model;

import io.rnn4j.layers.losses.Loss;
import io.rnn4j.layers.metrics.Metric;
import io.rnn4j.layers.optimizers.Optimizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A functional {@link Model}'s compile arguments checked against its outputs and made into its
 * compile setup: one loss, loss weight, metric list and weighted-metric list per output (null
 * lists: none), each refusal naming the model and its outputs.
 */
final class ModelCompile {
    private ModelCompile() {
    }

    /**
     * The per-output metrics of {@code compile(optimizer, loss, metrics...)}: all of them on the first
     * output; refused for a model of several outputs (metrics keep state: each output needs its own).
     */
    static List<List<Metric>> firstOutputMetrics(String model, List<String> outputNames, Metric... metrics) {
        int n = outputNames.size();
        if (metrics.length > 0 && n > 1) {
            throw new IllegalArgumentException(model + ": the model has " + n + " outputs " + outputNames
                    + "; give each output its own metrics with compile(optimizer, losses, metrics)");
        }
        List<List<Metric>> ms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ms.add(i == 0 ? List.of(metrics) : List.of());
        }
        return ms;
    }

    /** The compile setup of {@link Model#compile(Optimizer, List, List, List, List)}, its arguments checked. */
    static Trainable.Compiled setup(String model, List<String> outputNames, Optimizer optimizer, List<Loss> losses,
            List<Double> lossWeights, List<List<Metric>> metrics, List<List<Metric>> weightedMetrics) {
        Objects.requireNonNull(optimizer, "optimizer");
        int n = outputNames.size();
        if (losses != null) {
            checkCount(model, outputNames, "losses", losses);
            if (losses.stream().anyMatch(Objects::isNull)) {  // Keras 3 lets that output go without (CompileLoss)
                throw new IllegalArgumentException(model + ".compile: a loss of null for some outputs (Keras's "
                        + "loss=[..., None]) is not supported: give every output a loss, or none at all (a null "
                        + "list, Keras's loss=None); got " + losses);
            }
        }
        if (lossWeights != null) {
            checkCount(model, outputNames, "loss_weights", lossWeights);
        }
        List<List<Metric>> ms = metrics == null ? Collections.nCopies(n, List.of()) : metrics;
        checkCount(model, outputNames, "metrics", ms);
        List<List<Metric>> ws = weightedMetrics == null ? Collections.nCopies(n, List.of()) : weightedMetrics;
        checkCount(model, outputNames, "weighted_metrics", ws);
        return new Trainable.Compiled(optimizer, losses == null ? List.of() : losses, lossWeights, ms, ws);
    }

    private static void checkCount(String model, List<String> outputNames, String what, List<?> list) {
        int n = outputNames.size();
        if (list == null || list.size() != n) {
            throw new IllegalArgumentException(model + ".compile: expected " + what + " for each of the " + n
                    + " outputs " + outputNames + ", got " + (list == null ? "null" : list.size()));
        }
    }
}
