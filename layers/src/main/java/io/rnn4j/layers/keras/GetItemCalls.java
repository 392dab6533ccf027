package io.rnn4j.layers.keras;

import io.rnn4j.layers.GetItem;
import io.rnn4j.layers.GetItem.Index;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's {@code x[key]} in a functional config: an entry of module {@code keras.src.ops.numpy},
 * class {@code GetItem}, config {@code {"name": ...}} (Operation.get_config, as its __init__ takes
 * only the name), whose inbound node's {@code args} are the tensor and the key. The key is written
 * by serialization_lib.serialize_keras_object: a tuple as a list, ints as they are, None for
 * newaxis, a slice as {@code {"class_name": "__slice__", "config": {"start", "stop", "step"}}}, the
 * Ellipsis as {@code {"class_name": "__ellipsis__", "config": {}}}; deserialize_keras_object reads
 * the list back as a list, which GetItem.call turns into a tuple.
 */
final class GetItemCalls {
    static final String MODULE = "keras.src.ops.numpy";

    private GetItemCalls() {
    }

    /** The operation an entry describes, its key read from its first call. */
    static GetItem layer(Map<String, Object> entry, String name) {
        Object module = entry.get("module");
        if (module != null && !module.equals(MODULE)) {
            throw new KerasFileException("unsupported layer " + name + " (GetItem of module " + show(module)
                    + ") in layer '" + name + "': Keras's GetItem is in " + MODULE);
        }
        List<?> nodes = nodes(entry, name);
        List<Index> key = key(nodes.get(0), name);
        try {
            return new GetItem(key.toArray(Index[]::new));
        } catch (IllegalArgumentException e) {
            throw new KerasFileException("layer '" + name + "' (GetItem): " + e.getMessage(), e);
        }
    }

    /** The tensor of each call; every call must give the operation's key (rnn4j keeps one per layer). */
    static List<FunctionalReader.Ref> calls(String file, Map<String, Object> entry, GetItem layer) {
        List<FunctionalReader.Ref> out = new ArrayList<>();
        for (Object node : nodes(entry, layer.name())) {
            List<Index> key = key(node, layer.name());
            if (!key.equals(layer.key())) {
                throw new KerasFileException(file + ": layer '" + layer.name() + "' (GetItem) is called with the keys ["
                        + layer.keyString() + "] and [" + new GetItem(key.toArray(Index[]::new)).keyString()
                        + "]; rnn4j takes the key as an option of the layer");
            }
            out.add(tensor(file, ((List<?>) ((Map<?, ?>) node).get("args")).get(0), layer.name()));
        }
        return out;
    }

    private static List<?> nodes(Map<String, Object> entry, String name) {
        if (!(entry.get("inbound_nodes") instanceof List<?> nodes) || nodes.isEmpty()) {
            throw new KerasFileException("layer '" + name + "' (GetItem): Keras's x[key] operation has its key in its "
                    + "call; this entry has no inbound_nodes (it is read in functional models only)");
        }
        return nodes;
    }

    /** The key of one call: {"args": [tensor, key], "kwargs": {}}. */
    private static List<Index> key(Object node, String name) {
        if (!(node instanceof Map<?, ?> m) || !(m.get("args") instanceof List<?> args) || args.size() != 2) {
            throw new KerasFileException("layer '" + name + "' (GetItem) has a malformed inbound node "
                    + show(node) + ": expected {\"args\": [tensor, key], \"kwargs\": {}}");
        }
        if (m.get("kwargs") instanceof Map<?, ?> kw && !kw.isEmpty()) {
            throw new KerasFileException("unsupported call arguments " + show(kw) + " in the call of layer '"
                    + name + "' (GetItem)");
        }
        Object k = args.get(1);
        if (k instanceof Double d) {
            throw new KerasFileException("layer '" + name + "' (GetItem): key " + show(d) + " indexes the "
                    + "batch axis; rnn4j takes the batch axis whole (':' or '...' first)");
        }
        if (!(k instanceof List<?> entries)) {
            // Keras's compute_output_spec takes an int, a tuple or a list only.
            throw new KerasFileException("layer '" + name + "' (GetItem): unsupported key type for array slice: "
                    + show(k) + "; expected an int, a tuple or a list");
        }
        List<Index> out = new ArrayList<>();
        for (Object e : entries) {
            out.add(entry(e, name, k));
        }
        return out;
    }

