package io.rnn4j.layers.keras;

import io.rnn4j.layers.GetItem;
import io.rnn4j.layers.GetItem.Index;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * tf.keras 2's op layers in functional configs (TF 2.4 to 2.15, keras/layers/core/tf_op_layer.py of
 * keras-team/keras and tf_keras): calling a TensorFlow function on a KerasTensor recorded a
 * {@code TFOpLambda} layer, config {@code {"name", "trainable", "dtype", "function"}} with the
 * function's name without its {@code tf.} prefix ({@code "concat"}, {@code "math.multiply"});
 * slicing ({@code x[:, -1, :]}) recorded its subclass {@code SlicingOpLambda} with function
 * {@code "__operators__.getitem"}.
 *
 * <p>Both set {@code _preserve_input_structure_in_config}, so node.serialize writes each call as
 * one flat list {@code [layer, node, tensor, kwargs]} (not Keras 2's usual list of such lists),
 * every argument after the tensor in kwargs under its parameter name: getitem's
 * {@code (tensor, slice_spec, var=None)} gives {@code {"slice_spec": key}}. The key is Python's:
 * a tuple (JSON list) of ints, slices as {@code {"start", "stop", "step"}} (TFSlicingOpDispatcher's
 * _slice_to_dict), None for tf.newaxis and the Ellipsis as {@code {"class_name": "__ellipsis__"}}
 * (json_utils.get_json_type); one entry alone is written bare, as TF's _slice_helper reads it as a
 * one-entry tuple. A KerasTensor in the key (a bound computed in the model) is written as its
 * {@code [layer, node, tensor]} history, which a JSON list of a string and two numbers tells apart
 * (tf_utils.convert_inner_node_data).
 *
 * <p>SlicingOpLambda of getitem is read as rnn4j's {@link GetItem} (saved again as Keras 3's GetItem);
 * TFOpLambda and the other slicing functions are refused naming the TensorFlow function.
 */
final class TfOpLayers {
    private static final String SLICING = "SlicingOpLambda";
    private static final String GETITEM = "__operators__.getitem";
    /** The other functions tf.keras 2 records as SlicingOpLambda (tf_op_layer.py's TFSlicingOpDispatcher). */
    private static final Set<String> OTHER_SLICING = Set.of("boolean_mask", "compat.v1.boolean_mask",
            "__operators__.ragged_getitem");

    private TfOpLayers() {
    }

    /** Whether a layer entry is tf.keras 2's slicing layer (its calls are read here). */
    static boolean isSlicing(Map<String, Object> entry) {
        return SLICING.equals(entry.get("class_name"));
    }

    /** A SlicingOpLambda entry as a GetItem, its key read from its first call. */
    static GetItem slicing(Map<String, Object> entry, String name, Options o) {
        String fn = o.string("function", null);
        if (!GETITEM.equals(fn)) {
            throw new KerasFileException("unsupported layer " + name + " (SlicingOpLambda) in layer '" + name
                    + "': it calls " + tf(fn) + (OTHER_SLICING.contains(fn) ? ", a TensorFlow function" : "")
                    + "; rnn4j reads only tf.__operators__.getitem (x[key]) of tf.keras 2's slicing layers, as GetItem");
        }
        List<Index> key = key(nodes(entry, name).get(0), name);
        try {
            return new GetItem(key.toArray(Index[]::new));
        } catch (IllegalArgumentException e) {
            throw new KerasFileException("layer '" + name + "' (SlicingOpLambda): " + e.getMessage(), e);
        }
    }

    /** The refusal of a TFOpLambda entry, naming the TensorFlow function it calls. */
    static KerasFileException tfOpLambda(Options o, String name) {
        Object fn = o.raw("function");
        return new KerasFileException("unsupported layer " + name + " (TFOpLambda) in layer '" + name + "': it calls "
                + "the TensorFlow function " + tf(fn instanceof String s ? s : null) + ", which tf.keras 2 recorded "
                + "as a layer; rnn4j runs Keras layers, not TensorFlow functions");
    }

    private static String tf(String function) {
        return function == null ? "an unnamed function" : "tf." + function;
    }

    /** The tensor each call slices; every call must give the layer's key (rnn4j keeps one per layer). */
    static List<FunctionalReader.Ref> calls(String file, Map<String, Object> entry, GetItem layer) {
        List<FunctionalReader.Ref> out = new ArrayList<>();
        for (Object node : nodes(entry, layer.name())) {
            List<Index> key = key(node, layer.name());
            if (!key.equals(layer.key())) {
                throw new KerasFileException(file + ": layer '" + layer.name() + "' (SlicingOpLambda) is called with "
                        + "the keys [" + layer.keyString() + "] and [" + new GetItem(key.toArray(Index[]::new))
                        .keyString() + "]; rnn4j takes the key as an option of the layer");
            }
            List<?> call = (List<?>) node;
            if (!(call.get(1) instanceof Double n) || !(call.get(2) instanceof Double t) || n < 0 || t < 0) {
                throw malformed(node, layer.name());
            }
            out.add(new FunctionalReader.Ref((String) call.get(0), n.intValue(), t.intValue()));
        }
        return out;
    }

