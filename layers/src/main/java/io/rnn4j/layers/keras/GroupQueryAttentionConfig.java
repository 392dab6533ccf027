package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.WeightOptions.held;
import static io.rnn4j.layers.keras.WeightOptions.weight;

import io.rnn4j.layers.GroupQueryAttention;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.Layer;
import java.util.List;
import java.util.Map;

/**
 * Keras's GroupQueryAttention config (grouped_query_attention.py get_config) to and from
 * {@link GroupQueryAttention}, and its build config. Its calls are read and written as
 * MultiHeadAttention's ({@link MultiHeadAttentionCalls}): the same named tensors and options.
 */
final class GroupQueryAttentionConfig {
    private GroupQueryAttentionConfig() {
    }

    static Layer read(Options o) {
        GroupQueryAttention g;
        try {
            g = new GroupQueryAttention(o.integer("head_dim"), o.integer("num_query_heads"),
                    o.integer("num_key_value_heads"));
            g.dropout(o.number("dropout", 0.0));
            g.useGate(o.bool("use_gate", false));
            if (o.raw("sliding_window") != null) {
                g.slidingWindow(o.integer("sliding_window"));
            }
            o.ignore("sliding_window");
            if (o.raw("flash_attention") instanceof Boolean f) {
                g.flashAttention(f);
            }
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(o.where() + ": " + e.getMessage(), e);
        }
        g.useBias(o.bool("use_bias", true));
        WeightOptions.read(o,
                weight("kernel", g::kernelInitializer, g::kernelRegularizer, g::kernelConstraint),
                weight("bias", g::biasInitializer, g::biasRegularizer, g::biasConstraint));
        // seed: the dropout stream; flash_attention (not in Keras's get_config, but a hand-written
        // entry may carry it): another kernel for the same numbers.
        o.ignore("seed", "flash_attention");
        return g;
    }

    /**
     * get_config's keys in Keras 3.15's order; use_gate and sliding_window only when set, so that
     * Keras 3 releases before them load the file (as MultiHeadAttention's writer does).
     */
    static void write(GroupQueryAttention g, Map<String, Object> c) {
        c.put("head_dim", g.headDim());
        c.put("num_query_heads", g.numQueryHeads());
        c.put("num_key_value_heads", g.numKeyValueHeads());
        c.put("use_bias", g.useBias());
        if (g.useGate()) {
            c.put("use_gate", true);
        }
        if (g.slidingWindow() > 0) {
            c.put("sliding_window", g.slidingWindow());
        }
        c.put("dropout", KerasConfig.decimal(g.dropout()));
        WeightOptions.writeWithActivity(c, g,
                held("kernel", g.kernelInitializer(), g.kernelRegularizer(), g.kernelConstraint()),
                held("bias", g.biasInitializer(), g.biasRegularizer(), g.biasConstraint()));
        c.put("seed", null);
    }

    /** build's arguments by name: query_shape, value_shape, and key_shape when a key was given. */
    static Map<String, Object> buildShapes(GroupQueryAttention g) {
        return MultiHeadAttentionCalls.buildShapes(g.inputShapes(), g.useAttentionMask());
    }

    /** The vars groups of its EinsumDense sublayers, in weights() order, as Keras 3.15's saving_lib finds them. */
    static List<String> groups(GroupQueryAttention g) {
        return g.useGate() ? List.of("_query_dense", "_key_dense", "_gate_dense", "_value_dense", "_output_dense")
                : List.of("_query_dense", "_key_dense", "_value_dense", "_output_dense");
    }
}