    private static Index entry(Object e, String name, Object key) {
        if (e == null) {
            return Index.NEW_AXIS;
        }
        if (e instanceof Double d) {
            return Index.at(integer(d, name, key, false));
        }
        if (e instanceof Map<?, ?> m && "__ellipsis__".equals(m.get("class_name"))) {
            return Index.ELLIPSIS;
        }
        if (e instanceof Map<?, ?> m && "__slice__".equals(m.get("class_name"))
                && m.get("config") instanceof Map<?, ?> c) {
            Integer[] v = new Integer[3];
            String[] parts = {"start", "stop", "step"};
            for (int i = 0; i < 3; i++) {
                Object p = c.get(parts[i]);
                if (p != null && !(p instanceof Double)) {
                    throw unsupported(e, name, key);
                }
                v[i] = p == null ? null : integer((Double) p, name, key, true);
            }
            if (v[2] != null && v[2] == 0) {
                throw new KerasFileException("layer '" + name + "' (GetItem): key " + show(key)
                        + " has a slice step of zero");
            }
            return Index.range(v[0], v[1], v[2]);
        }
        throw unsupported(e, name, key);
    }

    private static KerasFileException unsupported(Object e, String name, Object key) {
        return new KerasFileException("layer '" + name + "' (GetItem): unsupported entry " + show(e)
                + " in key " + show(key) + "; rnn4j takes ints, slices, the Ellipsis and None (newaxis)");
    }

    /** An integral number; a slice bound beyond an int's range clips, as slice.indices clips it. */
    private static int integer(double d, String name, Object key, boolean clip) {
        if (d != Math.rint(d) || Double.isInfinite(d)) {
            throw new KerasFileException("layer '" + name + "' (GetItem): key " + show(key) + " holds "
                    + d + ", not an int");
        }
        if (clip) {
            return (int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE, d));
        }
        if (d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
            throw new KerasFileException("layer '" + name + "' (GetItem): index " + show(d) + " of key "
                    + show(key) + " is out of bounds for any axis");
        }
        return (int) d;
    }

    /** A JSON value as the file wrote it: its ints without the ".0" the parser's doubles would print. */
    static String show(Object v) {
        return Options.show(ints(v));
    }

    private static Object ints(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return d.longValue();
        }
        if (v instanceof List<?> l) {
            return l.stream().map(GetItemCalls::ints).toList();
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, ints(x)));
            return out;
        }
        return v;
    }

    private static FunctionalReader.Ref tensor(String file, Object a, String name) {
        FunctionalReader.Ref r = FunctionalReader.Ref.of(a);
        if (r != null) {
            return r;
        }
        throw new KerasFileException(file + ": layer '" + name + "' (GetItem) is called on " + show(a)
                + ", not a tensor of the model");
    }

    /** The entry Keras 3's get_config writes for the operation; the caller adds name and inbound_nodes. */
    static Map<String, Object> entry(GetItem g) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", g.name());
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("module", MODULE);
        e.put("class_name", "GetItem");
        e.put("config", c);
        e.put("registered_name", "GetItem");
        return e;
    }

    /** The key as serialize_keras_object writes the tuple. */
    static List<Object> key(GetItem g) {
        List<Object> out = new ArrayList<>();
        for (Index i : g.key()) {
            out.add(switch (i) {
                case Index.At at -> at.index();
                case Index.NewAxis n -> null;
                case Index.Ellipsis el -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("class_name", "__ellipsis__");
                    m.put("config", new LinkedHashMap<>());
                    yield m;
                }
                case Index.Range r -> {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("start", r.start());
                    c.put("stop", r.stop());
                    c.put("step", r.step());
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("class_name", "__slice__");
                    m.put("config", c);
                    yield m;
                }
            });
        }
        return out;
    }
}
