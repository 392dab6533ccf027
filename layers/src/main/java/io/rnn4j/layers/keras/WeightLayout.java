package io.rnn4j.layers.keras;

import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Recurrent;
import io.rnn4j.layers.TimeDistributed;
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
 * {@code backward_layer}, and a wrapped layer's under {@code layer}.
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

    /** The store path of each layer of a model, as Keras's _save_container_state numbers them. */
    static List<String> layerPaths(List<Layer> modelLayers) {
        Map<String, Integer> used = new HashMap<>();
        List<String> out = new ArrayList<>();
        for (Layer l : modelLayers) {
            String base = snakeCase(l.className());
            int n = used.merge(base, 1, Integer::sum) - 1;
            out.add("layers/" + (n == 0 ? base : base + "_" + n));
        }
        return out;
    }

    /**
     * The groups whose {@code vars} hold the layer's weights, in the layer's weights() order (each
     * group's vars are numbered 0, 1, ... in the same order).
     */
    static List<String> varGroups(Layer layer, String path) {
        List<String> out = new ArrayList<>();
        switch (layer) {
            case Recurrent<?> r -> out.add(path + "/cell");
            case Bidirectional b -> {
                out.add(path + "/forward_layer/cell");
                out.add(path + "/backward_layer/cell");
            }
            case TimeDistributed t -> out.addAll(varGroups(t.inner(), path + "/layer"));
            default -> out.add(path);
        }
        return out;
    }

    /** How many weights of {@code layer} live in the vars group {@code index} of {@link #varGroups}. */
    static int weightsInGroup(Layer layer, int index) {
        return switch (layer) {
            case Bidirectional b -> (index == 0 ? b.forwardLayer() : b.backwardLayer()).weights().size();
            case TimeDistributed t -> weightsInGroup(t.inner(), index);
            default -> layer.weights().size();
        };
    }
}
