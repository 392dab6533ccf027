package io.rnn4j.layers.keras;

import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Masking;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * The mask computations Keras 3 records in a functional config. When a layer that takes a mask is
 * called on a masked tensor, Keras 3.15's {@code Layer.__call__} passes the mask explicitly
 * ({@code "kwargs": {"mask": <tensor>}}), and the ops that computed it become entries of their own:
 * Embedding's {@code not_equal(ids, 0)} (embedding.py compute_mask) and Masking's
 * {@code any(not_equal(x, mask_value), axis=-1)} (masking.py). rnn4j passes masks on by itself, so
 * such a mask is read only when it is exactly the one the layer would receive: computed from the
 * input of an Embedding with mask_zero, or of a Masking with the same value. Then it is dropped
 * (and written back without it, as Keras reloads either form). Any other (a user's
 * {@code mask=ops.not_equal(m, 0)}, another {@code any(...)}) is read as the operation it is, and
 * the call's explicit mask.
 */
final class MaskOps {
    private MaskOps() {
    }

    /** One recorded mask computation: NotEqual(input, value), or Any(NotEqual ..., axis=-1) over {@code input}. */
    record MaskOp(String name, String kind, FunctionalReader.Ref input, double value) {
    }

    /**
     * Whether an entry is one of the mask computations this reader takes: a NotEqual or Any that
     * computes a mask passed to a layer ({@code sources}). Any other NotEqual is an operation of the
     * model (io.rnn4j.layers.ops.Comparison).
     */
    static boolean isMaskOp(Map<String, Object> entry, Set<String> sources) {
        String cls = LayerReader.className(entry);
        return "keras.src.ops.numpy".equals(entry.get("module")) && (cls.equals("NotEqual") || cls.equals("Any"))
                && sources.contains(LayerReader.name(entry));
    }

    /**
     * The names of the entries that compute a mask passed to a layer ({@code "kwargs": {"mask": ...}}),
     * and of the NotEqual inside each such Any (Masking's {@code any(not_equal(x, v), axis=-1)}).
     */
    static Set<String> sources(List<?> entries) {
        Set<String> out = new HashSet<>();
        Map<String, Object> anyInputs = new HashMap<>();
        for (Object e : entries) {
            if (!(e instanceof Map<?, ?> entry) || !(entry.get("inbound_nodes") instanceof List<?> nodes)) {
                continue;
            }
            for (Object node : nodes) {
                if (node instanceof Map<?, ?> n && n.get("kwargs") instanceof Map<?, ?> kw) {
                    histories(kw.get("mask"), out);
                }
            }
            if ("Any".equals(entry.get("class_name")) && !nodes.isEmpty() && nodes.get(0) instanceof Map<?, ?> n
                    && n.get("args") instanceof List<?> args && !args.isEmpty()) {
                anyInputs.put(String.valueOf(entry.get("name")), args.get(0));
            }
        }
        for (String any : List.copyOf(out)) {
            histories(anyInputs.get(any), out);
        }
        return out;
    }

    /** The layer names of the keras_history of every tensor in {@code v} (a tensor, a list, null). */
    private static void histories(Object v, Set<String> out) {
        if (v instanceof List<?> l) {
            l.forEach(x -> histories(x, out));
        } else if (FunctionalReader.Ref.of(v) instanceof FunctionalReader.Ref r) {
            out.add(r.layer());
        }
    }

    /** The entry's one call: NotEqual(tensor, number) or Any(tensor) with axis -1 and no keepdims. */
    static MaskOp read(String file, Map<String, Object> entry) {
        String cls = LayerReader.className(entry);
        String name = LayerReader.name(entry);
        Map<String, Object> config = LayerReader.config(entry);
        String where = file + ": operation '" + name + "' (" + cls + ")";
        if (!(entry.get("inbound_nodes") instanceof List<?> nodes) || nodes.size() != 1
                || !(nodes.get(0) instanceof Map<?, ?> node) || !(node.get("args") instanceof List<?> args)) {
            throw new KerasFileException(where + ": expected one call, as Keras records a mask's computation");
        }
        FunctionalReader.Ref input = args.isEmpty() ? null : FunctionalReader.Ref.of(args.get(0));
        if (cls.equals("NotEqual")) {
            if (input == null || args.size() != 2 || !(args.get(1) instanceof Double value)) {
                throw new KerasFileException(where + ": rnn4j reads not_equal(tensor, number) only as a layer's "
                        + "mask (Embedding's mask_zero, Masking), got the arguments " + Options.show(args));
            }
            return new MaskOp(name, cls, input, value);
        }
        if (input == null || args.size() != 1 || !Double.valueOf(-1).equals(config.get("axis"))
                || Boolean.TRUE.equals(config.get("keepdims"))) {
            throw new KerasFileException(where + ": rnn4j reads any(..., axis=-1) only as Masking's mask, got "
                    + Options.show(config) + " on " + Options.show(args));
        }
        return new MaskOp(name, cls, input, Double.NaN);
    }

    /**
     * Whether the mask {@code maskRef} given to {@code layer}, computed by one of {@code ops}, is the
     * one rnn4j passes on anyway: an Embedding's with mask_zero, or a Masking's with the same value,
     * on the same tensor. Any other is an operation of the model (an explicit mask).
     *
     * @param calledOn whether a layer is called on a tensor (its first input)
     */
    static boolean passedOn(FunctionalReader.Ref maskRef, Map<String, MaskOp> ops, List<Layer> layers,
            BiPredicate<Layer, FunctionalReader.Ref> calledOn) {
        MaskOp op = ops.get(maskRef.layer());
        boolean embedding = op.kind().equals("NotEqual") && op.value() == 0
                && layers.stream().anyMatch(l -> l instanceof Embedding e && e.maskZero() && calledOn.test(l, op.input()));
        MaskOp inner = op.kind().equals("Any") ? ops.get(op.input().layer()) : null;
        return embedding || inner != null && inner.kind().equals("NotEqual")
                && layers.stream().anyMatch(l -> l instanceof Masking m && m.maskValue() == (float) inner.value()
                        && calledOn.test(l, inner.input()));
    }

    /** The name of the NotEqual an Any reads (Masking's mask computation), or null for another op. */
    static String inner(String name, Map<String, MaskOp> ops) {
        MaskOp op = ops.get(name);
        return op != null && op.kind().equals("Any") && ops.containsKey(op.input().layer()) ? op.input().layer() : null;
    }
}
