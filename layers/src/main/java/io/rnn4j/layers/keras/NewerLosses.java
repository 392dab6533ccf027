package io.rnn4j.layers.keras;

import io.rnn4j.layers.losses.Loss;
import io.rnn4j.layers.losses.Losses;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Keras 3 losses with options of their own, read from a compile_config's serialized loss:
 * BinaryFocalCrossentropy, CategoricalFocalCrossentropy, Dice, Tversky,
 * CategoricalGeneralizedCrossEntropy, Circle and CTC. Options rnn4j does not support (an axis other than
 * -1 for the crossentropies, several axes for Dice/Tversky, a per-class alpha list) are refused
 * naming the option and the value.
 */
final class NewerLosses {
    private static final Set<String> CLASSES = Set.of("BinaryFocalCrossentropy", "CategoricalFocalCrossentropy",
            "Dice", "Tversky", "CategoricalGeneralizedCrossEntropy", "Circle", "CTC");

    private NewerLosses() {
    }

    static boolean handles(String cls) {
        return CLASSES.contains(cls);
    }

    /** The loss of class {@code cls} with config {@code c} (its reduction already checked). */
    static Loss read(String where, String cls, Map<?, ?> c) {
        try {
            return switch (cls) {
                case "BinaryFocalCrossentropy" -> {
                    crossentropyAxis(where, cls, c);
                    yield Losses.binaryFocalCrossentropy(Boolean.TRUE.equals(c.get("apply_class_balancing")),
                            number(where, cls, c, "alpha", 0.25), number(where, cls, c, "gamma", 2.0),
                            Boolean.TRUE.equals(c.get("from_logits")), number(where, cls, c, "label_smoothing", 0.0));
                }
                case "CategoricalFocalCrossentropy" -> {
                    crossentropyAxis(where, cls, c);
                    yield Losses.categoricalFocalCrossentropy(number(where, cls, c, "alpha", 0.25),
                            number(where, cls, c, "gamma", 2.0), Boolean.TRUE.equals(c.get("from_logits")),
                            number(where, cls, c, "label_smoothing", 0.0));
                }
                case "Dice" -> Losses.dice(axis(where, cls, c));
                case "Tversky" -> Losses.tversky(number(where, cls, c, "alpha", 0.5), number(where, cls, c, "beta", 0.5),
                        axis(where, cls, c));
                case "CategoricalGeneralizedCrossEntropy" ->
                        Losses.categoricalGeneralizedCrossEntropy(number(where, cls, c, "q", 0.5));
                case "Circle" -> Losses.circle(number(where, cls, c, "gamma", 80.0),
                        number(where, cls, c, "margin", 0.4), !Boolean.FALSE.equals(c.get("remove_diagonal")));
                case "CTC" -> Losses.ctc();
                default -> throw new IllegalArgumentException("not one of " + CLASSES); // handles() said it was
            };
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(where + ": loss " + cls + " cannot be rebuilt: " + e.getMessage(), e);
        }
    }

    private static double number(String where, String cls, Map<?, ?> c, String key, double otherwise) {
        Object v = c.get(key);
        if (v == null && !c.containsKey(key)) {
            return otherwise;
        }
        if (!(v instanceof Number n)) {
            throw new KerasFileException(where + ": loss " + cls + " option " + key + " must be a number, got "
                    + Options.show(v));
        }
        return n.doubleValue();
    }

    private static void crossentropyAxis(String where, String cls, Map<?, ?> c) {
        Object a = c.get("axis");
        if (a != null && !(a instanceof Number n && n.intValue() == -1)) {
            throw new KerasFileException(where + ": loss " + cls + " with axis " + Options.show(a)
                    + " is not supported (only -1)");
        }
    }

    /** Dice's and Tversky's axis: null (every axis) or one axis; a list of one is that axis. */
    private static Integer axis(String where, String cls, Map<?, ?> c) {
        Object a = c.get("axis");
        if (a instanceof List<?> l && l.size() == 1) {
            a = l.get(0);
        }
        if (a == null) {
            return null;
        }
        if (a instanceof Number n && n.doubleValue() == n.intValue()) {
            return n.intValue();
        }
        throw new KerasFileException(where + ": loss " + cls + " with axis " + Options.show(a) + " is not supported "
                + "(None or one axis)");
    }
}
