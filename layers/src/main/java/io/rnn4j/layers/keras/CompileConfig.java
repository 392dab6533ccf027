package io.rnn4j.layers.keras;

import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.losses.Loss;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Metric;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.optimizers.Adadelta;
import io.rnn4j.layers.optimizers.Adafactor;
import io.rnn4j.layers.optimizers.Adagrad;
import io.rnn4j.layers.optimizers.Adam;
import io.rnn4j.layers.optimizers.AdamW;
import io.rnn4j.layers.optimizers.Adamax;
import io.rnn4j.layers.optimizers.Ftrl;
import io.rnn4j.layers.optimizers.Lion;
import io.rnn4j.layers.optimizers.Lamb;
import io.rnn4j.layers.optimizers.Nadam;
import io.rnn4j.layers.optimizers.Optimizer;
import io.rnn4j.layers.optimizers.Optimizers;
import io.rnn4j.layers.optimizers.RMSprop;
import io.rnn4j.layers.optimizers.SGD;
import io.rnn4j.layers.optimizers.schedules.CosineDecay;
import io.rnn4j.layers.optimizers.schedules.ExponentialDecay;
import io.rnn4j.layers.optimizers.schedules.LearningRateSchedule;
import io.rnn4j.layers.optimizers.schedules.PiecewiseConstantDecay;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.Set;

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

    /** The optimizer classes rnn4j has, as Keras names them. */
    private static final List<String> OPTIMIZER_CLASSES = List.of("Adam", "AdamW", "SGD", "RMSprop", "Adagrad",
            "Adamax", "Nadam", "Adadelta", "Lion", "Ftrl", "Lamb", "Adafactor");

    private static final Set<String> IGNORED_OPTIMIZER_KEYS = Set.of("name", "ema_momentum",
            "ema_overwrite_frequency", "is_legacy_optimizer", "jit_compile");

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
        Optimizer optimizer = optimizer(where, opt);
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

    private static Optimizer optimizer(String where, Object v) {
        if (v == null) {
            return new RMSprop();  // Keras's compile(optimizer="rmsprop") default
        }
        if (v instanceof String name) {
            try {
                return Optimizers.get(name);
            } catch (IllegalArgumentException e) {
                throw new KerasFileException(where + ": " + e.getMessage(), e);
            }
        }
        if (!(v instanceof Map<?, ?> m) || !(m.get("class_name") instanceof String named)
                || !(m.get("config") instanceof Map<?, ?> raw)) {
            throw new KerasFileException(where + ": optimizer must be a name or a serialized optimizer, got "
                    + Options.show(v));
        }
        // tf.keras 2.11-2.15 registered its optimizers as "Custom>Adam"; Keras 3's deserialize
        // lowercases the class name before looking it up, so "adamax" and "ADAMAX" are Adamax
        String bare = named.startsWith("Custom>") ? named.substring("Custom>".length()) : named;
        String cls = OPTIMIZER_CLASSES.stream().filter(bare::equalsIgnoreCase).findFirst().orElse(bare);
        Map<String, Object> c = new LinkedHashMap<>();
        raw.forEach((k, x) -> c.put(String.valueOf(k), x));
        Object lr = c.containsKey("learning_rate") ? c.remove("learning_rate") : c.remove("lr");
        LearningRateSchedule schedule = lr instanceof Map<?, ?> s ? schedule(where, s) : null;
        double rate = lr == null ? Double.NaN : lr instanceof Number x ? x.doubleValue() : Double.NaN;
        if (lr != null && schedule == null && !(lr instanceof Number)) {
            throw new KerasFileException(where + ": learning_rate must be a number or a schedule, got "
                    + Options.show(lr));
        }
        boolean fixed = schedule == null;
        Optimizer o = switch (cls) {
            case "Adam" -> fixed ? new Adam(rateOr(rate, 0.001)) : new Adam(schedule);
            case "AdamW" -> fixed ? new AdamW(rateOr(rate, 0.001)) : new AdamW(schedule);
            case "SGD" -> fixed ? new SGD(rateOr(rate, 0.01)) : new SGD(schedule);
            case "RMSprop" -> fixed ? new RMSprop(rateOr(rate, 0.001)) : new RMSprop(schedule);
            case "Adagrad" -> fixed ? new Adagrad(rateOr(rate, 0.001)) : new Adagrad(schedule);
            case "Adamax" -> fixed ? new Adamax(rateOr(rate, 0.001)) : new Adamax(schedule);
            case "Nadam" -> fixed ? new Nadam(rateOr(rate, 0.001)) : new Nadam(schedule);
            case "Adadelta" -> fixed ? new Adadelta(rateOr(rate, 0.001)) : new Adadelta(schedule);
            case "Lion" -> fixed ? new Lion(rateOr(rate, 0.001)) : new Lion(schedule);
            case "Ftrl" -> fixed ? new Ftrl(rateOr(rate, 0.001)) : new Ftrl(schedule);
            case "Lamb" -> fixed ? new Lamb(rateOr(rate, 0.001)) : new Lamb(schedule);
            case "Adafactor" -> fixed ? new Adafactor(rateOr(rate, 0.001)) : new Adafactor(schedule);
            default -> throw new KerasFileException(where + ": optimizer " + cls + " is not one rnn4j has (Adam, "
                    + "AdamW, SGD, RMSprop, Adagrad, Adamax, Nadam, Adadelta, Lion, Ftrl, Lamb, Adafactor)");
        };
        try {
            for (Map.Entry<String, Object> e : c.entrySet()) {
                option(where, cls, o, e.getKey(), e.getValue());
            }
        } catch (IllegalArgumentException e) {
            // an option value Keras would take but rnn4j refuses (beta_1 = 1.5): a file error naming it
            throw new KerasFileException(where + ": optimizer " + cls + " cannot be rebuilt: " + e.getMessage(), e);
        }
        return o;
    }

    private static double rateOr(double rate, double keras) {
        return Double.isNaN(rate) ? keras : rate;
    }

    /** One get_config entry applied to {@code o}; Keras's default values of options rnn4j lacks pass. */
    private static void option(String where, String cls, Optimizer o, String key, Object v) {
        if (IGNORED_OPTIMIZER_KEYS.contains(key)) {
            return;
        }
        double x = v instanceof Number n ? n.doubleValue() : Double.NaN;
        boolean isNull = v == null;
        switch (key) {
            case "weight_decay" -> {
                if (!isNull && !(o instanceof AdamW && x == 0.004)) {
                    o.weightDecay(x);
                } else if (isNull && o instanceof AdamW) {
                    throw unsupported(where, cls, key, v, "weight_decay as a number only");
                }
            }
            case "clipnorm" -> {
                if (!isNull) {
                    o.clipnorm(x);
                }
            }
            case "clipvalue" -> {
                if (!isNull) {
                    o.clipvalue(x);
                }
            }
            case "global_clipnorm" -> {
                if (!isNull) {
                    o.globalClipnorm(x);
                }
            }
            case "use_ema" -> require(where, cls, key, v, Boolean.FALSE);
            case "loss_scale_factor", "gradient_accumulation_steps" -> require(where, cls, key, v, null);
            case "decay", "schedule_decay" -> {
                if (o instanceof Nadam) {
                    // Keras 2's Nadam (tf_keras/optimizers/legacy/nadam.py; Keras 2.2's schedule_decay):
                    // u_t = beta_1 (1 - 0.5 * 0.96^(decay t)), where Keras 3's is 0.96^t, decay = 1
                    if (x != 1) {
                        throw unsupported(where, cls, key, v, key + "=1 only: Keras 2's Nadam reads it as its "
                                + "momentum schedule 0.96^(decay * t), 0.004 by default and frozen by 0; Keras 3's is "
                                + "0.96^t");
                    }
                } else if (key.equals("schedule_decay")) {
                    own(where, cls, o, key, v, x);
                } else if (x != 0) {  // Keras 2's time decay: only its default 0 computes Keras's numbers here
                    throw unsupported(where, cls, key, v, "decay=0 only");
                }
            }
            default -> own(where, cls, o, key, v, x);
        }
    }

    private static void own(String where, String cls, Optimizer o, String key, Object v, double x) {
        switch (o) {
            case Adam a when key.equals("beta_1") -> a.beta1(x);
            case Adam a when key.equals("beta_2") -> a.beta2(x);
            case Adam a when key.equals("epsilon") -> a.epsilon(x);
            case Adam a when key.equals("amsgrad") -> a.amsgrad(Boolean.TRUE.equals(v));
            case SGD s when key.equals("momentum") -> s.momentum(x);
            case SGD s when key.equals("nesterov") -> s.nesterov(Boolean.TRUE.equals(v));
            case RMSprop r when key.equals("rho") -> r.rho(x);
            case RMSprop r when key.equals("momentum") -> r.momentum(x);
            case RMSprop r when key.equals("epsilon") -> r.epsilon(x);
            case RMSprop r when key.equals("centered") -> r.centered(Boolean.TRUE.equals(v));
            case Adagrad g when key.equals("initial_accumulator_value") -> g.initialAccumulatorValue(x);
            case Adagrad g when key.equals("epsilon") -> g.epsilon(x);
            case Adamax a when key.equals("beta_1") -> a.beta1(x);
            case Adamax a when key.equals("beta_2") -> a.beta2(x);
            case Adamax a when key.equals("epsilon") -> a.epsilon(x);
            case Nadam n when key.equals("beta_1") -> n.beta1(x);
            case Nadam n when key.equals("beta_2") -> n.beta2(x);
            case Nadam n when key.equals("epsilon") -> n.epsilon(x);
            case Adadelta a when key.equals("rho") -> a.rho(x);
            case Adadelta a when key.equals("epsilon") -> a.epsilon(x);
            case Lion l when key.equals("beta_1") -> l.beta1(x);
            case Lion l when key.equals("beta_2") -> l.beta2(x);
            case Ftrl f when key.equals("learning_rate_power") -> f.learningRatePower(x);
            case Ftrl f when key.equals("initial_accumulator_value") -> f.initialAccumulatorValue(x);
            case Ftrl f when key.equals("l1_regularization_strength") -> f.l1RegularizationStrength(x);
            case Ftrl f when key.equals("l2_regularization_strength") -> f.l2RegularizationStrength(x);
            case Ftrl f when key.equals("l2_shrinkage_regularization_strength") ->
                f.l2ShrinkageRegularizationStrength(x);
            case Ftrl f when key.equals("beta") -> f.beta(x);
            case Lamb l when key.equals("beta_1") -> l.beta1(x);
            case Lamb l when key.equals("beta_2") -> l.beta2(x);
            case Lamb l when key.equals("epsilon") -> l.epsilon(x);
            case Adafactor a when key.equals("beta_2_decay") -> a.beta2Decay(x);
            case Adafactor a when key.equals("epsilon_1") -> a.epsilon1(x);
            case Adafactor a when key.equals("epsilon_2") -> a.epsilon2(x);
            case Adafactor a when key.equals("clip_threshold") -> a.clipThreshold(x);
            case Adafactor a when key.equals("relative_step") -> a.relativeStep(flag(where, cls, key, v));
            default -> throw new KerasFileException(where + ": optimizer " + cls + " option '" + key + "' ("
                    + Options.show(v) + ") is not one rnn4j has");
        }
    }

    /** A boolean option: true or false, as Keras writes it; anything else is refused rather than read as false. */
    private static boolean flag(String where, String cls, String key, Object v) {
        if (!(v instanceof Boolean b)) {
            throw new KerasFileException(where + ": optimizer " + cls + " option '" + key + "' must be true or false, "
                    + "got " + Options.show(v));
        }
        return b;
    }

    private static void require(String where, String cls, String key, Object v, Object allowed) {
        if (!Objects.equals(v, allowed)) {
            throw unsupported(where, cls, key, v, key + "=" + allowed + " only");
        }
    }

    /** The refusal of an option value: the optimizer, the option, what came and what rnn4j computes. */
    private static KerasFileException unsupported(String where, String cls, String key, Object v, String supported) {
        return new KerasFileException(where + ": optimizer " + cls + " with " + key + "=" + Options.show(v)
                + " is not supported (rnn4j computes " + supported + ")");
    }

    private static LearningRateSchedule schedule(String where, Map<?, ?> s) {
        if (!(s.get("class_name") instanceof String cls) || !(s.get("config") instanceof Map<?, ?> c)) {
            throw new KerasFileException(where + ": a learning-rate schedule must be serialized, got "
                    + Options.show(s));
        }
        try {
            return switch (cls) {
                case "ExponentialDecay" -> new ExponentialDecay(num(c, "initial_learning_rate"),
                        (long) num(c, "decay_steps"), num(c, "decay_rate"), Boolean.TRUE.equals(c.get("staircase")));
                case "CosineDecay" -> new CosineDecay(num(c, "initial_learning_rate"), (long) num(c, "decay_steps"),
                        c.get("alpha") instanceof Number a ? a.doubleValue() : 0.0,
                        c.get("warmup_target") instanceof Number t ? t.doubleValue() : null,
                        c.get("warmup_steps") instanceof Number w ? w.longValue() : 0);
                case "PiecewiseConstantDecay" -> new PiecewiseConstantDecay(
                        longs(numbers(c, "boundaries")), numbers(c, "values"));
                default -> throw new KerasFileException(where + ": learning-rate schedule " + cls
                        + " is not one rnn4j has (ExponentialDecay, CosineDecay, PiecewiseConstantDecay)");
            };
        } catch (KerasFileException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(where + ": learning-rate schedule " + cls + " " + Options.show(c)
                    + " cannot be rebuilt: " + e.getMessage(), e);
        }
    }

    private static double[] numbers(Map<?, ?> c, String key) {
        if (!(c.get(key) instanceof List<?> l)) {
            throw new IllegalArgumentException(key + " must be a list of numbers, got " + c.get(key));
        }
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Number n)) {
                throw new IllegalArgumentException(key + " must be a list of numbers, got " + l);
            }
            out[i] = n.doubleValue();
        }
        return out;
    }

    /** Step counts, written as JSON integers (exact in a double). */
    private static long[] longs(double[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (long) v[i];
        }
        return out;
    }

    private static double num(Map<?, ?> c, String key) {
        if (!(c.get(key) instanceof Number n)) {
            throw new IllegalArgumentException(key + " must be a number, got " + c.get(key));
        }
        return n.doubleValue();
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
            v = fn;
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
