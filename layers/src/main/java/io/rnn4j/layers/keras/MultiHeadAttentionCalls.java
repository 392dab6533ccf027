package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.WeightOptions.held;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.MultiHeadAttention;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inbound nodes of a MultiHeadAttention, whose call takes several named tensors
 * ({@code call(query, value, key=None, ..., attention_mask=None, return_attention_scores=False,
 * training=None, use_causal_mask=False)}), in Keras 3's form ({@code args} positional, the rest in
 * {@code kwargs}, tensors as {@code __keras_tensor__}) and tf.keras 2's (the query listed, the
 * other tensors in its kwargs as {@code [layer, node, tensor]}). The tensors come out in the
 * layer's input order [query, value, key?, attention_mask?]. The query/value/key masks in the
 * kwargs are the ones the tensors carry (Keras fills them in); rnn4j takes them from the tensors.
 * Also the layer's config and build config as Keras 3 writes them.
 */
final class MultiHeadAttentionCalls {
    private static final List<String> TENSORS = List.of("query", "value", "key", "attention_mask");

    private MultiHeadAttentionCalls() {
    }

    /** One call: its tensors in the layer's order, its options, and whether it was in tf.keras 2's form. */
    record Parsed(List<FunctionalReader.Ref> inputs, boolean causal, boolean scores, boolean attentionMask,
            boolean legacy) {
    }

