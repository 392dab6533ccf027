package io.rnn4j.layers.keras;

import io.rnn4j.layers.ConvLSTM;
import io.rnn4j.layers.ConvLSTM2D;
import io.rnn4j.layers.ConvLSTM3D;
import io.rnn4j.layers.GateOptions;
import io.rnn4j.layers.Layer;
import java.util.function.BiConsumer;

/**
 * Keras's ConvLSTM2D and ConvLSTM3D configs, and what ConvLSTM1D's shares with them (Keras 3's: RNN's
 * keys without the cell, then ConvLSTM's; tf.keras 2's adds time_major), to the layers here: sizes
 * as an int (every axis) or a list of one per axis, as Keras's standardize_tuple takes them; the
 * LSTM's options as the recurrent layers'; data_format either layout (null: channels_last, Keras's
 * default image_data_format). Keys left out take Keras 3's defaults.
 */
final class ConvLstmReader {
    private ConvLstmReader() {
    }

    /**
     * A ConvLSTM of {@code rank} 2 or 3 spatial axes.
     *
     * @param gateWeights LayerReader's reading of activation, use_bias and the gate weights'
     *                    initializers, regularizers and constraints
     */
    static Layer convLstm(Options o, boolean keras2, BiConsumer<Options, GateOptions<?>> gateWeights, int rank) {
        int filters = ConvReader.positive(o, "filters", o.raw("filters"));
        int[] kernel = SpatialLayers.sizes(o, "kernel_size", rank, null);
        ConvLSTM<?> c = ConvReader.options(() -> rank == 2 ? new ConvLSTM2D(filters, kernel)
                : new ConvLSTM3D(filters, kernel));
        c.named(o.layer());
        ConvReader.options(() -> {
            c.strides(SpatialLayers.sizes(o, "strides", rank, 1));
            c.dilationRate(SpatialLayers.sizes(o, "dilation_rate", rank, 1));
            c.padding(o.string("padding", "valid"));
            c.dropout((float) o.number("dropout", 0.0));
            c.recurrentDropout((float) o.number("recurrent_dropout", 0.0));
        });
        return lstmOptions(o, keras2, gateWeights, c);
    }

    /**
     * What every ConvLSTM reads besides its sizes: data_format, the LSTM's options as the recurrent
     * layers' and the RNN's flags.
     */
    static Layer lstmOptions(Options o, boolean keras2, BiConsumer<Options, GateOptions<?>> gateWeights,
            ConvLSTM<?> c) {
        ConvReader.options(() -> c.dataFormat(o.string("data_format", null)));
        gateWeights.accept(o, c);
        // Absent is Keras's default (sigmoid); null is linear (Keras's activations.get(None)).
        if (o.present("recurrent_activation")) {
            c.recurrentActivation(Components.activation(o, "recurrent_activation", keras2));
        }
        c.unitForgetBias(o.bool("unit_forget_bias", true));
        c.returnSequences(o.bool("return_sequences", false));
        c.returnState(o.bool("return_state", false));
        c.goBackwards(o.bool("go_backwards", false));
        c.stateful(o.bool("stateful", false));
        c.zeroOutputForMask(o.bool("zero_output_for_mask", false));
        o.require("time_major", Boolean.FALSE);
        // unroll: another way to compute the same numbers; seed: dropout's stream.
        o.ignore("unroll", "seed");
        return c;
    }
}
