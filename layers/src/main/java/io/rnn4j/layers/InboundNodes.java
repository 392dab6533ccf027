package io.rnn4j.layers;

import io.rnn4j.engine.Devices;
import io.rnn4j.engine.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A layer's applications in functional graphs (Keras's inbound nodes): applying it to symbolic
 * inputs, which builds it on first use and records a {@link Node}, and the outputs of its first
 * application ({@code layer.output}).
 */
final class InboundNodes {
    private final Layer layer;
    private final List<Node> nodes = new ArrayList<>();

    InboundNodes(Layer layer) {
        this.layer = layer;
    }

    /**
     * Applies the layer to {@code inputs}, with an explicit Keras mask for the first one or null,
     * building it on the default device first if it is not; its outputs.
     */
    List<SymbolicTensor> apply(List<? extends Symbolic> inputs, SymbolicTensor mask) {
        String where = layer.where();
        if (layer instanceof Input) {
            throw new IllegalArgumentException("Input '" + layer.name() + "' is not applied to anything; apply "
                    + "layers to it");
        }
        if (inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException(where + " must be applied to at least one input");
        }
        List<SymbolicTensor> in = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Symbolic s = inputs.get(i);
            if (s == null) {
                throw new IllegalArgumentException(where + ": input " + i + " is null");
            }
            in.add(s.symbolic());
            shapes.add(s.symbolic().shape());
        }
        if (mask != null) {
            ExplicitMasks.requireTakesMask(layer.where(), layer);
            LayerShapes.requireMaskFits(layer.where(), in.get(0).shape(), mask.shape());
        }
        if (!layer.isBuilt()) {
            layer.build(shapes, Devices.defaultDevice(), Seeds.next());
        }
        List<Shape> outShapes = layer.outputShapes(List.copyOf(shapes));
        Node node = new Node(layer, nodes.size(), in, mask, outShapes);
        nodes.add(node);
        return node.outputs();
    }

    /** As {@link #apply}, with an explicit mask that must be given. */
    List<SymbolicTensor> applyWithMask(List<? extends Symbolic> inputs, Symbolic mask) {
        if (mask == null) {
            throw new IllegalArgumentException(layer.where() + ": the mask is null; use applyAll(...) for a call "
                    + "without an explicit mask");
        }
        return apply(inputs, mask.symbolic());
    }

    /**
     * The one output of an application of {@code layer}; a layer of several is refused, naming
     * {@code allForm}, the method that gives them all.
     */
    static SymbolicTensor only(Layer layer, List<SymbolicTensor> out, String allForm) {
        if (out.size() != 1) {
            throw new IllegalArgumentException(layer.where() + " gives " + out.size() + " outputs; use " + allForm);
        }
        return out.get(0);
    }

    /** Records an Input's own node (it has no inputs). */
    Node addInputNode(Shape shape) {
        Node node = new Node(layer, 0, List.of(), null, List.of(shape));
        nodes.add(node);
        return node;
    }

    /** The outputs of the first application. */
    List<SymbolicTensor> firstOutputs() {
        if (nodes.isEmpty()) {
            throw new IllegalStateException(layer.where() + " has never been "
                    + "applied, so it has no output tensor; apply it to an Input (or another layer's output) first");
        }
        return nodes.get(0).outputs();
    }

    List<Node> asList() {
        return Collections.unmodifiableList(nodes);
    }
}