    static List<Parsed> calls(String file, Map<String, Object> entry, Layer layer) {
        Object in = entry.get("inbound_nodes");
        if (!(in instanceof List<?> nodes) || nodes.isEmpty()) {
            throw new KerasFileException(file + ": layer '" + layer.name() + "' (" + layer.className()
                    + ") is not connected (no inbound_nodes)");
        }
        List<Parsed> out = new ArrayList<>();
        for (Object node : nodes) {
            out.add(call(file, node, layer));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Parsed call(String file, Object node, Layer layer) {
        FunctionalReader.Ref[] slots = new FunctionalReader.Ref[TENSORS.size()];
        boolean[] options = new boolean[2];
        boolean legacy = node instanceof List<?>;
        if (node instanceof List<?> tensors && tensors.size() == 1 && tensors.get(0) instanceof List<?> first) {
            // tf.keras 2: [[query_layer, node, tensor, {"value": [...], ...}]]
            slots[0] = ref(file, first, layer);
            if (first.size() > 3 && first.get(3) instanceof Map<?, ?> kw) {
                kwargs(file, (Map<String, Object>) kw, layer, slots, options);
            }
        } else if (node instanceof Map<?, ?> m && m.get("args") instanceof List<?> args) {
            if (args.size() > 3) {
                throw new KerasFileException(file + ": layer '" + layer.name() + "' (" + layer.className() + ") is called "
                        + "with " + args.size() + " positional arguments; rnn4j takes query, value and key "
                        + "positionally, the rest by name");
            }
            for (int i = 0; i < args.size(); i++) {
                slots[i] = tensor(file, args.get(i), TENSORS.get(i), layer);
            }
            if (m.get("kwargs") instanceof Map<?, ?> kw) {
                kwargs(file, (Map<String, Object>) kw, layer, slots, options);
            }
        } else {
            throw new KerasFileException(file + ": layer '" + layer.name() + "' has a malformed inbound node "
                    + Options.show(node));
        }
        if (slots[0] == null || slots[1] == null) {
            throw new KerasFileException(file + ": layer '" + layer.name() + "' (" + layer.className() + ") is called "
                    + "without a " + (slots[0] == null ? "query" : "value") + " tensor");
        }
        List<FunctionalReader.Ref> inputs = new ArrayList<>();
        for (FunctionalReader.Ref r : slots) {
            if (r != null) {
                inputs.add(r);
            }
        }
        return new Parsed(inputs, options[0], options[1], slots[3] != null, legacy);
    }

    private static void kwargs(String file, Map<String, Object> kw, Layer layer, FunctionalReader.Ref[] slots,
            boolean[] options) {
        for (Map.Entry<String, Object> e : kw.entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            int slot = TENSORS.indexOf(key);
            if (slot >= 0) {
                if (v != null && slots[slot] != null) {
                    throw new KerasFileException(file + ": layer '" + layer.name() + "' (" + layer.className() + ") is "
                            + "given " + key + " twice");
                }
                if (v != null) {
                    slots[slot] = tensor(file, v, key, layer);
                }
                continue;
            }
            switch (key) {
                case "use_causal_mask" -> options[0] = bool(v, key, layer);
                case "return_attention_scores" -> options[1] = bool(v, key, layer);
                case "training" -> {
                }
                // Keras 3's Layer.__call__ fills these in from the masks the tensors carry, which rnn4j takes
                // from the same tensors (and MultiHeadAttention.call itself reads the query's from the query).
                case "query_mask", "value_mask", "key_mask" -> {
                }
                default -> throw new KerasFileException("unsupported option " + key + "=" + Options.show(v)
                        + " in the call of layer '" + layer.name() + "' (" + layer.className() + ")");
            }
        }
    }

    private static boolean bool(Object v, String key, Layer layer) {
        if (v == null) {
            return false;
        }
        if (!(v instanceof Boolean b)) {
            throw new KerasFileException("call argument " + key + " of layer '" + layer.name() + "' must be true or "
                    + "false, found " + Options.show(v));
        }
        return b;
    }

    /** A Keras 3 {@code __keras_tensor__} or a tf.keras 2 {@code [layer, node, tensor]}. */
    private static FunctionalReader.Ref tensor(String file, Object v, String what, Layer layer) {
        if (v instanceof Map<?, ?> t && "__keras_tensor__".equals(t.get("class_name"))
                && t.get("config") instanceof Map<?, ?> c && c.get("keras_history") instanceof List<?> h) {
            return ref(file, h, layer);
        }
        if (v instanceof List<?> h && !h.isEmpty() && h.get(0) instanceof String) {
            return ref(file, h, layer);
        }
        throw new KerasFileException("unsupported call argument " + what + "=" + Options.show(v) + " of layer '"
                + layer.name() + "' (" + layer.className() + "): expected a tensor of the model");
    }

    private static FunctionalReader.Ref ref(String file, List<?> h, Layer layer) {
        if (h.size() < 3 || !(h.get(0) instanceof String name) || !(h.get(1) instanceof Double node)
                || !(h.get(2) instanceof Double tensor) || node < 0 || tensor < 0) {
            throw new KerasFileException(file + ": layer '" + layer.name() + "' has a malformed inbound tensor "
                    + Options.show(h));
        }
        return new FunctionalReader.Ref(name, node.intValue(), tensor.intValue());
    }

    /**
     * Keras 3's MultiHeadAttention.get_config keys as 3.8 to 3.13 write them (use_gate and
     * sliding_window, added in 3.14 and 3.15, are left out at their defaults so older Keras 3 loads
     * the file); attention_axes as a built layer writes it: the sequence axis, [1].
     */
    static void write(MultiHeadAttention a, Map<String, Object> c) {
        c.put("num_heads", a.numHeads());
        c.put("key_dim", a.keyDim());
        c.put("value_dim", a.valueDim());
        c.put("dropout", KerasConfig.decimal(a.dropout()));
        c.put("use_bias", a.useBias());
        c.put("output_shape", a.outputShapeOption() > 0 ? List.of(a.outputShapeOption()) : null);
        c.put("attention_axes", List.of(1));
        WeightOptions.writeWithActivity(c, a,
                held("kernel", a.kernelInitializer(), a.kernelRegularizer(), a.kernelConstraint()),
                held("bias", a.biasInitializer(), a.biasRegularizer(), a.biasConstraint()));
        c.put("seed", null);
    }

    /**
     * Keras 3's build config of a layer built from several call arguments: build's arguments by
     * name (query_shape, value_shape, and key_shape when a key was given; never the attention mask).
     */
    static Map<String, Object> buildShapes(MultiHeadAttention a) {
        return buildShapes(a.inputShapes(), a.useAttentionMask());
    }

    /**
     * build's arguments by name for a layer called on {@code shapes} (query, value, key if given,
     * then the attention mask when {@code attentionMask}): MultiHeadAttention's and
     * GroupQueryAttention's build take the same ones.
     */
    static Map<String, Object> buildShapes(List<Shape> shapes, boolean attentionMask) {
        int data = attentionMask ? shapes.size() - 1 : shapes.size();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("query_shape", ConfigWriter.batchShape(shapes.get(0).dims(), 0));
        d.put("value_shape", ConfigWriter.batchShape(shapes.get(1).dims(), 0));
        if (data > 2) {
            d.put("key_shape", ConfigWriter.batchShape(shapes.get(2).dims(), 0));
        }
        return d;
    }
}
