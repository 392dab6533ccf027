package io.rnn4j.layers.keras;

import io.rnn4j.layers.HashedCrossing;
import io.rnn4j.layers.Hashing;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Node;
import io.rnn4j.layers.model.Model;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras 3 configs of the hashing preprocessing layers that sit inside a model on integer inputs —
 * Hashing ({@code hashing.py}) and HashedCrossing ({@code hashed_crossing.py}) — read for
 * {@link LayerReader} and written for {@link ConfigWriter}, in Keras's key order. Their int output
 * is int64 in Keras, so their dtype is int64 there (a DTypePolicy for Hashing, a plain name for
 * HashedCrossing, as each get_config writes it); rnn4j holds the ids in float32.
 */
final class HashingLayers {
    /** Salts beyond this cannot come exactly through a JSON reader that holds numbers as float64. */
    private static final double EXACT = 0x1p53;

    private HashingLayers() {
    }

    /** Whether {@code dtype} is one the layer's Keras config may carry besides float32: its int output's. */
    static boolean integerOutput(Options o, String dtype) {
        return (o.className().equals("Hashing") || o.className().equals("HashedCrossing"))
                && (dtype.equals("int64") || dtype.equals("int32"));
    }

    // ---- reading ----

    static Layer hashing(Options o) {
        Hashing h;
        try {
            h = new Hashing(numBins(o)).named(o.layer());
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(o.where() + ": " + e.getMessage().replaceFirst("^Layer '[^']*' \\(\\w+\\): ",
                    ""), e);
        }
        String mode = o.string("output_mode", "int");
        h.outputMode(switch (mode) {
            case "int" -> Hashing.OutputMode.INT;
            case "one_hot" -> Hashing.OutputMode.ONE_HOT;
            case "multi_hot" -> Hashing.OutputMode.MULTI_HOT;
            case "count" -> Hashing.OutputMode.COUNT;
            default -> throw new KerasFileException(o.where() + ": Invalid value for argument `output_mode`. Expected "
                    + "one of ('int', 'one_hot', 'multi_hot', 'count'). Received: output_mode=" + Options.show(mode));
        });
        sparse(o);
        Object mask = o.raw("mask_value");
        if (mask instanceof String s) {
            h.maskValue(s);
        } else if (mask != null) {
            h.maskValue(integer(o, "mask_value", mask));
        }
        long[] salt = salt(o, "`Hashing` can only be a tuple of size 2 integers");
        if (salt != null) {
            h.salt(salt[0], salt[1]);
        }
        return h;
    }

    static Layer hashedCrossing(Options o) {
        String mode = o.string("output_mode", "int");
        HashedCrossing.OutputMode m = switch (mode) {
            case "int" -> HashedCrossing.OutputMode.INT;
            case "one_hot" -> HashedCrossing.OutputMode.ONE_HOT;
            default -> throw new KerasFileException(o.where() + ": The `output_mode` argument of HashedCrossing must "
                    + "be one of 'int', 'one_hot'. Received: " + Options.show(mode));
        };
        sparse(o);
        try {
            return new HashedCrossing(numBins(o), m).named(o.layer());
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(o.where() + ": " + e.getMessage().replaceFirst("^Layer '[^']*' \\(\\w+\\): ",
                    ""), e);
        }
    }

    private static int numBins(Options o) {
        Object n = o.raw("num_bins");
        Integer bins = n == null ? null : Options.wholeNumber(n);
        if (bins == null) {
            throw o.error("num_bins", "a positive whole number", n);
        }
        return bins;
    }

    private static void sparse(Options o) {
        if (o.bool("sparse", false)) {
            throw new KerasFileException("unsupported option sparse=true in " + o.where() + ": rnn4j has no "
                    + "SparseTensor output; supported is false");
        }
    }

    /**
     * A config's {@code salt}: null, one integer (both key words) or two, as Keras's constructors
     * take it; {@code expected} is Keras's words for what it takes.
     */
    static long[] salt(Options o, String expected) {
        Object salt = o.raw("salt");
        if (salt instanceof List<?> pair && pair.size() == 2) {
            return new long[] {integer(o, "salt", pair.get(0)), integer(o, "salt", pair.get(1))};
        } else if (salt instanceof Double) {
            long k = integer(o, "salt", salt);
            return new long[] {k, k};
        } else if (salt != null) {
            throw new KerasFileException(o.where() + ": The `salt` argument for " + expected + ", or a single "
                    + "integer. Received: salt=" + show(salt) + ".");
        }
        return null;
    }

    /** A value as Python prints it, JSON's integral numbers as integers. */
    private static String show(Object v) {
        if (v instanceof List<?> l) {
            return l.stream().map(HashingLayers::show).toList().toString();
        }
        return v instanceof Double d && d == Math.rint(d) && Math.abs(d) < EXACT ? Long.toString(d.longValue())
                : Options.show(v);
    }

    /** A salt as Keras's get_config writes it: {@code [k0, k1]}, or null. */
    static List<Long> salt(long[] salt) {
        return salt == null ? null : List.of(salt[0], salt[1]);
    }

    private static long integer(Options o, String key, Object v) {
        if (!(v instanceof Double d) || d != Math.rint(d) || Math.abs(d) > EXACT) {
            throw o.error(key, "integers within ±2^53 (rnn4j reads JSON numbers as float64; a larger one may "
                    + "have lost bits)", v);
        }
        return d.longValue();
    }

    // ---- writing ----

    /**
     * The dtype to write for a model input: int64 where it feeds a HashedCrossing straight (Keras's
     * HashedCrossing refuses the float32 tensor a float32 Input would give it), else float32.
     */
    static String inputDtype(Model model, Input in) {
        for (Layer l : model.layers()) {
            if (l instanceof HashedCrossing) {
                for (Node node : model.nodes(l)) {
                    if (node.inputs().stream().anyMatch(t -> t.layer() == in)) {
                        return "int64";
                    }
                }
            }
        }
        return "float32";
    }

    /** Whether {@link #write} writes the layer's config. */
    static boolean writes(Layer l) {
        return l instanceof Hashing || l instanceof HashedCrossing;
    }

    /** Keras 3's get_config of the layer, after {@code c}'s name, trainable and dtype, in Keras's key order. */
    static void write(Layer layer, Map<String, Object> c) {
        switch (layer) {
            case Hashing h -> {
                boolean ints = h.outputMode() == Hashing.OutputMode.INT;
                c.put("dtype", policy(ints ? "int64" : "float32"));
                c.put("num_bins", h.numBins());
                c.put("salt", salt(h.salt()));
                c.put("mask_value", h.maskValue());
                c.put("output_mode", h.outputMode().kerasName());
                c.put("sparse", false);
            }
            case HashedCrossing x -> {
                // Keras's own key order, no trainable, and a plain dtype name (its get_config builds them so).
                Object name = c.get("name");
                c.clear();
                c.put("num_bins", x.numBins());
                c.put("output_mode", x.outputMode().kerasName());
                c.put("sparse", false);
                c.put("name", name);
                c.put("dtype", x.outputMode() == HashedCrossing.OutputMode.INT ? "int64" : "float32");
            }
            default -> throw new IllegalArgumentException("not a hashing layer: " + layer);
        }
    }

    private static Map<String, Object> policy(String dtype) {
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("module", "keras");
        policy.put("class_name", "DTypePolicy");
        policy.put("config", Map.of("name", dtype));
        policy.put("registered_name", null);
        return policy;
    }
}
