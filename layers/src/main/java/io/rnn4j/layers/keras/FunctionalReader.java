package io.rnn4j.layers.keras;

import io.rnn4j.layers.Attention;
import io.rnn4j.layers.AdditiveAttention;
import io.rnn4j.layers.GetItem;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.MultiHeadAttention;
import io.rnn4j.layers.Operation;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Keras functional config (Keras 2's {@code Model}/{@code Functional} with nested
 * {@code inbound_nodes} lists, Keras 3's with {@code args}/{@code kwargs} and
 * {@code __keras_tensor__} histories) to the layers module's functional {@link Model}: every layer
 * read (a nested Sequential or functional model as a layer), then applied to its inputs once per
 * entry of its {@code inbound_nodes} (a shared layer has several), so the model trains and saves as
 * one built in Java.
 *
 * <p>Calls are made as Keras's {@code functional_from_config} makes them: layer by layer in the
 * config's order, each layer's calls in order, a call whose inputs do not exist yet (a layer shared
 * at several depths) waiting for the next pass. A tensor is named by (layer, node, tensor): node
 * counts that layer's calls in this model; a nested model's calls count from 1 where Keras writes
 * them so — everywhere in Keras 2 files (its models start with a node of their own), in Keras 3 only
 * in {@code output_layers}.
 *
 * <p>Call arguments other than the inputs are taken where they have a counterpart:
 * {@code initial_state} (the extra inputs of a recurrent layer), {@code use_causal_mask} and
 * {@code return_attention_scores} of the attention layers (MultiHeadAttention's calls, with their
 * named tensors, are read by {@link MultiHeadAttentionCalls}); {@code training} and a null
 * {@code mask} change nothing; a mask that Keras computed for an Embedding or Masking is read by
 * {@link MaskOps} (rnn4j passes those on itself), any other mask tensor (an Input's, as the
 * video-classification example's {@code GRU(16)(features, mask=mask_input)}, or a layer's output)
 * becomes the call's explicit mask ({@code applyWithMask}). Anything else is refused naming the
 * layer. An
 * operation's calls (x[key], x + 0.5, ...) hold its arguments beside its tensors: {@link GetItemCalls}
 * and {@link OperationCalls} read them.
 */
final class FunctionalReader {
    /** A layer's output tensor: Keras's keras_history (layer, node, tensor). */
    record Ref(String layer, int node, int tensor) {
        /** A Keras 3 {@code __keras_tensor__} argument's history, or null when {@code a} is not one. */
        static Ref of(Object a) {
            if (a instanceof Map<?, ?> t && "__keras_tensor__".equals(t.get("class_name"))
                    && t.get("config") instanceof Map<?, ?> c && c.get("keras_history") instanceof List<?> h
                    && h.size() >= 3 && h.get(0) instanceof String layer && h.get(1) instanceof Double node
                    && h.get(2) instanceof Double index && node >= 0 && index >= 0) {
                return new Ref(layer, node.intValue(), index.intValue());
            }
            return null;
        }
    }

    /** A call's {@code mask} argument: the tensors it names, and whether it was one tensor (not a list). */
    private record MaskArg(List<Ref> refs, boolean single) {
    }

    /** One layer call: its inputs and the options its call gave. */
    private record Call(Layer layer, List<Ref> inputs, boolean causal, boolean scores, boolean attentionMask) {
    }

