package io.rnn4j.layers.keras;

import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.losses.Loss;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Metric;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.optimizers.Optimizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Keras's training setup in a saved model: Keras 3's {@code compile_config} (optimizer, loss,
 * loss_weights, metrics) and Keras 2's {@code training_config} ({@code optimizer_config}), written
 * for a compiled model as Keras 3's {@code model.get_compile_config()} does, and read back into
 * rnn4j's optimizers, losses and metrics as Keras's {@code compile_from_config} does.
 */
final class CompileConfig {
    /** What a config compiles a model with; lossWeights null for none. */
    record Setup(Optimizer optimizer, List<Loss> losses, List<Double> lossWeights, List<List<Metric>> metrics,
            List<List<Metric>> weightedMetrics) {
    }


    /** Keras's short metric names and the functions they alias, as Metrics.get logs either under the name given. */
    private static final Map<String, String> SHORT_ALIASES = Map.of("mae", "mean_absolute_error", "mse",
            "mean_squared_error");

    private CompileConfig() {
    }

    // ---- writing ----

    /**
     * Keras 3's compile_config of a model compiled with {@code setup}, or empty when Keras could not
     * rebuild a part of it (a schedule or loss of one's own), named in {@code missing}.
     */
    static Optional<Map<String, Object>> of(Setup setup, boolean singleOutput, List<String> missing) {
        Optional<KerasConfig> opt = setup.optimizer().kerasConfig();
        if (opt.isEmpty()) {
            missing.add("the optimizer's learning-rate schedule");
        }
        List<Object> losses = new ArrayList<>();
        for (Loss l : setup.losses()) {
            Optional<KerasConfig> k = l.kerasConfig();
            if (k.isEmpty()) {
                missing.add("loss " + l.name());
            }
            losses.add(k.map(x -> object("keras.losses", x)).orElse(null));
        }
        if (!missing.isEmpty()) {
            return Optional.empty();
        }
        List<Object> metrics = metricNames(setup.metrics());
        List<Object> weighted = metricNames(setup.weightedMetrics());
        boolean anyWeighted = setup.weightedMetrics().stream().anyMatch(l -> !l.isEmpty());
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("optimizer", object("keras.optimizers", opt.get()));
        c.put("loss", losses.isEmpty() ? null : singleOutput ? losses.get(0) : losses);  // none: Keras's loss=None
        c.put("loss_weights", setup.lossWeights() == null ? null : new ArrayList<Object>(setup.lossWeights()));
        c.put("metrics", singleOutput ? metrics.get(0) : metrics);
        c.put("weighted_metrics", !anyWeighted ? null : singleOutput ? weighted.get(0) : weighted);
        c.put("run_eagerly", false);
        c.put("steps_per_execution", 1);
        c.put("jit_compile", false);
        return Optional.of(c);
    }

    /** Each output's metrics as compile_config lists them: names, or objects where a name is not enough. */
    private static List<Object> metricNames(List<List<Metric>> perOutput) {
        List<Object> out = new ArrayList<>();
        for (List<Metric> ms : perOutput) {
            List<Object> one = new ArrayList<>();
            for (Metric m : ms) {
                one.add(m.kerasConfig().<Object>map(x -> object("keras.metrics", x)).orElse(m.name()));
            }
            out.add(one);
        }
        return out;
    }

    /** A Keras object in Keras 3's form, its nested objects (an optimizer's schedule) too. */
    private static Map<String, Object> object(String module, KerasConfig k) {
        Map<String, Object> config = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : k.config().entrySet()) {
            config.put(e.getKey(), e.getValue() instanceof KerasConfig nested
                    ? object("keras.optimizers.schedules", nested) : e.getValue());
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("module", module);
        o.put("class_name", k.className());
        o.put("config", config);
        o.put("registered_name", null);
        return o;
    }

    // ---- reading ----

