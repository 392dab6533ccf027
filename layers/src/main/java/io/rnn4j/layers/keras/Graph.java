package io.rnn4j.layers.keras;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.MergeMode;
import io.rnn4j.layers.Recurrent;
import io.rnn4j.layers.RnnOutput;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.autograd.Autograd;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Keras functional model that is not a plain chain — several inputs, a recurrent layer given
 * its {@code initial_state} from another input, or states returned with {@code return_state} — run
 * for inference: its nodes in the config's (topological) order, each layer called once.
 *
 * <p>It exists because the layers module has no functional model yet; a chain of single-input
 * layers is loaded as a {@link io.rnn4j.layers.model.Sequential} instead, which also trains.
 */
final class Graph {
    /** A layer's output tensor: (layer, tensor index), Keras's keras_history less the node index. */
    record Ref(String layer, int tensor) {
    }

    /** One layer call: its inputs (the first is the layer's input, the rest a recurrent layer's initial states). */
    record Node(Layer layer, List<Ref> inputs) {
    }

    private final List<Node> nodes;
    private final List<String> inputs;
    private final List<Ref> outputs;
    private final Map<String, List<Shape>> shapes = new HashMap<>();

    Graph(List<Node> nodes, List<String> inputs, List<Ref> outputs, Device device) {
        this.nodes = List.copyOf(nodes);
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        build(device);
    }

    private void build(Device device) {
        for (Node n : nodes) {
            Layer l = n.layer();
            if (l instanceof Input in) {
                in.build(in.sampleShape(), device, Seeds.next());
                shapes.put(l.name(), List.of(in.sampleShape()));
                continue;
            }
            Shape in = shape(n.inputs().get(0));
            try {
                l.build(in, device, Seeds.next());
            } catch (IllegalArgumentException e) {
                throw new KerasFileException("layer '" + l.name() + "' (" + l.className() + ") cannot take its input "
                        + Layer.batchless(in) + ": " + e.getMessage(), e);
            }
            int states = n.inputs().size() - 1;
            if (states > 0 && states != stateCount(l)) {
                throw new KerasFileException("layer '" + l.name() + "' (" + l.className() + ") is called with "
                        + n.inputs().size() + " inputs; only a recurrent layer's initial_state ("
                        + stateCount(l) + " tensors) may follow its input");
            }
            List<Shape> out = new ArrayList<>();
            out.add(l.outputShape());
            if (l instanceof Bidirectional b && b.mergeMode() == MergeMode.NONE) {
                out.add(b.forwardLayer().outputShape());
            }
            if (returnsState(l)) {
                for (int i = 0; i < stateCount(l); i++) {
                    out.add(Shape.of(units(l)));
                }
            }
            shapes.put(l.name(), out);
        }
        for (Ref r : outputs) {
            shape(r);
        }
    }

    private Shape shape(Ref r) {
        List<Shape> s = shapes.get(r.layer());
        if (s == null || r.tensor() >= s.size()) {
            throw new KerasFileException("the model refers to output " + r.tensor() + " of layer '" + r.layer()
                    + "', which " + (s == null ? "comes later or does not exist" : "has " + s.size() + " outputs"));
        }
        return s.get(r.tensor());
    }

    private static int stateCount(Layer l) {
        return switch (l) {
            case Recurrent<?> r -> r.stateCount();
            case Bidirectional b -> 2 * b.forwardLayer().stateCount();
            default -> 0;
        };
    }

    private static boolean returnsState(Layer l) {
        return l instanceof Recurrent<?> r ? r.returnState()
                : l instanceof Bidirectional b && b.forwardLayer().returnState();
    }

    private static int units(Layer l) {
        return l instanceof Bidirectional b ? b.forwardLayer().units() : ((Recurrent<?>) l).units();
    }

    /** Every layer, InputLayers included, in the config's order (Keras's model.layers of a functional model). */
    List<Layer> layers() {
        return nodes.stream().map(Node::layer).toList();
    }

    List<String> inputNames() {
        return inputs;
    }

    int outputCount() {
        return outputs.size();
    }

    /** The sample shape of input {@code i}. */
    Shape inputShape(int i) {
        return shapes.get(inputs.get(i)).get(0);
    }

    Shape outputShape(int i) {
        return shape(outputs.get(i));
    }

    /** Runs the model on one batch per input (in the model's input order) at inference. */
    List<Tensor> predict(List<Tensor> xs) {
        if (xs.size() != inputs.size()) {
            throw new IllegalArgumentException("the model takes " + inputs.size() + " inputs " + inputs + ", got "
                    + xs.size());
        }
        Map<String, List<Variable>> values = new HashMap<>();
        Map<String, Tensor> masks = new HashMap<>();
        CallContext ctx = CallContext.inference();
        try (var _ = Autograd.noGrad()) {
            for (int i = 0; i < xs.size(); i++) {
                values.put(inputs.get(i), List.of(Variable.constant(xs.get(i))));
            }
            for (Node n : nodes) {
                Layer l = n.layer();
                if (l instanceof Input in) {
                    if (!values.containsKey(l.name())) {
                        throw new IllegalStateException("input '" + l.name() + "' is not a model input");
                    }
                    Variable x = values.get(l.name()).get(0);
                    Shape want = in.sampleShape();
                    if (x.rank() != want.rank() + 1 || !x.shape().tail().equals(want)) {
                        throw new IllegalArgumentException("input '" + l.name() + "': expected shape="
                                + Layer.batchless(want) + ", found shape=" + x.shape());
                    }
                    continue;
                }
                Ref first = n.inputs().get(0);
                Variable x = values.get(first.layer()).get(first.tensor());
                Tensor mask = first.tensor() == 0 ? masks.get(first.layer()) : null;
                List<Variable> init = null;
                if (n.inputs().size() > 1) {
                    init = new ArrayList<>();
                    for (Ref r : n.inputs().subList(1, n.inputs().size())) {
                        init.add(values.get(r.layer()).get(r.tensor()));
                    }
                }
                List<Variable> out = new ArrayList<>();
                switch (l) {
                    case Recurrent<?> r -> {
                        RnnOutput o = r.run(x, mask, init, ctx);
                        out.add(o.output());
                        if (r.returnState()) {
                            out.addAll(o.states());
                        }
                    }
                    case Bidirectional b -> {
                        List<Variable> o = b.run(x, mask, init, ctx);
                        int merged = b.mergeMode() == MergeMode.NONE ? 2 : 1;
                        out.addAll(b.forwardLayer().returnState() ? o : o.subList(0, merged));
                    }
                    default -> out.add(l.call(x, mask, ctx));
                }
                Tensor m = l.computeMask(x, mask);
                if (m != null) {
                    masks.put(l.name(), m);
                }
                values.put(l.name(), out);
            }
            List<Tensor> result = new ArrayList<>();
            for (Ref r : outputs) {
                result.add(values.get(r.layer()).get(r.tensor()).value());
            }
            return result;
        }
    }
}
