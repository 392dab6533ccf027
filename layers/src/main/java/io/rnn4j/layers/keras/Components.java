package io.rnn4j.layers.keras;

import io.rnn4j.layers.Activation;
import io.rnn4j.layers.constraints.Constraint;
import io.rnn4j.layers.constraints.Constraints;
import io.rnn4j.layers.initializers.Initializer;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.regularizers.Regularizer;
import io.rnn4j.layers.regularizers.Regularizers;
import java.util.Locale;
import java.util.Map;

/**
 * The parts of a layer config that are themselves Keras objects — activations, initializers,
 * regularizers, constraints — each read from its Keras 2 ({@code {"class_name", "config"}}) or
 * Keras 3 ({@code {"module", "class_name", "config", "registered_name"}} or a plain name) form.
 * Anything without an exact counterpart here is refused, naming the layer and the option.
 */
final class Components {
    private Components() {
    }

    /**
     * The activation a config names; "hard_sigmoid" is Keras 2's {@code clip(0.2x + 0.5)} in files
     * that Keras 2 wrote and Keras 3's {@code relu6(x + 3) / 6} in the others.
     */
    static Activation activation(Options o, String key, boolean keras2) {
        Object v = o.raw(key);
        if (v instanceof Map<?, ?> m) {
            v = builtInActivationName(o, key, m);
        }
        if (v != null && !(v instanceof String)) {
            throw o.error(key, "an activation name", v);
        }
        Activation a;
        try {
            a = Activation.of((String) v);
        } catch (IllegalArgumentException e) {
            throw new KerasFileException("unsupported option " + key + "='" + v + "' in " + o.where() + ": "
                    + e.getMessage(), e);
        }
        return a == Activation.HARD_SIGMOID && keras2 ? Activation.HARD_SIGMOID_KERAS2 : a;
    }

    /**
     * The name of a built-in activation in the dict forms Keras 3's deserialize_keras_object resolves
     * to one (saving/serialization_lib.py): the function as serialize_keras_object writes it,
     * {@code {"module": "builtins", "class_name": "function", "config": "gelu", "registered_name":
     * "function"}}, or under {@code "module": "keras.activations"} with {@code "class_name": "function"}
     * and the name as config, or the name as class_name (its config, null or a dict, unused). Keras
     * looks these up as functions of keras.activations, so the aliases swish and hard_swish are not
     * found there, and a registered_name other than the name or "function" is a custom object.
     */
    private static String builtInActivationName(Options o, String key, Map<?, ?> m) {
        Object module = m.get("module");
        Object className = m.get("class_name");
        boolean function = "function".equals(className);
        Object name = function ? m.get("config") : className;
        Object registered = m.get("registered_name");
        boolean builtIn = "keras.activations".equals(module) || function && "builtins".equals(module);
        boolean notCustom = registered == null || "".equals(registered) || registered.equals(name)
                || registered.equals(className);
        boolean config = function || m.containsKey("config") && (m.get("config") == null
                || m.get("config") instanceof Map);
        boolean alias = "swish".equals(name) || "hard_swish".equals(name);
        if (builtIn && notCustom && config && !alias && name instanceof String s) {
            return s;
        }
        throw new KerasFileException("unsupported option " + key + "=" + Options.show(m) + " in " + o.where()
                + ": rnn4j reads Keras's built-in activations, by name or as {\"module\": \"builtins\" or "
                + "\"keras.activations\", \"class_name\": \"function\", \"config\": name} or {\"module\": "
                + "\"keras.activations\", \"class_name\": name, \"config\": null}; not custom ones");
    }

    /** The initializer of option {@code key}, or null when the config leaves it out (the layer's default). */
    static Initializer initializer(Options o, String key) {
        Object v = o.raw(key);
        if (v == null) {
            return null;
        }
        Named n = named(o, key, v);
        Options c = new Options(o.layer(), o.className() + " " + key + " " + n.className, n.config);
        c.ignore("seed", "dtype");
        // Keras 3.15's VarianceScaling family writes input_axes/output_axes (null: the fans Keras
        // computed before, from the kernel's last two axes), random_initializers.py get_config.
        c.requireNull("input_axes");
        c.requireNull("output_axes");
        Initializer init = switch (n.className) {
            case "Zeros", "zeros" -> Initializers.zeros();
            case "Ones", "ones" -> Initializers.ones();
            case "Constant", "constant" -> Initializers.constant(c.number("value", 0.0));
            case "RandomUniform", "random_uniform", "uniform" ->
                    Initializers.randomUniform(c.number("minval", -0.05), c.number("maxval", 0.05));
            case "RandomNormal", "random_normal", "normal" ->
                    Initializers.randomNormal(c.number("mean", 0.0), c.number("stddev", 0.05));
            case "TruncatedNormal", "truncated_normal" ->
                    Initializers.truncatedNormal(c.number("mean", 0.0), c.number("stddev", 0.05));
            case "GlorotUniform", "glorot_uniform" -> Initializers.glorotUniform();
            case "GlorotNormal", "glorot_normal" -> Initializers.glorotNormal();
            case "HeUniform", "he_uniform" -> Initializers.heUniform();
            case "HeNormal", "he_normal" -> Initializers.heNormal();
            case "LecunUniform", "lecun_uniform" -> Initializers.lecunUniform();
            case "LecunNormal", "lecun_normal" -> Initializers.lecunNormal();
            case "Orthogonal", "OrthogonalInitializer", "orthogonal" -> Initializers.orthogonal(c.number("gain", 1.0));
            case "VarianceScaling", "variance_scaling" -> varianceScaling(c, o, key);
            default -> throw new KerasFileException("unsupported initializer '" + n.className + "' for option " + key
                    + " in " + o.where());
        };
        c.requireAllRead();
        return init;
    }

