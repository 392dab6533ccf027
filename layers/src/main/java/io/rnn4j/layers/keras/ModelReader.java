package io.rnn4j.layers.keras;

import io.rnn4j.engine.Devices;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Recurrent;
import io.rnn4j.layers.model.Sequential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A Keras model config (the {@code model_config} attribute, {@code model.to_json()}, or Keras 3's
 * {@code config.json}) to an unweighted {@link KerasModel}: a {@link Sequential} for Sequential
 * models and for functional models that are a chain of single-input layers, else a {@link Graph}.
 */
final class ModelReader {
    private final String file;
    private final LayerReader layers;

    ModelReader(String file, boolean keras2) {
        this.file = file;
        this.layers = new LayerReader(keras2);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String file, String what, String json) {
        Object v;
        try {
            v = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(file + ": " + what + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!(v instanceof Map<?, ?>)) {
            throw new KerasFileException(file + ": " + what + " must be a JSON object, found " + Options.show(v));
        }
        return (Map<String, Object>) v;
    }

    /** The model the config describes, built (weights initialised, not yet loaded). */
    KerasModel read(Map<String, Object> model, String kerasVersion, String trainingConfig) {
        String cls = model.get("class_name") instanceof String s ? s : null;
        if (cls == null) {
            throw new KerasFileException(file + ": the model config has no class_name: " + Options.show(model));
        }
        return switch (cls) {
            case "Sequential" -> new KerasModel(sequential(model), null, kerasVersion, trainingConfig);
            case "Model", "Functional" -> functional(model, kerasVersion, trainingConfig);
            default -> throw new KerasFileException(file + ": unsupported model class '" + cls
                    + "': expected Sequential, Functional or Model");
        };
    }

    @SuppressWarnings("unchecked")
    private Sequential sequential(Map<String, Object> model) {
        Object cfg = model.get("config");
        List<Object> entries;
        int[] buildShape = null;
        if (cfg instanceof List<?> l) {
            entries = (List<Object>) l; // Keras <= 2.2: the config is the list of layers
        } else if (cfg instanceof Map<?, ?> m && m.get("layers") instanceof List<?> l) {
            entries = (List<Object>) l;
            Options o = new Options(String.valueOf(m.get("name")), "Sequential", (Map<String, Object>) m);
            if (o.has("build_input_shape")) {
                buildShape = o.dims("build_input_shape");
            }
        } else {
            throw new KerasFileException(file + ": a Sequential config must hold a list of layers, found "
                    + Options.show(cfg));
        }
        List<Layer> stack = new ArrayList<>();
        int[] batchShape = null;
        for (int i = 0; i < entries.size(); i++) {
            if (!(entries.get(i) instanceof Map<?, ?> e)) {
                throw new KerasFileException(file + ": layer " + i + " of the Sequential model is not an object");
            }
            Map<String, Object> entry = (Map<String, Object>) e;
            if (LayerReader.className(entry).equals("InputLayer")) {
                if (i != 0) {
                    throw new KerasFileException(file + ": an InputLayer may only come first in a Sequential model");
                }
                batchShape = input(entry).batchShape;
                continue;
            }
            LayerReader.Read r = layers.read(entry);
            if (stack.isEmpty() && batchShape == null) {
                batchShape = r.batchInputShape();
            }
            stack.add(r.layer());
        }
        if (batchShape == null) {
            batchShape = buildShape;
        }
        if (batchShape == null) {
            throw new KerasFileException(file + ": the Sequential config gives no input shape (no InputLayer, "
                    + "batch_input_shape or build_input_shape), so its weights cannot be built");
        }
        List<Layer> all = new ArrayList<>();
        all.add(inputFor(batchShape, stack, "the Sequential model"));
        all.addAll(stack);
        try {
            return Sequential.of(all.toArray(Layer[]::new));
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(file + ": the Sequential model cannot be built: " + e.getMessage(), e);
        }
    }

    /** An Input of the batch shape; the batch size is kept only where a stateful layer needs it. */
    private Input inputFor(int[] batchShape, List<Layer> after, String what) {
        int[] sample = Arrays.copyOfRange(batchShape, 1, batchShape.length);
        for (int d : sample) {
            if (d < 1) {
                throw new KerasFileException(file + ": " + what + " has input shape " + shape(batchShape)
                        + ": inputs of variable size (None beyond the batch) are not supported yet");
            }
        }
        boolean stateful = after.stream().anyMatch(ModelReader::stateful);
        return stateful && batchShape[0] > 0 ? Input.batchShape(batchShape[0], sample) : Input.shape(sample);
    }

    private static boolean stateful(Layer l) {
        return l instanceof Recurrent<?> r ? r.stateful() : l instanceof Bidirectional b && b.forwardLayer().stateful();
    }

    private static String shape(int[] d) {
        return Arrays.toString(d).replace("-1", "None").replace('[', '(').replace(']', ')');
    }

    private record InputSpec(String name, int[] batchShape) {
    }

    private InputSpec input(Map<String, Object> entry) {
        String name = LayerReader.name(entry);
        Options o = new Options(name, "InputLayer", LayerReader.config(entry));
        o.ignore("name");
        // Token ids arrive as int32 in Keras; here every tensor is float32 (ids exact up to 2^24).
        Object dt = o.raw("dtype");
        String d = dt == null ? "float32" : String.valueOf(dt instanceof Map<?, ?> m && m.get("config") instanceof Map<?, ?> c
                ? c.get("name") : dt);
        if (!List.of("float32", "int32", "int64").contains(d)) {
            throw new KerasFileException("unsupported dtype '" + d + "' in " + o.where()
                    + ": rnn4j computes in float32 only");
        }
        o.require("sparse", Boolean.FALSE);
        o.require("ragged", Boolean.FALSE);
        o.require("optional", Boolean.FALSE);
        o.ignore("batch_size", "input_tensor");
        int[] shape = o.has("batch_shape") ? o.dims("batch_shape") : o.has("batch_input_shape")
                ? o.dims("batch_input_shape") : null;
        if (shape == null && o.has("shape")) {
            int[] s = o.dims("shape");
            shape = new int[s.length + 1];
            shape[0] = -1;
            System.arraycopy(s, 0, shape, 1, s.length);
        }
        o.ignore("batch_shape", "batch_input_shape", "shape");
        o.requireAllRead();
        if (shape == null) {
            throw new KerasFileException(o.where() + " has no batch_shape");
        }
        return new InputSpec(name, shape);
    }

    // ---- functional ----

    @SuppressWarnings("unchecked")
    private KerasModel functional(Map<String, Object> model, String kerasVersion, String trainingConfig) {
        if (!(model.get("config") instanceof Map<?, ?> m) || !(m.get("layers") instanceof List<?> entries)) {
            throw new KerasFileException(file + ": a functional model config must hold 'layers'");
        }
        Map<String, Object> cfg = (Map<String, Object>) m;
        List<Graph.Node> nodes = new ArrayList<>();
        for (Object o : entries) {
            Map<String, Object> entry = (Map<String, Object>) o;
            String cls = LayerReader.className(entry);
            Layer layer;
            if (cls.equals("InputLayer")) {
                InputSpec in = input(entry);
                layer = inputFor(in.batchShape(), List.of(), "input '" + in.name() + "'");
                layer.named(in.name());
            } else {
                layer = layers.read(entry).layer();
            }
            nodes.add(new Graph.Node(layer, inbound(entry, layer)));
        }
        List<Graph.Ref> ins = refs(cfg.get("input_layers"), "input_layers");
        List<Graph.Ref> outs = refs(cfg.get("output_layers"), "output_layers");
        // Stateful layers need the input's fixed batch size: rebuild the inputs with it.
        boolean stateful = nodes.stream().anyMatch(n -> stateful(n.layer()));
        if (stateful) {
            List<Graph.Node> fixed = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                Graph.Node n = nodes.get(i);
                if (n.layer() instanceof Input) {
                    InputSpec in = input((Map<String, Object>) entries.get(i));
                    Layer l = inputFor(in.batchShape(), nodes.stream().map(Graph.Node::layer).toList(),
                            "input '" + in.name() + "'");
                    l.named(in.name());
                    n = new Graph.Node(l, n.inputs());
                }
                fixed.add(n);
            }
            nodes = fixed;
        }
        Sequential chain = chain(nodes, ins, outs);
        if (chain != null) {
            return new KerasModel(chain, null, kerasVersion, trainingConfig);
        }
        Graph g = new Graph(nodes, ins.stream().map(Graph.Ref::layer).toList(), outs, Devices.defaultDevice());
        return new KerasModel(null, g, kerasVersion, trainingConfig);
    }

