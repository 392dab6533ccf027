package io.rnn4j.layers.keras;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.rnn4j.engine.Shape;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.Lambda;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.TimeDistributed;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Keras file's custom layer entries, both ways: reading one with the user's
 * {@link CustomLayers} factory (one instance per load, remembering the layers it made so that
 * their weight groups can be checked), and writing a {@link KerasSerializable} layer as Keras's
 * serialize_keras_object writes a custom class (keras/src/saving/serialization_lib.py).
 */
final class CustomLayerEntries {
    /** Keys of every Keras layer's config that rnn4j reads itself (LayerReader's common keys, name, trainable). */
    private static final List<String> BASE_KEYS = List.of("name", "trainable", "dtype", "autocast",
            "activity_regularizer", "batch_shape", "batch_input_shape", "input_shape", "batch_size", "input_dtype");

    private final CustomLayers registry;
    private final Map<Layer, String> made = new IdentityHashMap<>();

    CustomLayerEntries(CustomLayers registry) {
        this.registry = registry;
    }

    /**
     * The key Keras looks a layer entry's class up by: its {@code registered_name} where the entry
     * has that key (null for Keras's own classes), else (legacy h5, Keras 2 JSON) its class_name.
     */
    static String key(Map<String, Object> entry) {
        if (entry.containsKey("registered_name")) {
            return entry.get("registered_name") instanceof String s ? s : null;
        }
        return LayerReader.className(entry);
    }

    /**
     * Whether the entry names a class of the user's (one Keras itself cannot find without
     * custom_objects): a registered name other than its class name ("package>Name"), or, in a Keras
     * 3 config, a module outside Keras ({@code null} for a class defined in {@code __main__}) —
     * Keras's own layers are written with module {@code keras.layers} (or {@code keras.src...},
     * tf_keras's under {@code tf_keras}).
     */
    static boolean isUserClass(Map<String, Object> entry) {
        Object registered = entry.get("registered_name");
        if (registered != null && !registered.equals(LayerReader.className(entry))) {
            return true;
        }
        return entry.containsKey("module") && !(entry.get("module") instanceof String m
                && (m.equals("keras") || m.startsWith("keras.") || m.startsWith("tf_keras")));
    }

    /** Whether the registry has a factory for this entry. */
    boolean matches(Map<String, Object> entry) {
        return registry.factory(key(entry)) != null;
    }

    /**
     * The user's layer for a matching entry; {@code o} has the base keys read already. Refuses a
     * config key the factory neither read nor ignored, and a layer whose className() is not the
     * file's class (its weights would be looked for under another path).
     */
    Layer read(Map<String, Object> entry, Options o) {
        String key = key(entry);
        Layer layer = create(registry.factory(key), key, o);
        String cls = LayerReader.className(entry);
        if (!cls.contains(">") && !layer.className().equals(cls)) {
            throw new KerasFileException(o.where() + ": the CustomLayers factory for '" + key + "' returned a "
                    + layer.getClass().getName() + " whose className() is '" + layer.className() + "'; it must be the "
                    + "file's class '" + cls + "' (Keras keeps the layer's variables under its snake_case name): "
                    + "override className()");
        }
        made.put(layer, cls);
        return layer;
    }

    /** Keys of a Lambda's config that hold its Python code (Keras 3's and tf.keras 2's forms). */
    private static final List<String> LAMBDA_CODE = List.of("function", "function_type", "module", "output_shape",
            "output_shape_type", "output_shape_module", "mask", "mask_type", "mask_module");