    /**
     * Keras's VarianceScaling; the six settings that have names (glorot, he, lecun × uniform,
     * truncated normal) come back as those, so that a saved copy names them as Keras does.
     */
    private static Initializer varianceScaling(Options c, Options o, String key) {
        double scale = c.number("scale", 1.0);
        String mode = c.string("mode", "fan_in");
        String dist = c.string("distribution", "truncated_normal");
        // Keras 2 wrote "normal" for what is a truncated normal (tf.keras maps it so).
        if (dist.equals("normal")) {
            dist = "truncated_normal";
        }
        boolean uniform = dist.equals("uniform");
        boolean normal = dist.equals("truncated_normal");
        if (scale == 1.0 && mode.equals("fan_avg")) {
            if (uniform) {
                return Initializers.glorotUniform();
            }
            if (normal) {
                return Initializers.glorotNormal();
            }
        } else if (scale == 2.0 && mode.equals("fan_in")) {
            if (uniform) {
                return Initializers.heUniform();
            }
            if (normal) {
                return Initializers.heNormal();
            }
        } else if (scale == 1.0 && mode.equals("fan_in")) {
            if (uniform) {
                return Initializers.lecunUniform();
            }
            if (normal) {
                return Initializers.lecunNormal();
            }
        }
        try {
            return Initializers.varianceScaling(scale, mode, dist);
        } catch (IllegalArgumentException e) {
            throw new KerasFileException("unsupported initializer VarianceScaling(scale=" + scale + ", mode=" + mode
                    + ", distribution=" + dist + ") for option " + key + " in " + o.where() + ": " + e.getMessage(), e);
        }
    }

    /** The regularizer of option {@code key}, or null. */
    static Regularizer regularizer(Options o, String key) {
        Object v = o.raw(key);
        if (v == null) {
            return null;
        }
        Named n = named(o, key, v);
        Options c = new Options(o.layer(), o.className() + " " + key + " " + n.className, n.config);
        Regularizer r = switch (n.className) {
            case "L1L2", "l1_l2" -> Regularizers.l1l2(c.number("l1", 0.0), c.number("l2", 0.0));
            case "L1", "l1" -> Regularizers.l1(c.number("l1", 0.01));
            case "L2", "l2" -> Regularizers.l2(c.number("l2", 0.01));
            default -> throw new KerasFileException("unsupported regularizer '" + n.className + "' for option " + key
                    + " in " + o.where());
        };
        c.requireAllRead();
        return r;
    }

    /** The constraint of option {@code key}, or null. */
    static Constraint constraint(Options o, String key) {
        Object v = o.raw(key);
        if (v == null) {
            return null;
        }
        Named n = named(o, key, v);
        Options c = new Options(o.layer(), o.className() + " " + key + " " + n.className, n.config);
        Constraint r = switch (n.className) {
            case "MaxNorm", "max_norm" -> Constraints.maxNorm(c.number("max_value", 2.0), axis(c));
            case "NonNeg", "non_neg" -> Constraints.nonNeg();
            case "UnitNorm", "unit_norm" -> Constraints.unitNorm(axis(c));
            case "MinMaxNorm", "min_max_norm" -> {
                try {
                    yield Constraints.minMaxNorm(c.number("min_value", 0.0), c.number("max_value", 1.0),
                            c.number("rate", 1.0), axis(c));
                } catch (IllegalArgumentException e) {
                    throw new KerasFileException(o.where() + ": " + e.getMessage(), e);
                }
            }
            default -> throw new KerasFileException("unsupported constraint '" + n.className + "' for option " + key
                    + " in " + o.where());
        };
        c.requireAllRead();
        return r;
    }

    private static int axis(Options c) {
        Object a = c.raw("axis");
        if (a == null) {
            return 0;
        }
        if (a instanceof Double d && d == Math.rint(d)) {
            return d.intValue();
        }
        throw c.error("axis", "one integer axis", a);
    }

    /** A Keras object reference: a plain name (Keras 3 shorthand) or {class_name, config}. */
    private record Named(String className, Map<String, Object> config) {
    }

    @SuppressWarnings("unchecked")
    private static Named named(Options o, String key, Object v) {
        if (v instanceof String s) {
            return new Named(s.toLowerCase(Locale.ROOT), Map.of());
        }
        if (v instanceof Map<?, ?> m && m.get("class_name") instanceof String cls) {
            if (m.get("registered_name") != null && !cls.equals(m.get("registered_name"))) {
                throw new KerasFileException("unsupported custom object '" + m.get("registered_name") + "' for option "
                        + key + " in " + o.where());
            }
            Object cfg = m.get("config");
            return new Named(cls, cfg instanceof Map<?, ?> cm ? (Map<String, Object>) cm : Map.of());
        }
        throw o.error(key, "a Keras object {class_name, config} or a name", v);
    }
}
