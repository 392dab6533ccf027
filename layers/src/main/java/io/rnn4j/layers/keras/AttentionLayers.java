package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.WeightOptions.weight;

import io.rnn4j.layers.Layer;
import io.rnn4j.layers.MultiHeadAttention;
import java.util.List;

/**
 * Keras's MultiHeadAttention config (Keras 3's, and tf.keras 2's with its extra
 * {@code query_shape}/{@code key_shape}/{@code value_shape}) to {@link MultiHeadAttention}. What
 * changes the numbers and has no counterpart here is refused by layer and option: output_shape of
 * more than one axis, attention_axes other than the sequence axis of rank-3 inputs, a gate
 * (use_gate), a sliding window, activity_regularizer.
 */
final class AttentionLayers {
    private AttentionLayers() {
    }

    static Layer multiHeadAttention(Options o) {
        MultiHeadAttention m;
        int out = outputShape(o);
        try {
            m = new MultiHeadAttention(o.integer("num_heads"), o.integer("key_dim"));
            if (o.has("value_dim")) {
                m.valueDim(o.integer("value_dim"));
            }
            o.ignore("value_dim");
            m.dropout(o.number("dropout", 0.0));
            if (out > 0) {
                m.outputShape(out);
            }
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(o.where() + ": " + e.getMessage(), e);
        }
        attentionAxes(o);
        m.useBias(o.bool("use_bias", true));
        WeightOptions.read(o,
                weight("kernel", m::kernelInitializer, m::kernelRegularizer, m::kernelConstraint),
                weight("bias", m::biasInitializer, m::biasRegularizer, m::biasConstraint));
        // Keras 3.14+: a sigmoid gate on the output and a banded mask; neither exists here.
        o.require("use_gate", Boolean.FALSE);
        o.requireNull("sliding_window");
        // seed: the dropout stream; flash_attention: another kernel for the same numbers; the shapes:
        // tf.keras 2's build arguments, which the inputs give again.
        o.ignore("seed", "flash_attention", "query_shape", "key_shape", "value_shape");
        return m;
    }

    /** Keras's output_shape: None, an int, or a list of one int (a tuple of several axes is refused); 0 for None. */
    private static int outputShape(Options o) {
        Object v = o.raw("output_shape");
        if (v instanceof List<?> l && l.size() == 1) {
            v = l.get(0);
        }
        if (v == null) {
            return 0;
        }
        if (v instanceof Double d && d == Math.rint(d) && d >= 1 && d <= Integer.MAX_VALUE) {
            return d.intValue();
        }
        throw new KerasFileException("unsupported option output_shape=" + Options.show(o.raw("output_shape"))
                + " in " + o.where() + ": rnn4j supports None or one positive integer (the output's last axis)");
    }

    /** None, or the sequence axis of rank-3 inputs: 1 or -2, bare or in a list of one (as a built Keras layer writes it). */
    private static void attentionAxes(Options o) {
        Object v = o.raw("attention_axes");
        Object axis = v instanceof List<?> l && l.size() == 1 ? l.get(0) : v;
        if (v == null || axis instanceof Double d && (d == 1 || d == -2)) {
            return;
        }
        throw new KerasFileException("unsupported option attention_axes=" + Options.show(v) + " in " + o.where()
                + ": rnn4j attends over the sequence axis of rank-3 inputs only (None, 1 or -2)");
    }
}
