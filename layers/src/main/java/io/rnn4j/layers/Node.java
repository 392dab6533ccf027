package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * One application of a layer in a functional graph, as Keras's Node: the layer, the symbolic
 * tensors it was applied to (and the mask tensor it was given explicitly, Keras's
 * {@code layer(x, mask=m)}), and the ones it produced. An {@link Input}'s node has no inputs.
 */
public final class Node {
    private final Layer layer;
    private final int index;
    private final List<SymbolicTensor> inputs;
    private final List<SymbolicTensor> outputs;
    private final SymbolicTensor mask;

    Node(Layer layer, int index, List<SymbolicTensor> inputs, SymbolicTensor mask, List<Shape> outputShapes) {
        this.layer = layer;
        this.index = index;
        this.inputs = List.copyOf(inputs);
        this.mask = mask;
        List<SymbolicTensor> out = new ArrayList<>();
        for (int i = 0; i < outputShapes.size(); i++) {
            out.add(new SymbolicTensor(this, i, outputShapes.get(i)));
        }
        this.outputs = List.copyOf(out);
    }

    public Layer layer() {
        return layer;
    }

    /** Which application of its layer this is (Keras's node_index). */
    public int index() {
        return index;
    }

    /** The tensors the layer was applied to, in order. */
    public List<SymbolicTensor> inputs() {
        return inputs;
    }

    /**
     * The mask tensor this application was given explicitly ({@link Layer#applyWithMask}, Keras's
     * {@code mask=} keyword), or null: then the layer gets the mask its first input carries.
     */
    public SymbolicTensor mask() {
        return mask;
    }

    /** Every tensor this application reads: its inputs, then its explicit mask if it has one (Keras's parents). */
    public List<SymbolicTensor> inputsAndMask() {
        if (mask == null) {
            return inputs;
        }
        List<SymbolicTensor> all = new ArrayList<>(inputs);
        all.add(mask);
        return List.copyOf(all);
    }

    /** The tensors the layer produced, in order. */
    public List<SymbolicTensor> outputs() {
        return outputs;
    }

    /** Whether this is an {@link Input}'s node. */
    public boolean isInput() {
        return layer instanceof Input;
    }

    @Override
    public String toString() {
        return "Node(" + layer.name() + "[" + index + "])";
    }
}
