package io.rnn4j.layers.keras;

import io.rnn4j.layers.Attention;
import io.rnn4j.layers.AdditiveAttention;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.model.Model;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Keras functional config (Keras 2's {@code Model}/{@code Functional} with nested
 * {@code inbound_nodes} lists, Keras 3's with {@code args}/{@code kwargs} and
 * {@code __keras_tensor__} histories) to the layers module's functional {@link Model}: every layer
 * read, then applied to its inputs in the config's order (Keras writes it topologically sorted), so
 * the model trains and saves as one built in Java.
 *
 * <p>Call arguments other than the inputs are taken where they have a counterpart:
 * {@code initial_state} (the extra inputs of a recurrent layer), {@code use_causal_mask} and
 * {@code return_attention_scores} of the attention layers; {@code training} and a null
 * {@code mask} change nothing. Anything else, a mask tensor, or a layer called more than once
 * (shared layers) is refused naming the layer.
 */
final class FunctionalReader {
    /** A layer's output tensor: (layer, tensor index), Keras's keras_history less the node index. */
    record Ref(String layer, int tensor) {
    }

    /** One layer call: its inputs and the options its call gave. */
    private record Call(Layer layer, List<Ref> inputs, boolean causal, boolean scores) {
    }

    private final String file;
    private final ModelReader models;
    private final LayerReader layers;

    FunctionalReader(String file, ModelReader models, LayerReader layers) {
        this.file = file;
        this.models = models;
        this.layers = layers;
    }