    /** The model as a Sequential when it is one input, then single-input layers each feeding the next. */
    private Sequential chain(List<Graph.Node> nodes, List<Graph.Ref> ins, List<Graph.Ref> outs) {
        if (ins.size() != 1 || outs.size() != 1 || nodes.isEmpty() || !(nodes.get(0).layer() instanceof Input)) {
            return null;
        }
        String prev = nodes.get(0).layer().name();
        for (Graph.Node n : nodes.subList(1, nodes.size())) {
            if (n.layer() instanceof Input || n.inputs().size() != 1 || !n.inputs().get(0).layer().equals(prev)
                    || n.inputs().get(0).tensor() != 0 || returnsExtra(n.layer())) {
                return null;
            }
            prev = n.layer().name();
        }
        if (!outs.get(0).layer().equals(prev) || outs.get(0).tensor() != 0) {
            return null;
        }
        try {
            return Sequential.of(nodes.stream().map(Graph.Node::layer).toArray(Layer[]::new));
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(file + ": the model cannot be built: " + e.getMessage(), e);
        }
    }

    private static boolean returnsExtra(Layer l) {
        return l instanceof Recurrent<?> r ? r.returnState() : l instanceof Bidirectional b
                && (b.forwardLayer().returnState() || b.mergeMode() == io.rnn4j.layers.MergeMode.NONE);
    }

