package io.rnn4j.layers.keras;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads the optimizer of a saved model's training setup ({@link CompileConfig}): Keras 3's
 * {@code compile_config["optimizer"]} or Keras 2's {@code optimizer_config}, as Keras's
 * {@code optimizers.deserialize} rebuilds it, into rnn4j's optimizers and learning-rate schedules.
 */
final class OptimizerConfig {
    /** The optimizer classes rnn4j has, as Keras names them. */
    private static final List<String> OPTIMIZER_CLASSES = List.of("Adam", "AdamW", "SGD", "RMSprop", "Adagrad",
            "Adamax", "Nadam", "Adadelta", "Lion", "Ftrl", "Lamb", "Adafactor");

    private static final Set<String> IGNORED_OPTIMIZER_KEYS = Set.of("name", "ema_momentum",
            "ema_overwrite_frequency", "is_legacy_optimizer", "jit_compile");

    private OptimizerConfig() {
    }

    /**
     * The optimizer of a compile_config's "optimizer" (Keras 2's optimizer_config): Keras's class and
     * config, its learning-rate schedule included; RMSprop for none, as Keras's compile default.
     *
     * @throws KerasFileException naming an optimizer or option rnn4j does not have (use_ema, ...)
     */
    static Optimizer read(String where, Object v) {
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
}
