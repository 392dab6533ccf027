package io.rnn4j.layers.keras;

import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.Cell;
import io.rnn4j.layers.ConvLSTM;
import io.rnn4j.layers.RNN;
import io.rnn4j.layers.StackedRNNCells;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.MultiHeadAttention;
import io.rnn4j.layers.Operation;
import io.rnn4j.layers.Recurrent;
import io.rnn4j.layers.TimeDistributed;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where Keras 3 keeps each layer's variables in {@code model.weights.h5}: under
 * {@code layers/<snake_case(class)>[_n]/} (numbered per class in {@code model.layers} order, NOT
 * the layer's name — Keras's saving_lib addresses objects by attribute path), with recurrent
 * layers' variables on their {@code cell}, Bidirectional's under {@code forward_layer} and
 * {@code backward_layer}, a wrapped layer's under {@code layer}, and the layers a custom layer
 * tracks ({@link Layer#sublayers()}) under its path and their attribute's name.
 */
final class WeightLayout {
    private WeightLayout() {
    }

    /** Keras's naming.to_snake_case: "SimpleRNN" → "simple_rnn", "BatchNormalization" → "batch_normalization". */
    static String snakeCase(String className) {
        String s = className.replaceAll("\\W+", "");
        s = s.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        s = s.replaceAll("([a-z])([A-Z])", "$1_$2");
        return s.toLowerCase(Locale.ROOT);
    }

    /**
     * The store path of each layer of a model, as Keras's _save_container_state numbers them: over
     * {@code model.layers}, which leaves operations out (they hold no variables; theirs is a path of
     * their own that no layer can take).
     */
    static List<String> layerPaths(List<Layer> modelLayers) {
        Map<String, Integer> used = new HashMap<>();
        List<String> out = new ArrayList<>();
        for (Layer l : modelLayers) {
            if (l instanceof Operation) {
                out.add("operations/" + l.name());
                continue;
            }
            // Keras names the path after the Python class: GroupQueryAttention's is GroupedQueryAttention.
            String base = l instanceof io.rnn4j.layers.GroupQueryAttention ? "grouped_query_attention"
                    : snakeCase(l.className());
            int n = used.merge(base, 1, Integer::sum) - 1;
            out.add("layers/" + (n == 0 ? base : base + "_" + n));
        }
        return out;
    }

    /**
     * One {@code vars} group: its path, how many of the layer's weights (next in weights() order)
     * it holds, and where older Keras 3 releases put it (read when the path is absent), or null.
     */
    record Group(String path, int count, String olderPath) {
        Group(String path, int count) {
            this(path, count, null);
        }
    }

    /**
     * The groups whose {@code vars} hold the layer's weights, in the layer's weights() order (each
     * group's vars are numbered 0, 1, ... in the same order). A nested model's are its layers',
     * under {@code <path>/layers/}, numbered as the top level's are.
     */
    static List<Group> groups(Layer layer, String path) {
        List<Group> out = new ArrayList<>();
        switch (layer) {
            case Recurrent<?> r -> out.add(new Group(path + "/cell", r.weights().size()));
            case ConvLSTM<?> c -> out.add(new Group(path + "/cell", c.weights().size()));
            case Bidirectional b -> {
                out.addAll(groups(b.forwardLayer().layer(), path + "/forward_layer"));
                out.addAll(groups(b.backwardLayer().layer(), path + "/backward_layer"));
            }
            case RNN r -> out.addAll(cellGroups(r.cell(), path + "/cell"));
            case TimeDistributed t -> out.addAll(groups(t.inner(), path + "/layer"));
            case io.rnn4j.layers.SpectralNormalization s -> {
                // its own vars are the kernel (tracked again as its `kernel`) and vector_u
                out.add(new Group(path, 2));
                out.addAll(groups(s.layer(), path + "/layer"));
            }
            case MultiHeadAttention a -> {
                // Keras's saving_lib reaches the EinsumDense sublayers by their public properties;
                // before 3.0.3 there were none, and it found them as _query_dense etc.
                int each = a.useBias() ? 2 : 1;
                for (String sub : List.of("query_dense", "key_dense", "value_dense", "output_dense")) {
                    out.add(new Group(path + "/" + sub, each, path + "/_" + sub));
                }
            }
            case io.rnn4j.layers.GroupQueryAttention g -> {
                int each = g.useBias() ? 2 : 1;
                GroupQueryAttentionConfig.groups(g).forEach(sub -> out.add(new Group(path + "/" + sub, each)));
            }
            case io.rnn4j.layers.IntegerLookup l -> { } // its idf_weights: NumericPreprocessingLayers
            case Model m -> out.addAll(nested(m.layers(), path));
            case Sequential s -> out.addAll(nested(s.layers(), path));
            default -> {
                if (layer.sublayers().isEmpty()) {
                    out.add(new Group(path, layer.weights().size()));
                } else {
                    out.add(new Group(path, own(layer).size()));
                    layer.sublayers().forEach((attribute, sub) -> out.addAll(groups(sub, path + "/" + attribute)));
                }
            }
        }
        return out;
    }

    /** The weights a layer created itself (not its sub-layers'), in weights() order. */
    private static List<Weight> own(Layer layer) {
        return layer.weights().stream().filter(w -> w.owner() == layer).toList();
    }

    /**
     * The layer's weights in the order Keras lists them ({@code layer.weights}) and its weights file
     * stores them, group after group of {@link #groups}: a plain layer's (one {@code vars} group of
     * its own, a user's custom layer among them) those created trainable first, each kind in the
     * order they were added, as Keras keeps a layer's {@code _trainable_variables} then its
     * {@code _non_trainable_variables} (save_own_variables); a TimeDistributed's or a nested model's,
     * its layers' in turn, each so; the others' (recurrent, Bidirectional, MultiHeadAttention) in
     * weights() order, which their groups follow.
     */
    static List<Weight> storeOrder(Layer layer) {
        return switch (layer) {
            case TimeDistributed t -> storeOrder(t.inner());
            case io.rnn4j.layers.SpectralNormalization s -> {
                // the kernel twice, as Keras stores it: in the wrapper's vars and in the layer's
                List<Weight> out = new ArrayList<>(s.weights().subList(0, 2));
                out.addAll(storeOrder(s.layer()));
                yield out;
            }
            case Model m -> m.layers().stream().flatMap(l -> storeOrder(l).stream()).toList();
            case Sequential s -> s.layers().stream().flatMap(l -> storeOrder(l).stream()).toList();
            default -> {
                if (!layer.sublayers().isEmpty()) {
                    // Keras's Layer.weights: its own variables (trainable first), then each tracked layer's
                    List<Weight> mine = own(layer);
                    List<Weight> out = new ArrayList<>(mine.stream().filter(Weight::createdTrainable).toList());
                    out.addAll(mine.stream().filter(w -> !w.createdTrainable()).toList());
                    layer.sublayers().values().forEach(sub -> out.addAll(storeOrder(sub)));
                    yield out.stream().distinct().toList();
                }
                List<Weight> ws = layer.weights();
                List<Group> own = groups(layer, "");
                if (own.size() != 1 || !own.get(0).path().isEmpty()) {
                    yield ws;
                }
                List<Weight> out = new ArrayList<>(ws.stream().filter(Weight::createdTrainable).toList());
                out.addAll(ws.stream().filter(w -> !w.createdTrainable()).toList());
                yield out;
            }
        };
    }

    /** A cell's vars: its own, or a StackedRNNCells' cells' under {@code cells/<snake_case(class)>[_n]}. */
    private static List<Group> cellGroups(Cell cell, String path) {
        if (!(cell instanceof StackedRNNCells s)) {
            return List.of(new Group(path, cell.weights().size()));
        }
        List<Group> out = new ArrayList<>();
        Map<String, Integer> used = new HashMap<>();
        for (Cell c : s.cells()) {
            String base = snakeCase(c.className());
            int n = used.merge(base, 1, Integer::sum) - 1;
            out.addAll(cellGroups(c, path + "/cells/" + (n == 0 ? base : base + "_" + n)));
        }
        return out;
    }

    private static List<Group> nested(List<Layer> layers, String path) {
        List<String> paths = layerPaths(layers);
        List<Group> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            out.addAll(groups(layers.get(i), path + "/" + paths.get(i)));
        }
        return out;
    }
}