    private final String file;
    private final ModelReader models;
    private final LayerReader layers;
    /** Whether the config is Keras 2's (inbound nodes as lists), which numbers a nested model's nodes from 1. */
    private boolean legacyNodes;
    /** The nested models whose first node Keras 2 left out (they were built with an input). */
    private final Set<Layer> skipFirstNode = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<String, Layer> byName = new HashMap<>();
    /** Keras 3's recorded mask computations, and the layers given one of their masks (see {@link MaskOps}). */
    private final Map<String, MaskOps.MaskOp> maskOps = new HashMap<>();
    /** Each recorded mask computation's entry, and its place among the model's layers. */
    private final Map<String, Map.Entry<Integer, Map<String, Object>>> maskEntries = new HashMap<>();
    /** The mask tensors each call was given by name ({@code "kwargs": {"mask": ...}}), by identity. */
    private final Map<Call, MaskArg> callMasks = new IdentityHashMap<>();
    /** The calls whose mask is a tensor of the model (not one of {@link #maskOps}): applied with it. */
    private final Map<Call, Ref> tensorMasks = new IdentityHashMap<>();
    /** The calls made with reverse=True (a ReversibleEmbedding's), by identity. */
    private final Set<Call> reverseCalls = Collections.newSetFromMap(new IdentityHashMap<>());

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
        List<Layer> order = new ArrayList<>();
        Map<Layer, List<Call>> calls = new LinkedHashMap<>();
        List<Map<String, Object>> inputEntries = new ArrayList<>();
        Set<String> maskSources = MaskOps.sources(entries);
        for (Object o : entries) {
            if (!(o instanceof Map<?, ?>)) {
                throw new KerasFileException(file + ": a layer of the functional model is not an object");
            }
            Map<String, Object> entry = (Map<String, Object>) o;
            if (LayerReader.className(entry).equals("InputLayer")) {
                inputEntries.add(entry);
                order.add(null); // made below, once it is known whether a stateful layer needs the batch size
                continue;
            }
            MaskOps.MaskOp op = maskOp(entry, maskSources);
            if (op != null) {
                maskOps.put(op.name(), op);
                maskEntries.put(op.name(), Map.entry(order.size(), entry));
                continue;
            }
            Layer layer = models.layer(entry).layer();
            if (layer instanceof Sequential s && s.isBuilt() || layer instanceof Model) {
                skipFirstNode.add(layer);
            }
            order.add(layer);
            calls.put(layer, calls(entry, layer));
        }
        readMaskOpsAsOperations(order, calls);
        List<Layer> all = order.stream().filter(l -> l != null).toList();
        callMasks.forEach(this::readMask);
        Map<String, List<List<SymbolicTensor>>> produced = new HashMap<>();
        Map<String, Input> inputs = new HashMap<>();
        int k = 0;
        for (int i = 0; i < order.size(); i++) {
            if (order.get(i) == null) {
                ModelReader.InputSpec in = ModelReader.input(inputEntries.get(k++));
                Input input = models.inputFor(in.batchShape(), all, "input '" + in.name() + "'");
                input.named(in.name());
                if (!in.dtype().equals("float32")) {
                    input.dtype(in.dtype()); // kept, so that saving writes it back (a custom layer may need ints)
                }
                order.set(i, input);
            }
            Layer l = order.get(i);
            if (produced.containsKey(l.name())) {
                throw new KerasFileException(file + ": two layers are named '" + l.name() + "'");
            }
            produced.put(l.name(), new ArrayList<>());
            byName.put(l.name(), l);
            if (l instanceof Input in) {
                inputs.put(in.name(), in);
                produced.get(in.name()).add(List.of(in.symbolic()));
            }
        }
        applyAll(calls, produced);
        List<Input> ins = new ArrayList<>();
        for (Ref r : refs(cfg.get("input_layers"), "input_layers")) {
            Input in = inputs.get(r.layer());
            if (in == null || r.node() != 0 || r.tensor() != 0) {
                throw new KerasFileException(file + ": input_layers names '" + r.layer() + "', which is not an "
                        + "InputLayer of the model");
            }
            ins.add(in);
        }
        List<SymbolicTensor> outs = new ArrayList<>();
        for (Ref r : refs(cfg.get("output_layers"), "output_layers")) {
            SymbolicTensor t = tensor(produced, r, true, "output_layers names");
            if (t == null) {
                throw new KerasFileException(file + ": output_layers names node " + r.node() + " of layer '"
                        + r.layer() + "', which is not called that often");
            }
            outs.add(t);
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
        if (Boolean.FALSE.equals(cfg.get("trainable"))) {
            order.forEach(l -> l.trainable(false));
            built.trainable(false);
        }
        return new Read(built, order);
    }