    /**
     * The optimizer, losses, loss weights and metrics a compile_config (or Keras 2
     * training_config) gives a model of outputs named {@code outputNames}.
     *
     * @throws KerasFileException naming what rnn4j cannot rebuild (a loss of one's own, an option
     *                            such as use_ema) or what does not fit the model
     */
    static Setup read(String where, Map<String, Object> config, List<String> outputNames) {
        boolean keras2 = config.containsKey("optimizer_config");
        Object opt = keras2 ? config.get("optimizer_config") : config.get("optimizer");
        Optimizer optimizer = OptimizerConfig.read(where, opt);
        List<Loss> losses = new ArrayList<>();  // stays empty for loss null: Keras's compile(optimizer)
        for (Object l : config.get("loss") == null ? List.of() : perOutput(where, "loss", config.get("loss"),
                outputNames, false)) {
            if (l == null) {  // Keras 3 trains such an output on no loss (compile_utils CompileLoss)
                throw new KerasFileException(where + ": compile_config's loss " + Options.show(config.get("loss"))
                        + " gives some outputs None; rnn4j compiles a loss for every output or none (loss null)");
            }
            losses.add(loss(where, l));
        }
        List<Double> weights = null;
        Object lw = config.get("loss_weights");
        if (lw != null) {
            weights = new ArrayList<>();
            for (Object w : perOutput(where, "loss_weights", lw, outputNames, false)) {
                if (!(w instanceof Number x)) {
                    throw new KerasFileException(where + ": loss_weights must be numbers, got " + Options.show(lw));
                }
                weights.add(x.doubleValue());
            }
        }
        List<List<Metric>> metrics = metrics(where, config.get("metrics"), outputNames, keras2);
        List<List<Metric>> weightedMetrics = metrics(where, config.get("weighted_metrics"), outputNames, keras2);
        return new Setup(optimizer, losses, weights, metrics, weightedMetrics);
    }

    /** Each output's metrics from compile_config's metrics or weighted_metrics entry (null: none). */
    private static List<List<Metric>> metrics(String where, Object m, List<String> outputNames, boolean keras2) {
        int n = outputNames.size();
        List<List<Metric>> metrics = new ArrayList<>();
        List<?> each;
        if (m == null) {
            each = Collections.nCopies(n, List.of());
        } else if (n == 1) {
            each = List.of(flat(m));  // Keras flattens one output's metrics (tf.keras 2 nests them)
        } else if (keras2 && m instanceof List<?> l && l.stream().noneMatch(x -> x instanceof List<?>)) {
            each = Collections.nCopies(n, l);  // Keras 2: a flat list is every output's
        } else {
            each = perOutput(where, "metrics", m, outputNames, true);
        }
        for (Object ms : each) {
            List<Metric> one = new ArrayList<>();
            for (Object x : flat(ms)) {
                one.add(metric(where, x));
            }
            metrics.add(one);
        }
        return metrics;
    }

