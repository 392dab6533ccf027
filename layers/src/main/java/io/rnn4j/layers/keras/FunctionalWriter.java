package io.rnn4j.layers.keras;

import io.rnn4j.layers.AdditiveAttention;
import io.rnn4j.layers.Attention;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.ConvLSTM;
import io.rnn4j.layers.GetItem;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.MultiHeadAttention;
import io.rnn4j.layers.Node;
import io.rnn4j.layers.Operation;
import io.rnn4j.layers.RNN;
import io.rnn4j.layers.Recurrent;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.model.Model;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A functional {@link Model}'s {@code config.json} as Keras 3 writes it: the layers in
 * {@code model.layers} order, each with its {@code inbound_nodes} — one per application, a shared
 * layer having several ({@code args} holding {@code __keras_tensor__} histories, {@code kwargs} the
 * call options: a recurrent layer's {@code initial_state}, the attention layers'
 * {@code use_causal_mask} and {@code return_attention_scores}; MultiHeadAttention's tensors
 * positionally as Keras's call(query, value, key) takes them, its attention_mask by name; an explicit
 * {@code mask} given with {@code applyWithMask}) — then {@code input_layers} and
 * {@code output_layers}. A tensor's history counts its layer's applications within this model; a
 * nested functional model's count from 1 in {@code output_layers}, as Keras 3's get_config writes
 * them. Layer configs (a nested model's whole config included) come from {@link ConfigWriter}; an
 * operation's call writes its arguments in place ({@link GetItemCalls}, {@link OperationCalls}).
 */
final class FunctionalWriter {
    private final ConfigWriter layers;

    FunctionalWriter(ConfigWriter layers) {
        this.layers = layers;
    }

    Map<String, Object> model(Model model) {
        List<Object> entries = new ArrayList<>();
        for (Layer l : model.layers()) {
            entries.add(l instanceof Input in ? input(model, in) : layer(model, l));
        }
        layers.checkHardSigmoid();
        List<Object> ins = new ArrayList<>();
        for (Input in : model.inputs()) {
            ins.add(List.of(in.name(), 0, 0));
        }
        List<Object> outs = new ArrayList<>();
        for (SymbolicTensor t : model.outputs()) {
            List<Object> h = history(model, t);
            outs.add(t.layer() instanceof Model ? List.of(h.get(0), (Integer) h.get(1) + 1, h.get(2)) : h);
        }
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("name", model.name());
        cfg.put("trainable", model.trainable());
        cfg.put("layers", entries);
        // A model of one input and one output writes each flat, as Keras 3's get_config does for
        // Model(x, y): in Keras a list of one would make predict return a list.
        cfg.put("input_layers", ins.size() == 1 ? ins.get(0) : ins);
        cfg.put("output_layers", outs.size() == 1 ? outs.get(0) : outs);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("module", "keras.src.models.functional");
        m.put("class_name", "Functional");
        m.put("config", cfg);
        m.put("registered_name", "Functional");
        m.put("build_config", singletonNull());
        return m;
    }

    private static Map<String, Object> singletonNull() {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("input_shape", null);
        return b;
    }

    private Map<String, Object> input(Model model, Input in) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("batch_shape", ConfigWriter.batchShape(in.sampleShape().dims(), in.fixedBatchSize()));
        c.put("dtype", !in.dtype().equals("float32") ? in.dtype() : HashingLayers.inputDtype(model, in));
        c.put("sparse", false);
        c.put("name", in.name());
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("module", "keras.layers");
        e.put("class_name", "InputLayer");
        e.put("config", c);
        e.put("registered_name", null);
        e.put("name", in.name());
        e.put("inbound_nodes", List.of());
        return e;
    }

    private Map<String, Object> layer(Model model, Layer l) {
        List<Object> calls = new ArrayList<>();
        for (Node node : model.nodes(l)) {
            calls.add(call(model, l, node));
        }
        Map<String, Object> e = layers.layer(l);
        e.put("name", l.name());
        e.put("inbound_nodes", calls);
        return e;
    }

    /**
     * MultiHeadAttention's and GroupQueryAttention's call(query, value, key=None, ...,
     * attention_mask=None): positional tensors, the mask and the call options by name (only when set).
     */
    private void attentionCall(Model model, List<SymbolicTensor> in, List<Object> args, Map<String, Object> kwargs,
            boolean attentionMask, boolean causalMask, boolean scores) {
        int data = attentionMask ? in.size() - 1 : in.size();
        in.subList(0, data).forEach(t -> args.add(tensor(model, t)));
        if (attentionMask) {
            kwargs.put("attention_mask", tensor(model, in.get(data)));
        }
        if (causalMask) {
            kwargs.put("use_causal_mask", true);
        }
        if (scores) {
            kwargs.put("return_attention_scores", true);
        }
    }

    /** One application: its tensors as args (a recurrent layer's states as initial_state) and its options. */
    private Map<String, Object> call(Model model, Layer l, Node node) {
        List<SymbolicTensor> in = node.inputs();
        List<Object> args = new ArrayList<>();
        Map<String, Object> kwargs = new LinkedHashMap<>();
        boolean states = l instanceof Recurrent<?> || l instanceof Bidirectional || l instanceof RNN
                || l instanceof ConvLSTM<?>;
        if (states) {
            args.add(tensor(model, in.get(0)));
            if (in.size() > 1) {
                kwargs.put("initial_state", in.subList(1, in.size()).stream().map(t -> tensor(model, t)).toList());
            }
        } else if (l instanceof MultiHeadAttention a) {
            attentionCall(model, in, args, kwargs, a.useAttentionMask(), a.useCausalMask(), a.returnAttentionScores());
        } else if (l instanceof io.rnn4j.layers.GroupQueryAttention a) {
            attentionCall(model, in, args, kwargs, a.useAttentionMask(), a.useCausalMask(), a.returnAttentionScores());
        } else if (l instanceof GetItem g) {
            // x[key]: Keras's GetItem is called (x, key), the key serialized as a tuple.
            args.add(tensor(model, in.get(0)));
            args.add(GetItemCalls.key(g));
        } else if (l instanceof Operation op) {
            // Keras's serialize_node: the call's arguments, numbers and Concatenate's list included.
            args.addAll(OperationCalls.args(op, in.stream().map(t -> (Object) tensor(model, t)).toList()));
        } else if (in.size() == 1) {
            args.add(tensor(model, in.get(0)));
        } else if (l instanceof KerasSerializable k && k.positionalInputs()) {
            in.forEach(t -> args.add(tensor(model, t)));
        } else {
            args.add(in.stream().map(t -> tensor(model, t)).toList());
        }
        boolean causal = l instanceof Attention a ? a.useCausalMask()
                : l instanceof AdditiveAttention d && d.useCausalMask();
        boolean scores = l instanceof Attention a ? a.returnAttentionScores()
                : l instanceof AdditiveAttention d && d.returnAttentionScores();
        if (causal) {
            kwargs.put("use_causal_mask", true);
        }
        if (scores) {
            kwargs.put("return_attention_scores", true);
        }
        if (l instanceof io.rnn4j.layers.ReversibleEmbedding r && r.isReverse(node)) {
            kwargs.put("reverse", true);
        }
        if (node.mask() != null) {  // layer(x, mask=m), as Keras 3 writes it
            kwargs.put("mask", tensor(model, node.mask()));
        }
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("args", args);
        call.put("kwargs", kwargs);
        return call;
    }

    /** Keras 3's symbolic tensor: its shape with the batch unknown and where it comes from. */
    private Map<String, Object> tensor(Model model, SymbolicTensor t) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("shape", ConfigWriter.batchShape(t.shape().dims(), 0));
        c.put("dtype", dtype(t));
        c.put("keras_history", history(model, t));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class_name", "__keras_tensor__");
        m.put("config", c);
        return m;
    }

    /**
     * Keras's dtype of a tensor: a comparison's, any's or all's output, a bool Input and a split of a
     * bool are Keras's bool (rnn4j holds them as 1/0 floats).
     */
    private static String dtype(SymbolicTensor t) {
        return switch (t.layer()) {
            case io.rnn4j.layers.ops.Comparison c -> "bool";
            case io.rnn4j.layers.ops.Reduction r when r.kind() == io.rnn4j.layers.ops.Reduction.Kind.ANY
                    || r.kind() == io.rnn4j.layers.ops.Reduction.Kind.ALL -> "bool";
            case io.rnn4j.layers.ops.Split s when !t.node().isInput() -> dtype(t.node().inputs().get(0));
            case Input in -> in.dtype();
            default -> "float32";
        };
    }

    /** [layer, which of its applications in this model, which output]. */
    private static List<Object> history(Model model, SymbolicTensor t) {
        int node = t.node().isInput() ? 0 : model.nodes(t.layer()).indexOf(t.node());
        if (node < 0) {
            throw new IllegalStateException("tensor " + t + " is not computed by the model '" + model.name() + "'");
        }
        return List.of(t.layer().name(), node, t.index());
    }
}
