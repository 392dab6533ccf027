package io.rnn4j.layers.model;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.GroupQueryAttention;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.MultiHeadAttention;
import io.rnn4j.layers.Node;
import io.rnn4j.layers.Outputs;
import io.rnn4j.layers.ReversibleEmbedding;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.internal.Piecewise;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The layer graph of a functional model, mapped as Keras's {@code map_graph} maps it: a node's depth
 * is its longest distance to an output; layers are listed by decreasing depth, ties in the order a
 * depth-first walk from the outputs first meets them (Keras's {@code model.layers}, hence its
 * get_weights order); running visits the nodes by decreasing depth, so every node's inputs are ready.
 * Immutable once made; {@link #run} keeps its values in local maps, so it may run on many threads.
 */
final class Graph {
    private final List<SymbolicTensor> inputs;
    private final List<SymbolicTensor> outputs;
    private final List<Node> order;
    private final List<Layer> layers;
    private final Map<Node, Integer> depths;

    private Graph(List<SymbolicTensor> inputs, List<SymbolicTensor> outputs, List<Node> order, List<Layer> layers,
            Map<Node, Integer> depths) {
        this.inputs = inputs;
        this.outputs = outputs;
        this.order = order;
        this.layers = layers;
        this.depths = depths;
    }

    /**
     * Maps the graph from {@code inputs} (Inputs' tensors) to {@code outputs}.
     *
     * @throws IllegalArgumentException for an output that needs an Input not among the inputs
     *                                  ("graph disconnected"), or two layers of one name
     */
    static Graph of(String model, List<SymbolicTensor> inputs, List<SymbolicTensor> outputs) {
        List<Node> postOrder = new ArrayList<>();
        Map<Layer, Integer> firstSeen = new IdentityHashMap<>();
        Set<Node> finished = Collections.newSetFromMap(new IdentityHashMap<>());
        for (SymbolicTensor out : outputs) {
            walk(out.node(), finished, postOrder, firstSeen);
        }
        Map<Node, Integer> nodeDepth = new IdentityHashMap<>();
        Map<Layer, Integer> layerDepth = new IdentityHashMap<>();
        for (int i = postOrder.size() - 1; i >= 0; i--) {
            Node node = postOrder.get(i);
            int depth = Math.max(nodeDepth.getOrDefault(node, 0), layerDepth.getOrDefault(node.layer(), 0));
            layerDepth.put(node.layer(), depth);
            nodeDepth.put(node, depth);
            for (SymbolicTensor in : node.inputsAndMask()) {
                nodeDepth.merge(in.node(), depth + 1, Math::max);
            }
        }
        // Inputs no output needs are still the model's (Keras keeps them, at depth 0, first).
        for (SymbolicTensor in : inputs) {
            if (!layerDepth.containsKey(in.layer())) {
                layerDepth.put(in.layer(), 0);
                firstSeen.put(in.layer(), -1);
                nodeDepth.put(in.node(), 0);
            }
        }
        List<Layer> layers = new ArrayList<>(layerDepth.keySet());
        layers.sort((a, b) -> layerDepth.get(a).equals(layerDepth.get(b))
                ? Integer.compare(firstSeen.get(a), firstSeen.get(b)) : Integer.compare(layerDepth.get(b),
                layerDepth.get(a)));
        List<Node> order = new ArrayList<>(nodeDepth.keySet());
        order.sort((a, b) -> Integer.compare(nodeDepth.get(b), nodeDepth.get(a)));
        checkConnected(model, inputs, order);
        checkNames(model, layers);
        return new Graph(List.copyOf(inputs), List.copyOf(outputs), List.copyOf(order), List.copyOf(layers),
                nodeDepth);
    }

    /** Post-order depth-first walk from a node to the Inputs; layers are numbered when first met. */
    private static void walk(Node node, Set<Node> finished, List<Node> postOrder, Map<Layer, Integer> firstSeen) {
        if (finished.contains(node)) {
            return;
        }
        firstSeen.putIfAbsent(node.layer(), firstSeen.size());
        for (SymbolicTensor in : node.inputsAndMask()) {  // an explicit mask is a parent too, as in Keras
            walk(in.node(), finished, postOrder, firstSeen);
        }
        finished.add(node);
        postOrder.add(node);
    }

    private static void checkConnected(String model, List<SymbolicTensor> inputs, List<Node> order) {
        Set<SymbolicTensor> computable = Collections.newSetFromMap(new IdentityHashMap<>());
        computable.addAll(inputs);
        List<String> accessed = new ArrayList<>();
        for (Node node : order) {
            if (node.isInput()) {
                continue;
            }
            for (SymbolicTensor in : node.inputsAndMask()) {
                if (!computable.contains(in)) {
                    throw new IllegalArgumentException(model + ": graph disconnected: layer '" + node.layer().name()
                            + "' needs " + in + (in.node().isInput() ? ", an Input that is not among the model's "
                            + "inputs " + inputs.stream().map(t -> t.layer().name()).toList() : "")
                            + "; layers reached without issue: " + accessed);
                }
            }
            accessed.add(node.layer().name());
            computable.addAll(node.outputs());
        }
    }

    private static void checkNames(String model, List<Layer> layers) {
        Map<String, Integer> counts = new HashMap<>();
        for (Layer l : layers) {
            counts.merge(l.name(), 1, Integer::sum);
        }
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() > 1) {
                throw new IllegalArgumentException(model + ": the name \"" + e.getKey() + "\" is used " + e.getValue()
                        + " times in the model; every layer name must be unique (rename one with named(...))");
            }
        }
    }

    /** The model's layers, Inputs included, in Keras's order. */
    List<Layer> layers() {
        return layers;
    }

    /** Whether the graph is a plain chain (Keras's sequential_like summary). */
    boolean chainLike() {
        Map<Integer, Integer> perDepth = new HashMap<>();
        for (Node n : order) {
            perDepth.merge(depths.get(n), 1, Integer::sum);
            if (n.inputs().size() > 1 || n.mask() != null) {
                return false;
            }
        }
        if (perDepth.values().stream().anyMatch(c -> c > 1)) {
            return false;
        }
        Set<Layer> seen = new HashSet<>();
        for (Node n : order) {
            if (!seen.add(n.layer())) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code node} belongs to this graph. */
    boolean contains(Node node) {
        return depths.containsKey(node);
    }

    /**
     * The outputs' sample shapes for inputs of {@code shapes}, each layer's computed from its
     * inputs' ({@link Layer#computeOutputShapes}): where an Input says None, given sizes come through.
     */
    List<Shape> outputShapes(List<Shape> shapes) {
        Map<SymbolicTensor, Shape> known = new IdentityHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            known.put(inputs.get(i), shapes.get(i));
        }
        for (Node node : order) {
            if (node.isInput()) {
                continue;
            }
            List<Shape> in = new ArrayList<>();
            for (SymbolicTensor t : node.inputs()) {
                in.add(known.get(t));
            }
            // a ReversibleEmbedding's reverse call maps hidden states to logits
            List<Shape> out = node.layer() instanceof ReversibleEmbedding r && r.isReverse(node)
                    ? r.reverseOutputShapes(in) : node.layer().computeOutputShapes(in);
            for (int j = 0; j < node.outputs().size(); j++) {
                known.put(node.outputs().get(j), out.get(j));
            }
        }
        List<Shape> result = new ArrayList<>();
        for (SymbolicTensor t : outputs) {
            result.add(known.get(t));
        }
        return result;
    }

    /**
     * Runs the layers on batches of the inputs, passing each layer its inputs' Keras masks.
     *
     * @throws IllegalStateException if a layer returns other outputs than it declared when applied
     */
    List<Variable> run(List<Variable> xs, CallContext ctx) {
        return runWithMasks(xs, null, ctx).values();
    }

    /**
     * Runs the layers on batches of the inputs (each with its Keras mask, or none when
     * {@code inputMasks} is null) and gives the outputs with their masks.
     *
     * @throws IllegalStateException if a layer returns other outputs than it declared when applied
     */
    Outputs runWithMasks(List<Variable> xs, List<Tensor> inputMasks, CallContext ctx) {
        Map<SymbolicTensor, Variable> values = new IdentityHashMap<>();
        Map<SymbolicTensor, Tensor> masks = new IdentityHashMap<>();
        Set<SymbolicTensor> unmasked = Collections.newSetFromMap(new IdentityHashMap<>()); // see below
        for (int i = 0; i < inputs.size(); i++) {
            // Keras converts the data of a bool Input to bool: any value other than 0 is true
            // and the data of an int32/int64 Input to integers, cut toward zero as ops.cast does
            Input declared = inputs.get(i).layer() instanceof Input in ? in : null;
            Variable x = xs.get(i);
            if (declared != null && declared.dtype().equals("bool")) {
                x = Variable.constant(Piecewise.nonZero(x.value()));
            } else if (declared != null && declared.isInteger()) {
                x = Variable.constant(truncated(x.value()));
            }
            values.put(inputs.get(i), x);
            masks.put(inputs.get(i), inputMasks == null ? null : inputMasks.get(i));
        }
        for (Node node : order) {
            if (node.isInput()) {
                continue;
            }
            List<Variable> in = new ArrayList<>();
            List<Tensor> inMasks = new ArrayList<>();
            Layer layer = node.layer();
            boolean readsTensorMasks = layer instanceof MultiHeadAttention || layer instanceof GroupQueryAttention;
            for (SymbolicTensor t : node.inputs()) {
                in.add(values.get(t));
                inMasks.add(readsTensorMasks && unmasked.contains(t) ? null : masks.get(t));
            }
            if (node.mask() != null) {
                // Keras's layer(x, mask=m): m replaces the mask x carries; Keras's masks are bool
                inMasks.set(0, Piecewise.nonZero(values.get(node.mask()).value()));
            }
            Outputs out = layer instanceof ReversibleEmbedding r && r.isReverse(node)
                    ? r.reverseWithMask(in.get(0), ctx) : layer.callWithMasks(in, inMasks, ctx);
            List<SymbolicTensor> declared = node.outputs();
            if (out.values().size() != declared.size()) {
                throw new IllegalStateException(layer.name() + " returned " + out.values().size()
                        + " outputs but declared " + declared.size() + " when applied");
            }
            for (int j = 0; j < declared.size(); j++) {
                Shape got = out.values().get(j).shape();
                if (!Layer.fits(declared.get(j).shape(), got)) {
                    throw new IllegalStateException(layer.name() + " output " + j + " has shape " + got
                            + " but was declared " + Layer.batchless(declared.get(j).shape()));
                }
                values.put(declared.get(j), out.values().get(j));
                masks.put(declared.get(j), out.masks().get(j));
            }
            if (layer instanceof MultiHeadAttention mha) {
                // Keras 3's MultiHeadAttention.call deletes the Keras masks of its query, value and key
                // tensors (backend.set_keras_mask(..., None), multi_head_attention.py). A layer with a
                // `mask` argument got its mask recorded in its node when the model was built and keeps
                // it; the attention layers read query_mask/value_mask/key_mask off the tensors when they
                // run, so those that run after this one see none there (its attention_mask input keeps
                // its own).
                int attended = node.inputs().size() - (mha.useAttentionMask() ? 1 : 0);
                unmasked.addAll(node.inputs().subList(0, attended));
            }
        }
        List<Variable> result = new ArrayList<>();
        List<Tensor> resultMasks = new ArrayList<>();
        for (SymbolicTensor t : outputs) {
            result.add(values.get(t));
            resultMasks.add(masks.get(t));
        }
        return new Outputs(result, resultMasks);
    }

    /** Each value cut toward zero (Keras's cast of float data to an int Input's dtype); integers unchanged. */
    private static Tensor truncated(Tensor t) {
        float[] v = t.toArray();
        boolean integral = true;
        for (int i = 0; i < v.length && integral; i++) {
            integral = v[i] == (float) (long) v[i] || !Float.isFinite(v[i]);
        }
        if (integral) {
            return t; // ids as they usually come: nothing to convert
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.isFinite(v[i]) ? (float) (long) v[i] : v[i];
        }
        return t.device().tensor(v, t.shape().dims());
    }

    /** For each layer, the shape(s) of its last application's outputs as Keras's summary prints them. */
    static String shapes(Layer layer) {
        List<Node> nodes = layer.inboundNodes();
        if (nodes.isEmpty()) {
            return layer.isBuilt() ? Layer.batchless(layer.outputShape()) : "?";
        }
        List<SymbolicTensor> outs = nodes.get(nodes.size() - 1).outputs();
        if (outs.size() == 1) {
            return Layer.batchless(outs.get(0).shape());
        }
        return outs.stream().map(t -> Layer.batchless(t.shape())).toList().toString();
    }

    /** What the layer's applications in this graph take, as Keras's "Connected to" column: layer[node][index]. */
    String connections(Layer layer) {
        List<String> c = new ArrayList<>();
        for (Node n : layer.inboundNodes()) {
            if (contains(n)) {
                for (SymbolicTensor t : n.inputsAndMask()) {  // Keras lists an explicit mask too
                    c.add(t.path());
                }
            }
        }
        return c.isEmpty() ? "-" : String.join(", ", c);
    }
}