    /** The non-null leaves of nested lists (Keras's tree.flatten), a single value as a list of one. */
    private static List<Object> flat(Object v) {
        List<Object> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object x : l) {
                out.addAll(flat(x));
            }
        } else if (v != null) {
            out.add(v);
        }
        return out;
    }

    /**
     * One entry per output from a value for all (a single output's, or one loss for every output),
     * a list in output order, or a dict by output name. For metrics a flat list is one output's.
     */
    private static List<?> perOutput(String where, String key, Object v, List<String> outputNames, boolean listIsOne) {
        int n = outputNames.size();
        if (v instanceof Map<?, ?> m && !m.containsKey("class_name")) {
            List<Object> out = new ArrayList<>();
            for (String name : outputNames) {
                out.add(m.get(name));
            }
            for (Object k : m.keySet()) {
                if (!outputNames.contains(String.valueOf(k))) {
                    throw new KerasFileException(where + ": " + key + " names output '" + k + "', not one of "
                            + outputNames);
                }
            }
            return out;
        }
        if (v instanceof List<?> l && (!listIsOne || n > 1)) {
            if (l.size() != n) {
                throw new KerasFileException(where + ": " + key + " holds " + l.size() + " entries for " + n
                        + " outputs " + outputNames);
            }
            return l;
        }
        return Collections.nCopies(n, v);
    }

    /**
     * A Keras function given as an object ({@code compile(loss=keras.losses.binary_crossentropy)}): its name, or
     * null. Keras 3.15.1 writes module "builtins" and registered_name "function", and looks the name up in its
     * built-in modules, refusing another registered_name; earlier Keras 3 wrote the public module (keras.losses).
     */
    private static String function(Object v, String module) {
        if (!(v instanceof Map<?, ?> m && "function".equals(m.get("class_name")) && m.get("config") instanceof String f)) {
            return null;
        }
        Object r = m.get("registered_name");
        boolean builtIn = "builtins".equals(m.get("module")) && (r == null || "".equals(r) || f.equals(r)
                || "function".equals(r));
        return module.equals(m.get("module")) || builtIn ? f : null;
    }

    private static KerasFileException customFunction(String where, Object name, Exception cause) {
        return new KerasFileException(where + ": loss function " + Options.show(name) + " is not one rnn4j has "
                + "(custom losses cannot be supplied; load with compile=false and compile in Java)", cause);
    }

    private static Loss loss(String where, Object v) {
        String function = function(v, "keras.losses");
        if (function != null) {
            try {
                return Losses.get(function);
            } catch (IllegalArgumentException e) {
                // Keras <= 3.6 saved a user's own function so too (module "builtins", by name alone)
                throw customFunction(where, function, e);
            }
        }
        if (v instanceof String name) {
            try {
                return Losses.get(name);
            } catch (IllegalArgumentException e) {
                throw new KerasFileException(where + ": " + e.getMessage(), e);
            }
        }
        if (!(v instanceof Map<?, ?> m) || !(m.get("class_name") instanceof String cls)) {
            throw new KerasFileException(where + ": loss must be a name or a serialized loss, got " + Options.show(v));
        }
        if (cls.equals("function")) { // a user's own loss function, by name: rnn4j has no way to supply one
            throw customFunction(where, m.get("config"), null);
        }
        Map<?, ?> c = m.get("config") instanceof Map<?, ?> x ? x : Map.of();
        Object reduction = c.get("reduction");
        if (reduction != null && !List.of("sum_over_batch_size", "auto").contains(reduction)) {
            throw new KerasFileException(where + ": loss " + cls + " with reduction '" + reduction + "' is not "
                    + "supported (rnn4j reduces as sum_over_batch_size)");
        }
        if (NewerLosses.handles(cls)) {
            return NewerLosses.read(where, cls, c);
        }
        boolean logits = Boolean.TRUE.equals(c.get("from_logits"));
        Object smoothing = c.get("label_smoothing");
        double ls = smoothing instanceof Number s ? s.doubleValue() : 0.0;
        if (ls != 0 && !cls.equals("BinaryCrossentropy") && !cls.equals("CategoricalCrossentropy")) {
            throw new KerasFileException(where + ": loss " + cls + " with label_smoothing " + ls + " is not supported");
        }
        if (c.get("ignore_class") != null || c.get("axis") instanceof Number a && a.intValue() != -1) {
            throw new KerasFileException(where + ": loss " + cls + " " + Options.show(c) + " is not supported "
                    + "(only axis -1, no ignore_class)");
        }
        return switch (cls) {
            case "MeanSquaredError" -> Losses.meanSquaredError();
            case "MeanAbsoluteError" -> Losses.meanAbsoluteError();
            case "Huber" -> Losses.huber(c.get("delta") instanceof Number d ? d.doubleValue() : 1.0);
            case "BinaryCrossentropy" -> smoothed(where, cls, () -> Losses.binaryCrossentropy(logits, ls));
            case "CategoricalCrossentropy" -> smoothed(where, cls, () -> Losses.categoricalCrossentropy(logits, ls));
            case "SparseCategoricalCrossentropy" -> Losses.sparseCategoricalCrossentropy(logits);
            case "MeanAbsolutePercentageError" -> Losses.meanAbsolutePercentageError();
            case "MeanSquaredLogarithmicError" -> Losses.meanSquaredLogarithmicError();
            case "LogCosh" -> Losses.logCosh();
            case "KLDivergence" -> Losses.klDivergence();
            case "Poisson" -> Losses.poisson();
            case "CosineSimilarity" -> Losses.cosineSimilarity();
            case "Hinge" -> Losses.hinge();
            case "SquaredHinge" -> Losses.squaredHinge();
            case "CategoricalHinge" -> Losses.categoricalHinge();
            default -> throw new KerasFileException(where + ": loss " + cls + " is not one rnn4j has");
        };
    }

    /** A crossentropy whose label_smoothing Keras would take but rnn4j refuses (outside [0, 1]), as a file error. */
    private static Loss smoothed(String where, String cls, Supplier<Loss> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(where + ": loss " + cls + " cannot be rebuilt: " + e.getMessage(), e);
        }
    }

    /** The confusion, F-score and loss-function metrics, by name or config; empty for the others. */
    private static Optional<Metric> newerMetric(String where, Supplier<Optional<Metric>> find) {
        try {
            return find.get();
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(where + ": " + e.getMessage(), e);
        }
    }

    private static Metric metric(String where, Object v) {
        String function = function(v, "keras.metrics");
        if (function == null) {
            function = function(v, "keras.losses");  // a loss function given as a metric
        }
        if (function != null) {
            v = function;
        }
        if (v instanceof Map<?, ?> w && "MeanMetricWrapper".equals(w.get("class_name"))
                && w.get("config") instanceof Map<?, ?> c && c.get("fn") instanceof String fn) {
            if (c.get("name") instanceof String name) {  // tf.keras 2 wraps a metric function so, named
                Optional<Metric> named = newerMetric(where, () -> Metrics.fromKerasWrapper(fn, name));
                if (named.isPresent()) {
                    return named.get();
                }
            }
            // logged under the wrapper's name where that is the function's short alias ("mae" for mean_absolute_error)
            v = c.get("name") instanceof String name && fn.equals(SHORT_ALIASES.get(name)) ? name : fn;
        }
        if (v instanceof String name) {
            try {
                return Metrics.get(name);
            } catch (IllegalArgumentException e) {
                throw new KerasFileException(where + ": " + e.getMessage(), e);
            }
        }
        if (!(v instanceof Map<?, ?> m) || !(m.get("class_name") instanceof String cls)) {
            throw new KerasFileException(where + ": metric must be a name or a serialized metric, got "
                    + Options.show(v));
        }
        if (cls.equals("function")) { // a user's own metric function, by name
            throw new KerasFileException(where + ": metric function " + Options.show(m.get("config")) + " is not one "
                    + "rnn4j has (custom metrics cannot be supplied; load with compile=false and compile in Java)");
        }
        Map<?, ?> c = m.get("config") instanceof Map<?, ?> x ? x : Map.of();
        Optional<Metric> newer = newerMetric(where, () -> Metrics.fromKerasConfig(cls, c));
        if (newer.isPresent()) {
            return newer.get();
        }
        int k = c.get("k") instanceof Number n ? n.intValue() : 5;
        if (c.get("threshold") instanceof Number t && t.doubleValue() != 0.5) {
            throw new KerasFileException(where + ": metric " + cls + " with threshold " + t + " is not supported");
        }
        return switch (cls) {
            case "MeanAbsoluteError" -> Metrics.meanAbsoluteError();
            case "MeanSquaredError" -> Metrics.meanSquaredError();
            case "RootMeanSquaredError" -> Metrics.rootMeanSquaredError();
            case "BinaryAccuracy" -> Metrics.binaryAccuracy();
            case "CategoricalAccuracy" -> Metrics.categoricalAccuracy();
            case "SparseCategoricalAccuracy" -> Metrics.sparseCategoricalAccuracy();
            case "TopKCategoricalAccuracy" -> Metrics.topKCategoricalAccuracy(k);
            case "SparseTopKCategoricalAccuracy" -> Metrics.sparseTopKCategoricalAccuracy(k);
            default -> throw new KerasFileException(where + ": metric " + cls + " is not one rnn4j has");
        };
    }
}
