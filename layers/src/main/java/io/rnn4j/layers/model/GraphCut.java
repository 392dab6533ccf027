package io.rnn4j.layers.model;

import io.rnn4j.layers.Input;
import io.rnn4j.layers.Node;
import io.rnn4j.layers.Symbolic;
import io.rnn4j.layers.SymbolicTensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A model's inputs when some are tensors inside a graph, as Keras 3's {@code clone_graph_nodes}:
 * each such tensor gets a new Input of its shape (and its graph's fixed batch size), and the
 * layers between it and the outputs are applied again to the new Inputs, sharing their weights.
 */
final class GraphCut {
    private final List<Input> inputs;
    /** Each tensor given as an input that is not an Input's, to the new Input's tensor. */
    private final Map<SymbolicTensor, SymbolicTensor> replaced;
    /** Each old node applied again, to its new outputs. */
    private final Map<Node, List<SymbolicTensor>> reapplied = new IdentityHashMap<>();

    private GraphCut(List<Input> inputs, Map<SymbolicTensor, SymbolicTensor> replaced) {
        this.inputs = inputs;
        this.replaced = replaced;
    }

    /**
     * The Inputs standing for {@code inputs}: an Input (or its tensor) itself, a tensor inside a
     * graph a new Input.
     *
     * @throws IllegalArgumentException for an input given twice
     */
    static GraphCut of(List<? extends Symbolic> inputs) {
        List<Input> in = new ArrayList<>();
        Map<SymbolicTensor, SymbolicTensor> replaced = new IdentityHashMap<>();
        for (Symbolic s : inputs) {
            SymbolicTensor t = Objects.requireNonNull(s, "input").symbolic();
            Input i;
            if (t.layer() instanceof Input given) {
                i = given;
            } else if (replaced.containsKey(t)) {
                i = (Input) replaced.get(t).layer();
            } else {
                int batch = fixedBatch(t.node(), Collections.newSetFromMap(new IdentityHashMap<>()));
                i = batch > 0 ? Input.batchShape(batch, t.shape().dims()) : Input.shape(t.shape().dims());
                replaced.put(t, i.symbolic());
            }
            if (in.contains(i)) {
                throw new IllegalArgumentException("Model.of: input '" + (t.layer() instanceof Input ? i.name()
                        : t.path()) + "' is given twice");
            }
            in.add(i);
        }
        return new GraphCut(in, replaced);
    }

    List<Input> inputs() {
        return inputs;
    }

    /** The outputs computed from the Inputs (unchanged when every input was an Input). */
    List<SymbolicTensor> rebased(List<? extends Symbolic> outputs) {
        List<SymbolicTensor> out = new ArrayList<>();
        for (Symbolic s : outputs) {
            SymbolicTensor t = Objects.requireNonNull(s, "output").symbolic();
            out.add(replaced.isEmpty() ? t : rebased(t));
        }
        return out;
    }

    /** {@code t} from the new Inputs: each node that depends on one is applied again (once). */
    private SymbolicTensor rebased(SymbolicTensor t) {
        SymbolicTensor r = replaced.get(t);
        if (r != null) {
            return r;
        }
        Node node = t.node();
        if (node.isInput()) {
            return t;
        }
        List<SymbolicTensor> done = reapplied.get(node);
        if (done == null) {
            List<SymbolicTensor> in = new ArrayList<>();
            boolean changed = false;
            for (SymbolicTensor x : node.inputs()) {
                SymbolicTensor y = rebased(x);
                changed |= y != x;
                in.add(y);
            }
            SymbolicTensor mask = node.mask() == null ? null : rebased(node.mask());
            changed |= mask != node.mask();
            done = !changed ? node.outputs() : mask == null ? node.layer().applyAll(in)
                    : node.layer().applyAllWithMask(in, mask);
            reapplied.put(node, done);
        }
        return done.get(t.index());
    }

    /** The fixed batch size of an Input {@code node} is computed from, or 0 when none has one. */
    private static int fixedBatch(Node node, Set<Node> seen) {
        if (!seen.add(node)) {
            return 0;
        }
        if (node.isInput()) {
            return node.layer().fixedBatchSize();
        }
        for (SymbolicTensor x : node.inputsAndMask()) {
            int b = fixedBatch(x.node(), seen);
            if (b > 0) {
                return b;
            }
        }
        return 0;
    }
}