    /**
     * The model a functional config describes, built (weights initialised, not loaded), and its
     * layers in the config's order (Keras's {@code model.layers}, which the weight files follow).
     */
    @SuppressWarnings("unchecked")
    Read read(Map<String, Object> model) {
        if (!(model.get("config") instanceof Map<?, ?> m) || !(m.get("layers") instanceof List<?> entries)) {
            throw new KerasFileException(file + ": a functional model config must hold 'layers'");
        }
        Map<String, Object> cfg = (Map<String, Object>) m;
        List<Call> calls = new ArrayList<>();
        List<Map<String, Object>> inputEntries = new ArrayList<>();
        for (Object o : entries) {
            if (!(o instanceof Map<?, ?>)) {
                throw new KerasFileException(file + ": a layer of the functional model is not an object");
            }
            Map<String, Object> entry = (Map<String, Object>) o;
            if (LayerReader.className(entry).equals("InputLayer")) {
                inputEntries.add(entry);
                calls.add(null); // filled below, once it is known whether a stateful layer needs the batch size
                continue;
            }
            Layer layer = layers.read(entry).layer();
            calls.add(call(entry, layer));
        }
        List<Layer> all = calls.stream().filter(c -> c != null).map(Call::layer).toList();
        int k = 0;
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i) == null) {
                ModelReader.InputSpec in = ModelReader.input(inputEntries.get(k++));
                Input input = models.inputFor(in.batchShape(), all, "input '" + in.name() + "'");
                input.named(in.name());
                calls.set(i, new Call(input, List.of(), false, false));
            }
        }
        Map<String, List<SymbolicTensor>> produced = new HashMap<>();
        Map<String, Input> inputs = new HashMap<>();
        for (Call c : calls) {
            Layer l = c.layer();
            if (produced.containsKey(l.name())) {
                throw new KerasFileException(file + ": two layers are named '" + l.name() + "'");
            }
            if (l instanceof Input in) {
                inputs.put(in.name(), in);
                produced.put(in.name(), List.of(in.symbolic()));
                continue;
            }
            List<SymbolicTensor> args = new ArrayList<>();
            for (Ref r : c.inputs()) {
                args.add(tensor(produced, r, "layer '" + l.name() + "' takes"));
            }
            switch (l) {
                case Attention a -> a.useCausalMask(c.causal()).returnAttentionScores(c.scores());
                case AdditiveAttention a -> a.useCausalMask(c.causal()).returnAttentionScores(c.scores());
                default -> {
                }
            }
            try {
                produced.put(l.name(), l.applyAll(args));
            } catch (IllegalArgumentException e) {
                throw new KerasFileException(file + ": layer '" + l.name() + "' (" + l.className()
                        + ") cannot take its inputs " + args.stream().map(t -> Layer.batchless(t.shape())).toList()
                        + ": " + e.getMessage(), e);
            }
        }
        List<Input> ins = new ArrayList<>();
        for (Ref r : refs(cfg.get("input_layers"), "input_layers")) {
            Input in = inputs.get(r.layer());
            if (in == null || r.tensor() != 0) {
                throw new KerasFileException(file + ": input_layers names '" + r.layer() + "', which is not an "
                        + "InputLayer of the model");
            }
            ins.add(in);
        }
        List<SymbolicTensor> outs = new ArrayList<>();
        for (Ref r : refs(cfg.get("output_layers"), "output_layers")) {
            outs.add(tensor(produced, r, "output_layers names"));
        }
        Model built;
        try {
            built = Model.of(ins, outs);
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(file + ": the functional model cannot be built: " + e.getMessage(), e);
        }
        if (cfg.get("name") instanceof String n && !n.isBlank()) {
            built.named(n);
        }
        List<Layer> order = calls.stream().map(Call::layer).toList();
        if (Boolean.FALSE.equals(cfg.get("trainable"))) {
            order.forEach(l -> l.trainable(false));
        }
        return new Read(built, order);
    }

    /** A functional model and its layers in the config's order. */
    record Read(Model model, List<Layer> layers) {
    }

    private SymbolicTensor tensor(Map<String, List<SymbolicTensor>> produced, Ref r, String what) {
        List<SymbolicTensor> s = produced.get(r.layer());
        if (s == null || r.tensor() >= s.size()) {
            throw new KerasFileException(file + ": " + what + " output " + r.tensor() + " of layer '" + r.layer()
                    + "', which " + (s == null ? "comes later or does not exist" : "has " + s.size() + " outputs"));
        }
        return s.get(r.tensor());
    }

    /** The tensors a layer is called on, from Keras 2's nested lists or Keras 3's args/kwargs, and its call options. */
    @SuppressWarnings("unchecked")
    private Call call(Map<String, Object> entry, Layer layer) {
        Object in = entry.get("inbound_nodes");
        if (!(in instanceof List<?> calls) || calls.isEmpty()) {
            throw new KerasFileException(file + ": layer '" + layer.name() + "' (" + layer.className()
                    + ") is not connected (no inbound_nodes)");
        }
        if (calls.size() > 1) {
            throw new KerasFileException("unsupported option: layer '" + layer.name() + "' (" + layer.className()
                    + ") is called " + calls.size() + " times (shared layers are not supported yet)");
        }
        List<Ref> out = new ArrayList<>();
        boolean[] options = new boolean[2];
        Object c = calls.get(0);
        if (c instanceof List<?> tensors) {
            // Keras 2: [[name, node, tensor, kwargs], ...]
            for (Object t : tensors) {
                if (!(t instanceof List<?> h)) {
                    throw new KerasFileException(file + ": layer '" + layer.name() + "' has a malformed inbound tensor "
                            + Options.show(t));
                }
                out.add(ref((List<Object>) h, layer));
                if (h.size() > 3 && h.get(3) instanceof Map<?, ?> kw) {
                    kwargs((Map<String, Object>) kw, layer, out, options);
                }
            }
        } else if (c instanceof Map<?, ?> node && node.get("args") instanceof List<?> args) {
            // Keras 3: {"args": [tensor or [tensors]], "kwargs": {...}}
            for (Object a : args) {
                collect(a, layer, out);
            }
            if (node.get("kwargs") instanceof Map<?, ?> kw) {
                kwargs((Map<String, Object>) kw, layer, out, options);
            }
        } else {
            throw new KerasFileException(file + ": layer '" + layer.name() + "' has a malformed inbound node "
                    + Options.show(c));
        }
        if (out.isEmpty()) {
            throw new KerasFileException(file + ": layer '" + layer.name() + "' has no input tensor");
        }
        return new Call(layer, out, options[0], options[1]);
    }

    @SuppressWarnings("unchecked")
    private void kwargs(Map<String, Object> kw, Layer layer, List<Ref> out, boolean[] options) {
        boolean attention = layer instanceof Attention || layer instanceof AdditiveAttention;
        for (Map.Entry<String, Object> e : kw.entrySet()) {
            Object v = e.getValue();
            switch (e.getKey()) {
                case "initial_state" -> collect(v, layer, out);
                case "training" -> {
                }
                case "mask" -> {
                    if (v != null && !(v instanceof List<?> l && l.stream().allMatch(x -> x == null))) {
                        throw new KerasFileException("unsupported option mask=<tensor> in the call of layer '"
                                + layer.name() + "' (" + layer.className() + ")");
                    }
                }
                case "use_causal_mask" -> options[0] = attention && bool(v, e.getKey(), layer);
                case "return_attention_scores" -> options[1] = attention && bool(v, e.getKey(), layer);
                default -> throw new KerasFileException("unsupported option " + e.getKey() + "=" + Options.show(v)
                        + " in the call of layer '" + layer.name() + "' (" + layer.className() + ")");
            }
            if ((e.getKey().equals("use_causal_mask") || e.getKey().equals("return_attention_scores")) && !attention
                    && Boolean.TRUE.equals(v)) {
                throw new KerasFileException("unsupported option " + e.getKey() + "=true in the call of layer '"
                        + layer.name() + "' (" + layer.className() + ")");
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

    @SuppressWarnings("unchecked")
    private void collect(Object a, Layer layer, List<Ref> out) {
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

    private Ref ref(List<Object> h, Layer layer) {
        if (h.size() < 3 || !(h.get(0) instanceof String name) || !(h.get(1) instanceof Double node)
                || !(h.get(2) instanceof Double tensor)) {
            throw new KerasFileException(file + ": layer '" + layer.name() + "' has a malformed inbound tensor "
                    + Options.show(h));
        }
        if (node != 0) {
            throw new KerasFileException("unsupported option: layer '" + layer.name() + "' takes node "
                    + node.intValue() + " of layer '" + name + "' (shared layers are not supported yet)");
        }
        return new Ref(name, tensor.intValue());
    }

    /** input_layers / output_layers: one [name, node, tensor] or a list of them. */
    @SuppressWarnings("unchecked")
    private List<Ref> refs(Object v, String key) {
        if (!(v instanceof List<?> l) || l.isEmpty()) {
            throw new KerasFileException(file + ": the functional model config has no " + key);
        }
        List<Ref> out = new ArrayList<>();
        List<Object> items = l.get(0) instanceof String ? List.of(l) : (List<Object>) l;
        for (Object o : items) {
            if (!(o instanceof List<?> h) || h.size() < 3 || !(h.get(0) instanceof String name)
                    || !(h.get(2) instanceof Double t)) {
                throw new KerasFileException(file + ": " + key + " holds a malformed entry " + Options.show(o));
            }
            out.add(new Ref(name, t.intValue()));
        }
        return out;
    }
}
