package io.rnn4j.layers.keras;

import io.rnn4j.layers.AlphaDropout;
import io.rnn4j.layers.GaussianDropout;
import io.rnn4j.layers.GaussianNoise;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Permute;
import io.rnn4j.layers.SpatialDropout1D;
import java.util.List;
import java.util.function.Supplier;

/**
 * Keras configs of weightless layers that {@link LayerReader} dispatches here: the noise layers
 * (SpatialDropout1D, GaussianNoise, GaussianDropout, AlphaDropout) and Permute. Their {@code seed}
 * is read and unused: as for Dropout, the noise is drawn from the training call's stream
 * ({@code io.rnn4j.layers.Seeds}). A value the layer refuses is reported as the file's fault.
 */
final class StatelessLayers {
    private StatelessLayers() {
    }

    /** tf.keras writes Dropout's noise_shape here too; SpatialDropout1D sets its own, so it is read and unused. */
    static Layer spatialDropout1D(Options o) {
        o.ignore("seed", "noise_shape");
        double rate = required(o, "rate");
        return checked(o, () -> new SpatialDropout1D(rate));
    }

    static Layer gaussianNoise(Options o) {
        o.ignore("seed");
        double stddev = required(o, "stddev");
        return checked(o, () -> new GaussianNoise(stddev));
    }

    static Layer gaussianDropout(Options o) {
        o.ignore("seed");
        double rate = required(o, "rate");
        return checked(o, () -> new GaussianDropout(rate));
    }

    static Layer alphaDropout(Options o) {
        o.requireNull("noise_shape");
        o.ignore("seed");
        double rate = required(o, "rate");
        return checked(o, () -> new AlphaDropout(rate));
    }

    static Layer permute(Options o) {
        if (!(o.raw("dims") instanceof List<?> l)) {
            throw o.error("dims", "a list of axes", o.raw("dims"));
        }
        int[] dims = new int[l.size()];
        for (int i = 0; i < dims.length; i++) {
            Integer n = Options.wholeNumber(l.get(i));
            if (n == null) {
                throw o.error("dims", "a list of axes", l);
            }
            dims[i] = n;
        }
        o.ignore("dims");
        return checked(o, () -> new Permute(dims));
    }

    /** A number Keras's constructor requires (no default). */
    private static double required(Options o, String key) {
        if (!(o.raw(key) instanceof Double d)) {
            throw o.error(key, "a number", o.raw(key));
        }
        return d;
    }

    /** A layer made from read options, its constructor's refusal reported as the file's fault. */
    private static Layer checked(Options o, Supplier<Layer> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(o.where() + ": " + e.getMessage(), e);
        }
    }
}