    private static List<?> nodes(Map<String, Object> entry, String name) {
        if (!(entry.get("inbound_nodes") instanceof List<?> nodes) || nodes.isEmpty()) {
            throw new KerasFileException("layer '" + name + "' (SlicingOpLambda): tf.keras 2's x[key] layer has its "
                    + "key in its call; this entry has no inbound_nodes (it is read in functional models only)");
        }
        return nodes;
    }

    /** The key of one call [layer, node, tensor, {"slice_spec": key}]. */
    private static List<Index> key(Object node, String name) {
        if (!(node instanceof List<?> call) || call.size() != 4 || !(call.get(0) instanceof String layer)
                || !(call.get(3) instanceof Map<?, ?> kwargs)) {
            throw malformed(node, name);
        }
        if (layer.equals("_CONSTANT_VALUE")) {
            throw new KerasFileException("layer '" + name + "' (SlicingOpLambda) slices a constant written in the "
                    + "file, not a tensor of the model; rnn4j's GetItem slices tensors of the model only");
        }
        for (Object k : kwargs.keySet()) {
            if (!k.equals("slice_spec")) {
                throw new KerasFileException("unsupported call argument " + k + "=" + GetItemCalls.show(kwargs.get(k))
                        + " in the call of layer '" + name + "' (SlicingOpLambda)");
            }
        }
        if (!kwargs.containsKey("slice_spec")) {
            throw malformed(node, name);
        }
        Object spec = kwargs.get("slice_spec");
        List<Index> out = new ArrayList<>();
        if (spec instanceof List<?> entries && !isTensor(spec)) {
            for (Object e : entries) {
                out.add(entry(e, name, spec));
            }
        } else {
            out.add(entry(spec, name, spec)); // x[e] is x[(e,)]
        }
        return out;
    }

    private static Index entry(Object e, String name, Object spec) {
        if (e == null) {
            return Index.NEW_AXIS;
        }
        if (isTensor(e)) {
            throw tensorInKey(e, name, spec, "an index");
        }
        if (e instanceof Double d) {
            return Index.at(integer(d, name, spec, false));
        }
        if (e instanceof Map<?, ?> m && "__ellipsis__".equals(m.get("class_name"))) {
            return Index.ELLIPSIS;
        }
        if (e instanceof Map<?, ?> m && m.keySet().equals(Set.of("start", "stop", "step"))) {
            Integer[] v = new Integer[3];
            String[] parts = {"start", "stop", "step"};
            for (int i = 0; i < 3; i++) {
                Object p = m.get(parts[i]);
                if (isTensor(p)) {
                    throw tensorInKey(p, name, spec, "its slice " + parts[i]);
                }
                if (p != null && !(p instanceof Double)) {
                    throw unsupported(e, name, spec);
                }
                v[i] = p == null ? null : integer((Double) p, name, spec, true);
            }
            if (v[2] != null && v[2] == 0) {
                throw new KerasFileException("layer '" + name + "' (SlicingOpLambda): slice_spec "
                        + GetItemCalls.show(spec) + " has a slice step of zero");
            }
            return Index.range(v[0], v[1], v[2]);
        }
        throw unsupported(e, name, spec);
    }

    /** A KerasTensor's history as node.serialize writes it: [layer, node, tensor]. */
    private static boolean isTensor(Object v) {
        return v instanceof List<?> l && (l.size() == 3 || l.size() == 4) && l.get(0) instanceof String;
    }

    private static KerasFileException tensorInKey(Object t, String name, Object spec, String what) {
        List<?> h = (List<?>) t;
        return new KerasFileException("layer '" + name + "' (SlicingOpLambda): slice_spec " + GetItemCalls.show(spec)
                + " takes " + what + " from the tensor " + h.get(0) + "[" + GetItemCalls.show(h.get(1)) + "]["
                + GetItemCalls.show(h.get(2)) + "] of the model; rnn4j's "
                + "GetItem takes ints only, its key fixed when the model is built");
    }

    private static KerasFileException unsupported(Object e, String name, Object spec) {
        return new KerasFileException("layer '" + name + "' (SlicingOpLambda): unsupported entry "
                + GetItemCalls.show(e) + " in slice_spec " + GetItemCalls.show(spec)
                + "; rnn4j takes ints, slices, the Ellipsis and None (tf.newaxis)");
    }

    private static KerasFileException malformed(Object node, String name) {
        return new KerasFileException("layer '" + name + "' (SlicingOpLambda) has a malformed inbound node "
                + GetItemCalls.show(node) + ": expected [layer, node, tensor, {\"slice_spec\": key}]");
    }

    /** An integral number; a slice bound beyond an int's range clips, as slice.indices clips it. */
    private static int integer(double d, String name, Object spec, boolean clip) {
        if (d != Math.rint(d) || Double.isInfinite(d)) {
            throw new KerasFileException("layer '" + name + "' (SlicingOpLambda): slice_spec "
                    + GetItemCalls.show(spec) + " holds " + d + ", not an int");
        }
        if (clip) {
            return (int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE, d));
        }
        if (d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
            throw new KerasFileException("layer '" + name + "' (SlicingOpLambda): index " + GetItemCalls.show(d)
                    + " of slice_spec " + GetItemCalls.show(spec) + " is out of bounds for any axis");
        }
        return (int) d;
    }
}