    /** A NotEqual or Any entry that computes a mask as Embedding or Masking does, or null: an operation. */
    private MaskOps.MaskOp maskOp(Map<String, Object> entry, Set<String> maskSources) {
        if (!MaskOps.isMaskOp(entry, maskSources)) {
            return null;
        }
        try {
            return MaskOps.read(file, entry);
        } catch (KerasFileException e) {
            return null; // another form (not_equal(a, b), any over another axis): the operation it is
        }
    }

    /**
     * Makes the recorded mask computations that are not the mask of an Embedding or Masking on the
     * same tensor into the operations they are (Keras's {@code mask=ops.not_equal(m, 0)}, an Any with
     * the NotEqual it reads), at their place in the config's order: their calls then take them as
     * explicit masks. A list of masks holding one is refused by {@link #readMask}.
     */
    private void readMaskOpsAsOperations(List<Layer> order, Map<Layer, List<Call>> calls) {
        List<Layer> layers = order.stream().filter(l -> l != null).toList();
        Set<String> operations = new java.util.TreeSet<>();
        callMasks.forEach((call, mask) -> {
            for (Ref ref : mask.refs()) {
                if (maskOps.containsKey(ref.layer()) && !MaskOps.passedOn(ref, maskOps, layers, (l, r) -> calls
                        .get(l).stream().anyMatch(c -> !c.inputs().isEmpty() && c.inputs().get(0).equals(r)))) {
                    String inner = MaskOps.inner(ref.layer(), maskOps);
                    if (inner != null) { // any(not_equal(x, v), axis=-1) of no Masking here: both operations
                        operations.add(inner);
                    }
                    operations.add(ref.layer());
                }
            }
        });
        List<String> made = operations.stream().sorted(java.util.Comparator.comparing(n -> maskEntries.get(n)
                .getKey())).toList();
        int inserted = 0;
        for (String name : made) {
            Map.Entry<Integer, Map<String, Object>> e = maskEntries.get(name);
            Layer layer = models.layer(e.getValue()).layer();
            maskOps.remove(name);
            order.add(e.getKey() + inserted++, layer);
            calls.put(layer, calls(e.getValue(), layer));
        }
    }

    /**
     * Sorts a call's mask argument: one Keras computed for an Embedding or Masking is checked and
     * dropped (rnn4j passes it on itself); one tensor of the model is the call's explicit mask.
     */
    private void readMask(Call call, MaskArg mask) {
        Layer layer = call.layer();
        for (Ref ref : mask.refs()) {
            if (maskOps.containsKey(ref.layer())) {
                continue; // passed on by rnn4j itself (see readMaskOpsAsOperations)
            } else if (mask.single()) {
                tensorMasks.put(call, ref);
            } else {
                throw new KerasFileException(file + ": the masks passed to layer '" + layer.name() + "' ("
                        + layer.className() + ") are a list holding '" + ref.layer() + "'; rnn4j takes one mask "
                        + "tensor for a call (its first input's), or the masks Keras computes for Embedding(mask_zero) "
                        + "and Masking");
            }
        }
    }