    /**
     * The user's Java counterpart of a Lambda layer entry, found by the layer's name; a Lambda keeps
     * the entry's function config to write back. Refused without a factory, naming the way to give one.
     */
    Layer readLambda(Map<String, Object> entry, Options o) {
        String name = o.layer();
        CustomLayers.Factory factory = registry.lambda(name);
        if (factory == null) {
            String known = registry.lambdaNames().isEmpty() ? "" : " (the CustomLayers given have Lambdas "
                    + registry.lambdaNames() + ")";
            throw new KerasFileException(o.where() + ": a Lambda layer runs Python code, which rnn4j cannot run; give "
                    + "its Java counterpart by the layer's name: Models.load(file, CustomLayers.of().withLambda(\""
                    + name + "\", config -> new Lambda(x -> ...)))" + known);
        }
        Map<String, Object> function = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : LayerReader.config(entry).entrySet()) {
            if (!BASE_KEYS.contains(e.getKey())) {
                function.put(e.getKey(), wholeAsInts(e.getValue()));
            }
        }
        keras3Form(function);
        LAMBDA_CODE.forEach(o::ignore);
        if (!(function.get("arguments") instanceof Map<?, ?> args) || args.isEmpty()) {
            o.ignore("arguments"); // nothing passed to the function
        }
        Layer layer = create(factory, "Lambda '" + name + "'", o);
        if (function.get("mask") != null && !(layer instanceof Lambda l && l.supportsMasking())) {
            throw new KerasFileException(o.where() + ": the file's Lambda computes a mask (" + Options.show(
                    function.get("mask")) + "); its Java counterpart must too: new Lambda(...).mask((inputs, masks) "
                    + "-> ...)");
        }
        if (layer instanceof Lambda l && l.kerasFunctionConfig() == null) {
            l.kerasFunctionConfig(function);
        }
        return layer;
    }

    /**
     * A JSON value with its whole numbers as ints: the parser reads every number as a double, and
     * written back as {@code 3.0} an output_shape, or an argument used as an index or an axis,
     * fails in Python. A float argument Keras wrote as {@code 2.0} comes back as {@code 2}, which
     * Python's arithmetic treats alike.
     */
    private static Object wholeAsInts(Object v) {
        return switch (v) {
            case Double d when d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE -> (int) (double) d;
            case List<?> l -> l.stream().map(CustomLayerEntries::wholeAsInts).toList();
            case Map<?, ?> m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                m.forEach((k, x) -> out.put(String.valueOf(k), wholeAsInts(x)));
                yield out;
            }
            case null, default -> v;
        };
    }

    /** tf.keras 2's Lambda keys that Keras 3's Lambda does not take. */
    private static final List<String> KERAS2_ONLY = List.of("module", "function_type", "output_shape_type",
            "output_shape_module");

    /**
     * A tf.keras 2 Lambda's function config turned into Keras 3's, as Keras 3's legacy loader does
     * (keras/src/legacy/saving/saving_utils.py model_from_config): the keys Keras 3 dropped removed,
     * and a function dumped as [code, defaults, closure] made a {@code __lambda__} entry, so that the
     * config written back loads in Keras 3.
     */
    private static void keras3Form(Map<String, Object> function) {
        KERAS2_ONLY.forEach(function::remove);
        if (function.get("function") instanceof List<?> dump && dump.size() == 3) {
            Map<String, Object> code = new LinkedHashMap<>();
            code.put("code", dump.get(0));
            code.put("defaults", dump.get(1));
            code.put("closure", dump.get(2));
            Map<String, Object> lambda = new LinkedHashMap<>();
            lambda.put("class_name", "__lambda__");
            lambda.put("config", code);
            function.put("function", lambda);
        }
    }

    /** A new, unbuilt layer from {@code factory}, every config key read or ignored. */
    private static Layer create(CustomLayers.Factory factory, String key, Options o) {
        o.ignore("autocast"); // mixed precision only: rnn4j computes in float32 whatever its value
        Layer layer;
        try {
            layer = factory.create(new CustomLayerConfig(o, key));
        } catch (KerasFileException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KerasFileException(o.where() + ": the CustomLayers factory for '" + key + "' failed: " + e, e);
        }
        if (layer == null || layer.isBuilt()) {
            throw new KerasFileException(o.where() + ": the CustomLayers factory for '" + key + "' must return a new, "
                    + "unbuilt layer, it returned " + (layer == null ? "null" : "layer '" + layer.name() + "', built"));
        }
        List<String> unread = o.unread();
        if (!unread.isEmpty()) {
            String k = unread.get(0);
            throw new KerasFileException(o.where() + ": config key '" + k + "' = " + Options.show(o.raw(k))
                    + " was neither read nor ignored by the CustomLayers factory for '" + key + "' (Keras passes every "
                    + "key to __init__; read it with CustomLayerConfig's getters or mark it with ignore(\"" + k + "\"))");
        }
        return layer;
    }

    /**
     * A Lambda's config keys besides the base ones: the Keras function config it was read with (or
     * was given), as Keras's Lambda.get_config writes them after the base keys.
     *
     * @throws IllegalArgumentException for a Lambda made in Java without one, naming it
     */
    static Map<String, Object> lambdaConfig(Lambda l) {
        Map<String, Object> function = l.kerasFunctionConfig();
        if (function == null) {
            throw new IllegalArgumentException("cannot save Lambda layer '" + l.name() + "' for Keras: it was made in "
                    + "Java, and Keras cannot run a Java function; give it the Keras config of the Python function it "
                    + "stands for with kerasFunctionConfig(...) (a Lambda loaded from a Keras file keeps its own)");
        }
        return function;
    }

    /** What a refusal of a custom class says: how to supply it, with the key the file needs. */
    String howToSupply(String key) {
        String known = registry.keys().isEmpty() ? "" : "; the CustomLayers given hold " + registry.keys()
                + " (keys match the registered name exactly)";
        return "give its Java counterpart with Models.load(file, CustomLayers.of().with(\"" + key
                + "\", config -> new YourLayer(...)))" + known;
    }

    /**
     * Refuses a custom layer whose group in a Keras 3 weights file holds more than its own
     * {@code vars} and the groups of the layers it tracks ({@link Layer#sublayers()}): the variables
     * of a layer it holds in another attribute, which its weights could not be matched to.
     */
    void requireOwnVariablesOnly(String file, Group root, List<Layer> layers) {
        if (made.isEmpty()) {
            return;
        }
        List<String> paths = WeightLayout.layerPaths(layers);
        for (int i = 0; i < layers.size(); i++) {
            walk(file, root, layers.get(i), paths.get(i));
        }
    }

    private void walk(String file, Group root, Layer l, String path) {
        if (made.containsKey(l)) {
            requireTracked(file, root, l, path);
            return;
        }
        List<Layer> inner = l instanceof Model m ? m.layers() : l instanceof Sequential s ? s.layers() : null;
        if (inner != null) {
            List<String> paths = WeightLayout.layerPaths(inner);
            for (int i = 0; i < inner.size(); i++) {
                walk(file, root, inner.get(i), path + "/" + paths.get(i));
            }
        } else if (l instanceof TimeDistributed t) {
            walk(file, root, t.inner(), path + "/layer");
        }
    }

    /** Checks a custom layer's group, and those of its sub-layers that track layers in turn. */
    private void requireTracked(String file, Group root, Layer l, String path) {
        Node n = H5.read(file, "group '" + path + "'", () -> WeightReader.find(root, path));
        if (!(n instanceof Group g)) {
            return;
        }
        List<String> nested = new ArrayList<>();
        H5.read(file, "'" + path + "'", g::getChildren).forEach((k, v) -> {
            if (v instanceof Group sub && isContainer(sub) && holdsData(sub)) {
                throw new KerasFileException(file + ": custom layer '" + l.name() + "' (" + made.getOrDefault(l,
                        l.className()) + ") keeps a Python list or dict of layers in attribute '" + k + "' (Keras "
                        + "saves its layers as " + path + "/" + k + "/" + sub.getChildren().keySet() + "): rnn4j "
                        + "tracks single layers (addSublayer), not lists of them");
            }
            if (!k.equals("vars") && !l.sublayers().containsKey(k) && (!(v instanceof Group sub) || holdsData(sub))) {
                nested.add(path + "/" + k);
            }
        });
        if (!nested.isEmpty()) {
            String cls = made.getOrDefault(l, l.className());
            throw new KerasFileException(file + ": custom layer '" + l.name() + "' (" + cls + ") keeps variables of "
                    + "sub-layers in " + nested + " that the Java layer does not track: it has "
                    + (l.sublayers().isEmpty() ? "no sub-layers" : "sub-layers " + l.sublayers().keySet())
                    + "; track each layer the Python class holds in an attribute with addSublayer(\"<attribute>\", "
                    + "layer) in its constructor");
        }
        l.sublayers().forEach((attribute, sub) -> {
            if (!sub.sublayers().isEmpty()) {
                requireTracked(file, root, sub, path + "/" + attribute);
            }
        });
    }

    /**
     * Whether an attribute's group is a list's or dict's (saving_lib's _save_container_state): no
     * vars of its own, and groups named as Keras numbers a container's layers ("dense", "dense_1").
     */
    private static boolean isContainer(Group g) {
        Set<String> keys = g.getChildren().keySet();
        return !keys.contains("vars") && keys.stream().anyMatch(k -> k.matches(".+_[0-9]+"))
                && keys.stream().allMatch(k -> k.matches("[a-z0-9_]+")
                        && (!k.matches(".+_[0-9]+") || keys.contains(k.replaceFirst("_[0-9]+$", ""))));
    }

    private static boolean holdsData(Group g) {
        for (Node n : g.getChildren().values()) {
            if (n instanceof Dataset || n instanceof Group sub && holdsData(sub)) {
                return true;
            }
        }
        return false;
    }

    // ---- writing ----

    /**
     * A {@link KerasSerializable} layer's entry as Keras 3 writes a custom class's: module null
     * (what Keras writes for a class defined in {@code __main__}), class_name, the base keys and the
     * layer's own, registered_name, build_config.
     *
     * @throws IllegalArgumentException for a layer that does not implement the interface, naming it,
     *                                  or a config that is not JSON or repeats a base key
     */
    static Map<String, Object> entry(Layer l, Map<String, Object> base) {
        if (!(l instanceof KerasSerializable k)) {
            throw new IllegalArgumentException("cannot save layer '" + l.name() + "' (" + l.className() + ") as Keras: "
                    + "no Keras config is known for it; a layer of your own is saved as a Keras custom layer when it "
                    + "implements " + KerasSerializable.class.getName());
        }
        Map<String, Object> own = k.kerasConfig();
        if (own == null) {
            throw new IllegalArgumentException("layer '" + l.name() + "' (" + l.className() + "): kerasConfig() "
                    + "returned null; return an empty map for a layer without options");
        }
        Map<String, Object> config = new LinkedHashMap<>(base);
        if (l.activityRegularizer() != null) { // a base key: Keras's Layer.get_config writes it when set
            ConfigWriter.regularizer(config, l, "activity_regularizer", l.activityRegularizer());
        }
        for (Map.Entry<String, Object> e : own.entrySet()) {
            if (BASE_KEYS.contains(e.getKey())) {
                throw new IllegalArgumentException("layer '" + l.name() + "' (" + l.className() + "): kerasConfig() "
                        + "holds '" + e.getKey() + "', which rnn4j writes itself (" + BASE_KEYS + ")");
            }
            config.put(e.getKey(), json(l, e.getKey(), e.getValue()));
        }
        String registered = k.kerasRegisteredName();
        if (registered == null || registered.isBlank()) {
            throw new IllegalArgumentException("layer '" + l.name() + "' (" + l.className() + "): "
                    + "kerasRegisteredName() must be \"package>ClassName\" or the class name, got " + registered);
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("module", null);
        e.put("class_name", l.className());
        e.put("config", config);
        e.put("registered_name", registered);
        if (l.isBuilt()) {
            List<Shape> shapes = l.inputShapes();
            e.put("build_config", Map.of("input_shape", shapes.size() == 1
                    ? ConfigWriter.batchShape(shapes.get(0).dims(), 0)
                    : shapes.stream().map(s -> ConfigWriter.batchShape(s.dims(), 0)).toList()));
        }
        return e;
    }

    /** A config value as JSON: a float as the decimal it prints as, numbers, strings, booleans, null, lists, maps. */
    private static Object json(Layer l, String key, Object v) {
        return switch (v) {
            case null -> null;
            case Float f -> KerasConfig.decimal(f);
            case Number n when n instanceof Integer || n instanceof Long || n instanceof Double || n instanceof Short
                    || n instanceof Byte -> n;
            case String s -> s;
            case Boolean b -> b;
            case List<?> list -> list.stream().map(x -> json(l, key, x)).toList();
            case int[] a -> Arrays.stream(a).boxed().toList();
            case Map<?, ?> m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                m.forEach((mk, mv) -> out.put(String.valueOf(mk), json(l, key, mv)));
                yield out;
            }
            default -> throw new IllegalArgumentException("layer '" + l.name() + "' (" + l.className() + "): "
                    + "kerasConfig() value of '" + key + "' is a " + v.getClass().getName() + ", which JSON cannot "
                    + "hold (numbers, strings, booleans, null, lists and maps go)");
        };
    }
}
