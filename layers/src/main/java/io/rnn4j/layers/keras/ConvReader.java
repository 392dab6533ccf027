package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.WeightOptions.weight;

import io.rnn4j.layers.AdaptiveAveragePooling1D;
import io.rnn4j.layers.AdaptiveMaxPooling1D;
import io.rnn4j.layers.AdaptivePooling1D;
import io.rnn4j.layers.AveragePooling1D;
import io.rnn4j.layers.Conv1D;
import io.rnn4j.layers.ConvLSTM1D;
import io.rnn4j.layers.GateOptions;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.MaxPooling1D;
import io.rnn4j.layers.Pooling1D;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Keras's Conv1D, ConvLSTM1D, MaxPooling1D, AveragePooling1D and the adaptive poolings' configs, in Keras 2's and Keras
 * 3's forms (sizes as an int or a list of one, as Keras's standardize_tuple takes them), to the
 * layers here. LoRA is refused by name.
 */
final class ConvReader {
    private ConvReader() {
    }

    static Layer conv1d(Options o, boolean keras2) {
        Conv1D c = new Conv1D(positive(o, "filters", o.raw("filters")), size(o, "kernel_size", null),
                Components.activation(o, "activation", keras2)).named(o.layer());
        options(() -> {
            c.strides(size(o, "strides", 1));
            c.dilationRate(size(o, "dilation_rate", 1));
            c.padding(o.string("padding", "valid"));
            c.groups(o.integer("groups", 1));
            c.dataFormat(LayerReader.dataFormat(o));
        });
        c.useBias(o.bool("use_bias", true));
        WeightOptions.read(o,
                weight("kernel", c::kernelInitializer, c::kernelRegularizer, c::kernelConstraint),
                weight("bias", c::biasInitializer, c::biasRegularizer, c::biasConstraint));
        o.requireNull("lora_rank");
        o.ignore("lora_alpha");
        return c;
    }

    /**
     * Keras's ConvLSTM1D (Keras 3's config: RNN's keys without the cell, then ConvLSTM's; tf.keras
     * 2's adds time_major): the convolution's options as Conv1D's, the LSTM's as the recurrent
     * layers' ({@code gateWeights}, LayerReader's reading of activation, use_bias and the gate
     * weights' initializers, regularizers and constraints). Keys left out take Keras 3's defaults.
     */
    static Layer convLstm1d(Options o, boolean keras2, BiConsumer<Options, GateOptions<?>> gateWeights) {
        ConvLSTM1D c = new ConvLSTM1D(positive(o, "filters", o.raw("filters")), size(o, "kernel_size", null))
                .named(o.layer());
        options(() -> {
            c.strides(size(o, "strides", 1));
            c.dilationRate(size(o, "dilation_rate", 1));
            c.padding(o.string("padding", "valid"));
            c.dropout((float) o.number("dropout", 0.0));
            c.recurrentDropout((float) o.number("recurrent_dropout", 0.0));
        });
        return ConvLstmReader.lstmOptions(o, keras2, gateWeights, c);
    }

    static Layer maxPooling1d(Options o) {
        int pool = size(o, "pool_size", 2);
        return pooling(o, new MaxPooling1D(pool, size(o, "strides", pool)));
    }

    static Layer averagePooling1d(Options o) {
        // Keras 3 has no default pool_size for AveragePooling1D; tf.keras's was 2 and always written.
        int pool = size(o, "pool_size", null);
        return pooling(o, new AveragePooling1D(pool, size(o, "strides", pool)));
    }

    static Layer adaptivePooling1d(Options o, boolean max) {
        int out = size(o, "output_size", null);
        AdaptivePooling1D<?> p = options(() -> max ? new AdaptiveMaxPooling1D(out) : new AdaptiveAveragePooling1D(out));
        options(() -> p.dataFormat(LayerReader.dataFormat(o)));
        return p;
    }

    private static <P extends Pooling1D<P>> Layer pooling(Options o, P p) {
        p.named(o.layer());
        options(() -> {
            p.padding(o.string("padding", "valid"));
            p.dataFormat(LayerReader.dataFormat(o));
        });
        return p;
    }

    /** A layer made by {@code make}, its checks of its options reported as the file's fault. */
    static <L> L options(Supplier<L> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(e.getMessage(), e);
        }
    }

    /** The layer's checks of its options, run by {@code setters}, reported as the file's fault. */
    static void options(Runnable setters) {
        try {
            setters.run();
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(e.getMessage(), e);
        }
    }

    /** A size given as an int or a list of one int, >= 1; {@code fallback} when absent (null: required). */
    static int size(Options o, String key, Integer fallback) {
        Object v = o.raw(key);
        if (v == null && fallback != null) {
            return fallback;
        }
        if (v instanceof List<?> l && l.size() == 1) {
            v = l.get(0);
        }
        return positive(o, key, v);
    }

    static int positive(Options o, String key, Object v) {
        Integer n = Options.wholeNumber(v);
        if (n == null || n < 1) {
            throw o.error(key, "an integer >= 1 (or a list of one)", o.raw(key));
        }
        return n;
    }
}
