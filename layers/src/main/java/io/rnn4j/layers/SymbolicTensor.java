package io.rnn4j.layers;

import io.rnn4j.engine.Shape;

/**
 * A placeholder for a value in a functional graph, as Keras's KerasTensor: output {@link #index()}
 * of a {@link Node} (one application of a layer), with the shape of one sample (no batch
 * dimension). It holds no data; a model built from it computes the data.
 */
public final class SymbolicTensor implements Symbolic {
    private final Node node;
    private final int index;
    private final Shape shape;

    SymbolicTensor(Node node, int index, Shape shape) {
        this.node = node;
        this.index = index;
        this.shape = shape;
    }

    /** The application of a layer that produces this tensor. */
    public Node node() {
        return node;
    }

    /** The layer that produces this tensor. */
    public Layer layer() {
        return node.layer();
    }

    /** Which output of its node this is (Keras's tensor_index). */
    public int index() {
        return index;
    }

    /** The shape of one sample, without the batch dimension. */
    public Shape shape() {
        return shape;
    }

    @Override
    public SymbolicTensor symbolic() {
        return this;
    }

    /** As Keras names it in summaries: {@code layer[node][index]}. */
    public String path() {
        return node.layer().name() + "[" + node.index() + "][" + index + "]";
    }

    @Override
    public String toString() {
        return "<SymbolicTensor shape=" + Layer.batchless(shape) + ", from " + path() + ">";
    }
}