    /** The tensors a layer is called on, from Keras 2's nested lists or Keras 3's args/kwargs. */
    @SuppressWarnings("unchecked")
    private List<Graph.Ref> inbound(Map<String, Object> entry, Layer layer) {
        Object in = entry.get("inbound_nodes");
        List<Graph.Ref> out = new ArrayList<>();
        if (!(in instanceof List<?> calls) || calls.isEmpty()) {
            if (layer instanceof Input) {
                return out;
            }
            throw new KerasFileException(file + ": layer '" + layer.name() + "' (" + layer.className()
                    + ") is not connected (no inbound_nodes)");
        }
        if (calls.size() > 1) {
            throw new KerasFileException("unsupported option: layer '" + layer.name() + "' (" + layer.className()
                    + ") is called " + calls.size() + " times (shared layers are not supported yet)");
        }
        Object call = calls.get(0);
        if (call instanceof List<?> tensors) {
            // Keras 2: [[name, node, tensor, kwargs], ...]
            for (Object t : tensors) {
                List<Object> h = (List<Object>) t;
                out.add(ref(h, layer));
                if (h.size() > 3 && h.get(3) instanceof Map<?, ?> kw) {
                    kwargs((Map<String, Object>) kw, layer, out);
                }
            }
        } else if (call instanceof Map<?, ?> node) {
            // Keras 3: {"args": [tensor or [tensors]], "kwargs": {...}}
            for (Object a : (List<Object>) node.get("args")) {
                collect(a, layer, out);
            }
            if (node.get("kwargs") instanceof Map<?, ?> kw) {
                kwargs((Map<String, Object>) kw, layer, out);
            }
        }
        if (out.isEmpty()) {
            throw new KerasFileException(file + ": layer '" + layer.name() + "' has no input tensor");
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private void kwargs(Map<String, Object> kw, Layer layer, List<Graph.Ref> out) {
        for (Map.Entry<String, Object> e : kw.entrySet()) {
            switch (e.getKey()) {
                case "initial_state" -> collect(e.getValue(), layer, out);
                case "training", "mask" -> {
                    if (e.getKey().equals("mask") && e.getValue() != null) {
                        throw new KerasFileException("unsupported option mask=<tensor> in the call of layer '"
                                + layer.name() + "' (" + layer.className() + ")");
                    }
                }
                default -> throw new KerasFileException("unsupported option " + e.getKey() + "="
                        + Options.show(e.getValue()) + " in the call of layer '" + layer.name() + "' ("
                        + layer.className() + ")");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void collect(Object a, Layer layer, List<Graph.Ref> out) {
        if (a instanceof List<?> l) {
            for (Object x : l) {
                collect(x, layer, out);
            }
        } else if (a instanceof Map<?, ?> t && "__keras_tensor__".equals(t.get("class_name"))
                && t.get("config") instanceof Map<?, ?> c && c.get("keras_history") instanceof List<?> h) {
            out.add(ref((List<Object>) h, layer));
        } else if (a != null) {
            throw new KerasFileException("unsupported call argument " + Options.show(a) + " of layer '"
                    + layer.name() + "' (" + layer.className() + ")");
        }
    }

    private Graph.Ref ref(List<Object> h, Layer layer) {
        if (h.size() < 3 || !(h.get(0) instanceof String name) || !(h.get(1) instanceof Double node)
                || !(h.get(2) instanceof Double tensor)) {
            throw new KerasFileException(file + ": layer '" + layer.name() + "' has a malformed inbound tensor "
                    + Options.show(h));
        }
        if (node != 0) {
            throw new KerasFileException("unsupported option: layer '" + layer.name() + "' takes node " + node.intValue()
                    + " of layer '" + name + "' (shared layers are not supported yet)");
        }
        return new Graph.Ref(name, tensor.intValue());
    }

    @SuppressWarnings("unchecked")
    private List<Graph.Ref> refs(Object v, String key) {
        if (!(v instanceof List<?> l) || l.isEmpty()) {
            throw new KerasFileException(file + ": the functional model config has no " + key);
        }
        List<Graph.Ref> out = new ArrayList<>();
        if (l.get(0) instanceof String) {
            out.add(new Graph.Ref((String) l.get(0), ((Double) l.get(2)).intValue()));
        } else {
            for (Object o : l) {
                List<Object> h = (List<Object>) o;
                out.add(new Graph.Ref((String) h.get(0), ((Double) h.get(2)).intValue()));
            }
        }
        return out;
    }
}