    /**
     * Makes every call, layer by layer in the config's order, each layer's in order; a call whose
     * inputs are not made yet waits for the next pass, as Keras's from_config does.
     */
    private void applyAll(Map<Layer, List<Call>> calls, Map<String, List<List<SymbolicTensor>>> produced) {
        Map<Layer, Deque<Call>> pending = new LinkedHashMap<>();
        calls.forEach((l, c) -> pending.put(l, new ArrayDeque<>(c)));
        while (!pending.isEmpty()) {
            boolean progress = false;
            for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                Deque<Call> queue = e.getValue();
                while (!queue.isEmpty()) {
                    List<SymbolicTensor> args = inputsOf(queue.peek(), produced);
                    if (args == null) {
                        break;
                    }
                    Call c = queue.poll();
                    produced.get(c.layer().name()).add(apply(c, args));
                    progress = true;
                }
                if (queue.isEmpty()) {
                    it.remove();
                }
            }
            if (!progress) {
                Call stuck = pending.values().iterator().next().peek();
                throw new KerasFileException(file + ": layer '" + stuck.layer().name() + "' is called on "
                        + stuck.inputs().stream().map(r -> r.layer() + "[" + r.node() + "][" + r.tensor() + "]").toList()
                        + ", which no call of the model makes");
            }
        }
    }

    /** The tensors a call takes, or null while one of them is not made yet. */
    private List<SymbolicTensor> inputsOf(Call c, Map<String, List<List<SymbolicTensor>>> produced) {
        List<SymbolicTensor> args = new ArrayList<>();
        List<Ref> refs = new ArrayList<>(c.inputs());
        if (tensorMasks.containsKey(c)) {
            refs.add(tensorMasks.get(c)); // the mask comes last, as Node.inputsAndMask() lists it
        }
        for (Ref r : refs) {
            SymbolicTensor t = tensor(produced, r, false, "layer '" + c.layer().name() + "' takes");
            if (t == null) {
                return null;
            }
            args.add(t);
        }
        return args;
    }

    private List<SymbolicTensor> apply(Call c, List<SymbolicTensor> args) {
        Layer l = c.layer();
        switch (l) {
            case Attention a -> a.useCausalMask(c.causal()).returnAttentionScores(c.scores());
            case AdditiveAttention a -> a.useCausalMask(c.causal()).returnAttentionScores(c.scores());
            case MultiHeadAttention m -> multiHeadAttentionOptions(m, c);
            case io.rnn4j.layers.GroupQueryAttention g -> groupQueryAttentionOptions(g, c);
            default -> {
            }
        }
        try {
            if (l instanceof io.rnn4j.layers.ReversibleEmbedding r && reverseCalls.contains(c)) {
                return List.of(r.applyReverse(args.get(0))); // Keras's call(h, reverse=True)
            }
            if (tensorMasks.containsKey(c)) {  // layer(x, mask=m)
                return l.applyAllWithMask(args.subList(0, args.size() - 1), args.get(args.size() - 1));
            }
            return l.applyAll(args);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new KerasFileException(file + ": layer '" + l.name() + "' (" + l.className()
                    + ") cannot take its inputs " + args.stream().map(t -> Layer.batchless(t.shape())).toList()
                    + ": " + e.getMessage(), e);
        }
    }

    /** Sets a MultiHeadAttention's call options; a shared one must be called with the same options each time. */
    private void multiHeadAttentionOptions(MultiHeadAttention m, Call c) {
        if (!m.isBuilt()) {
            m.useCausalMask(c.causal()).returnAttentionScores(c.scores()).useAttentionMask(c.attentionMask());
        } else if (m.useCausalMask() != c.causal() || m.returnAttentionScores() != c.scores()
                || m.useAttentionMask() != c.attentionMask()) {
            throw new KerasFileException(file + ": layer '" + m.name() + "' (MultiHeadAttention) is called with "
                    + "different use_causal_mask, return_attention_scores or attention_mask in its calls; rnn4j "
                    + "takes them as options of the layer");
        }
    }

    /** Sets a GroupQueryAttention's call options, as {@link #multiHeadAttentionOptions}. */
    private void groupQueryAttentionOptions(io.rnn4j.layers.GroupQueryAttention g, Call c) {
        if (!g.isBuilt()) {
            try {
                g.useCausalMask(c.causal()).returnAttentionScores(c.scores()).useAttentionMask(c.attentionMask());
            } catch (IllegalArgumentException e) {
                throw new KerasFileException(file + ": " + e.getMessage(), e);
            }
        } else if (g.useCausalMask() != c.causal() || g.returnAttentionScores() != c.scores()
                || g.useAttentionMask() != c.attentionMask()) {
            throw new KerasFileException(file + ": layer '" + g.name() + "' (GroupQueryAttention) is called with "
                    + "different use_causal_mask, return_attention_scores or attention_mask in its calls; rnn4j "
                    + "takes them as options of the layer");
        }
    }

    /** A functional model and its layers in the config's order. */
    record Read(Model model, List<Layer> layers) {
    }

    /**
     * The tensor (layer, node, tensor) names, or null while that call is not made yet.
     *
     * @param output whether it is named by output_layers (where Keras 3 counts a nested model's nodes from 1)
     */
    private SymbolicTensor tensor(Map<String, List<List<SymbolicTensor>>> produced, Ref r, boolean output,
            String what) {
        List<List<SymbolicTensor>> nodes = produced.get(r.layer());
        if (nodes == null && maskOps.containsKey(r.layer())) {
            throw new KerasFileException(file + ": " + what + " the mask computed by '" + r.layer() + "' as a tensor; "
                    + "rnn4j reads Keras's recorded mask computations only as a layer's mask");
        }
        if (nodes == null) {
            throw new KerasFileException(file + ": " + what + " output " + r.tensor() + " of layer '" + r.layer()
                    + "', which does not exist");
        }
        Layer target = byName.get(r.layer());
        int node = r.node() - (target == null ? 0 : firstNode(target, output));
        if (node < 0) {
            throw new KerasFileException(file + ": " + what + " node " + r.node() + " of layer '" + r.layer()
                    + "', a model whose calls Keras numbers from " + firstNode(target, output));
        }
        if (node >= nodes.size()) {
            return null;
        }
        List<SymbolicTensor> outs = nodes.get(node);
        if (r.tensor() >= outs.size()) {
            throw new KerasFileException(file + ": " + what + " output " + r.tensor() + " of layer '" + r.layer()
                    + "', which has " + outs.size() + " outputs");
        }
        return outs.get(r.tensor());
    }

    /** The node number Keras gives a layer's first call in this model (see the class comment). */
    private int firstNode(Layer target, boolean output) {
        if (legacyNodes) {
            return skipFirstNode.contains(target) ? 1 : 0;
        }
        return output && target instanceof Model ? 1 : 0;
    }

    /** Every call of a layer: the tensors of each entry of its inbound_nodes and the options each gave. */
    @SuppressWarnings("unchecked")
    private List<Call> calls(Map<String, Object> entry, Layer layer) {
        if (layer instanceof MultiHeadAttention || layer instanceof io.rnn4j.layers.GroupQueryAttention) {
            List<MultiHeadAttentionCalls.Parsed> parsed = MultiHeadAttentionCalls.calls(file, entry, layer);
            legacyNodes |= parsed.stream().anyMatch(MultiHeadAttentionCalls.Parsed::legacy);
            return parsed.stream().map(c -> new Call(layer, c.inputs(), c.causal(), c.scores(), c.attentionMask()))
                    .toList();
        }
        if (layer instanceof GetItem g) {
            // Its inbound nodes hold the key beside the tensor: x[key] is Keras's GetItem(x, key).
            // tf.keras 2's SlicingOpLambda writes them in its own flat form (TfOpLayers).
            boolean tfKeras2 = TfOpLayers.isSlicing(entry);
            legacyNodes |= tfKeras2;
            List<Ref> refs = tfKeras2 ? TfOpLayers.calls(file, entry, g) : GetItemCalls.calls(file, entry, g);
            return refs.stream().map(r -> new Call(layer, List.of(r), false, false, false)).toList();
        }
        if (layer instanceof Operation op) { // numbers beside the tensors in its calls' args
            return OperationCalls.calls(file, entry, op).stream().map(r -> new Call(layer, r, false, false, false))
                    .toList();
        }
        Object in = entry.get("inbound_nodes");
        if (!(in instanceof List<?> nodes) || nodes.isEmpty()) {
            throw new KerasFileException(file + ": layer '" + layer.name() + "' (" + layer.className()
                    + ") is not connected (no inbound_nodes)");
        }
        List<Call> out = new ArrayList<>();
        for (Object c : nodes) {
            out.add(call(c, layer));
        }
        return out;
    }

    /** One call: from Keras 2's nested lists or Keras 3's args/kwargs. */
    @SuppressWarnings("unchecked")
    private Call call(Object c, Layer layer) {
        List<Ref> out = new ArrayList<>();
        boolean[] options = new boolean[3];
        List<MaskArg> mask = new ArrayList<>();
        if (c instanceof List<?> tensors) {
            // Keras 2: [[name, node, tensor, kwargs], ...]
            legacyNodes = true;
            for (Object t : tensors) {
                if (!(t instanceof List<?> h)) {
                    throw new KerasFileException(file + ": layer '" + layer.name() + "' has a malformed inbound tensor "
                            + Options.show(t));
                }
                out.add(ref((List<Object>) h, layer));
                if (h.size() > 3 && h.get(3) instanceof Map<?, ?> kw) {
                    kwargs((Map<String, Object>) kw, layer, out, options, mask);
                }
            }
        } else if (c instanceof Map<?, ?> node && node.get("args") instanceof List<?> args) {
            // Keras 3: {"args": [tensor or [tensors]], "kwargs": {...}}
            for (Object a : args) {
                collect(a, layer, out);
            }
            if (node.get("kwargs") instanceof Map<?, ?> kw) {
                kwargs((Map<String, Object>) kw, layer, out, options, mask);
            }
        } else {
            throw new KerasFileException(file + ": layer '" + layer.name() + "' has a malformed inbound node "
                    + Options.show(c));
        }
        if (out.isEmpty()) {
            throw new KerasFileException(file + ": layer '" + layer.name() + "' has no input tensor");
        }
        Call call = new Call(layer, out, options[0], options[1], false);
        if (options[2]) {
            reverseCalls.add(call);
        }
        if (!mask.isEmpty() && !mask.get(0).refs().isEmpty()) {
            callMasks.put(call, mask.get(0));
        }
        return call;
    }

    @SuppressWarnings("unchecked")
    private void kwargs(Map<String, Object> kw, Layer layer, List<Ref> out, boolean[] options, List<MaskArg> mask) {
        boolean attention = layer instanceof Attention || layer instanceof AdditiveAttention;
        for (Map.Entry<String, Object> e : kw.entrySet()) {
            Object v = e.getValue();
            switch (e.getKey()) {
                case "initial_state" -> collect(v, layer, out);
                case "training" -> {
                }
                case "mask" -> {  // given, or the one Keras 3.15 computed and passes; sorted in read (readMask)
                    List<Ref> masks = new ArrayList<>();
                    collect(v, layer, masks);
                    mask.add(new MaskArg(masks, !(v instanceof List<?>)));
                }
                case "use_causal_mask" -> options[0] = attention && bool(v, e.getKey(), layer);
                case "return_attention_scores" -> options[1] = attention && bool(v, e.getKey(), layer);
                case "reverse" -> options[2] = bool(v, e.getKey(), layer);
                default -> throw new KerasFileException("unsupported option " + e.getKey() + "=" + Options.show(v)
                        + " in the call of layer '" + layer.name() + "' (" + layer.className() + ")");
            }
            if ((e.getKey().equals("use_causal_mask") || e.getKey().equals("return_attention_scores")) && !attention
                    && Boolean.TRUE.equals(v) || e.getKey().equals("reverse") && options[2]
                    && !(layer instanceof io.rnn4j.layers.ReversibleEmbedding)) {
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
                || !(h.get(2) instanceof Double tensor) || node < 0 || tensor < 0) {
            throw new KerasFileException(file + ": layer '" + layer.name() + "' has a malformed inbound tensor "
                    + Options.show(h));
        }
        return new Ref(name, node.intValue(), tensor.intValue());
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
                    || !(h.get(1) instanceof Double node) || !(h.get(2) instanceof Double t) || node < 0 || t < 0) {
                throw new KerasFileException(file + ": " + key + " holds a malformed entry " + Options.show(o));
            }
            out.add(new Ref(name, node.intValue(), t.intValue()));
        }
        return out;
    }
}
