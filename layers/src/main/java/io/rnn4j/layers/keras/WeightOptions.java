package io.rnn4j.layers.keras;

import io.rnn4j.layers.Layer;
import io.rnn4j.layers.constraints.Constraint;
import io.rnn4j.layers.initializers.Initializer;
import io.rnn4j.layers.regularizers.Regularizer;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The three options Keras gives each weight of a layer, {@code <w>_initializer},
 * {@code <w>_regularizer} and {@code <w>_constraint} (w: kernel, bias, depthwise, beta...), read
 * and written for all of a layer's weights at once, in the order Keras's get_config writes them
 * (base_conv.py, dense.py, einsum_dense.py, layer_normalization.py...): every initializer, then
 * every regularizer, then every constraint. Reading goes in that order too, so a config with
 * several bad keys is refused at the same key as before.
 */
final class WeightOptions {
    private WeightOptions() {
    }

    /** How a layer being read takes one weight's options (its fluent setters, as method references). */
    record Setters(String weight, Consumer<Initializer> initializer, Consumer<Regularizer> regularizer,
            Consumer<Constraint> constraint) {
    }

    /** One weight's options as a layer holds them, to be written. */
    record Held(String weight, Initializer initializer, Regularizer regularizer, Constraint constraint) {
    }

    static Setters weight(String weight, Consumer<Initializer> initializer, Consumer<Regularizer> regularizer,
            Consumer<Constraint> constraint) {
        return new Setters(weight, initializer, regularizer, constraint);
    }

    static Held held(String weight, Initializer initializer, Regularizer regularizer, Constraint constraint) {
        return new Held(weight, initializer, regularizer, constraint);
    }

    /**
     * Reads each weight's options from {@code o}: an initializer absent from the file leaves the
     * layer's (Keras's) default; a regularizer or constraint absent or null is set as none.
     */
    static void read(Options o, Setters... weights) {
        for (Setters w : weights) {
            Initializer init = Components.initializer(o, w.weight() + "_initializer");
            if (init != null) {
                w.initializer().accept(init);
            }
        }
        for (Setters w : weights) {
            w.regularizer().accept(Components.regularizer(o, w.weight() + "_regularizer"));
        }
        for (Setters w : weights) {
            w.constraint().accept(Components.constraint(o, w.weight() + "_constraint"));
        }
    }

    /** Writes each weight's options of layer {@code l} into {@code c}, without activity_regularizer. */
    static void write(Map<String, Object> c, Layer l, Held... weights) {
        write(c, l, false, weights);
    }

    /**
     * Writes each weight's options with activity_regularizer (null here; the writer puts the
     * layer's own there later) between the regularizers and the constraints, where the layers
     * whose __init__ takes it (Dense, Conv, EinsumDense, MultiHeadAttention...) write it.
     */
    static void writeWithActivity(Map<String, Object> c, Layer l, Held... weights) {
        write(c, l, true, weights);
    }

    private static void write(Map<String, Object> c, Layer l, boolean activity, Held... weights) {
        for (Held w : weights) {
            ConfigWriter.initializer(c, l, w.weight() + "_initializer", w.initializer());
        }
        for (Held w : weights) {
            ConfigWriter.regularizer(c, l, w.weight() + "_regularizer", w.regularizer());
        }
        if (activity) {
            c.put("activity_regularizer", null);
        }
        for (Held w : weights) {
            ConfigWriter.constraint(c, l, w.weight() + "_constraint", w.constraint());
        }
    }
}
