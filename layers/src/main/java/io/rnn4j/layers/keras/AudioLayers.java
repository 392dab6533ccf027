package io.rnn4j.layers.keras;

import io.rnn4j.layers.Layer;
import io.rnn4j.layers.MelSpectrogram;
import io.rnn4j.layers.STFTSpectrogram;
import java.util.Map;

/**
 * Keras 3 configs of the audio front-ends STFTSpectrogram ({@code stft_spectrogram.py}) and
 * MelSpectrogram ({@code mel_spectrogram.py}), read for {@link LayerReader} and written for
 * {@link ConfigWriter} with Keras's keys in its get_config order. STFTSpectrogram's kernels are
 * ordinary weights ({@code vars/0} real_kernel, {@code vars/1} imag_kernel, only those its mode
 * builds); MelSpectrogram has none.
 */
final class AudioLayers {
    private AudioLayers() {
    }

    static Layer stftSpectrogram(Options o) {
        STFTSpectrogram l = new STFTSpectrogram(o.integer("frame_length", 256));
        l.named(o.layer()); // named first, so that refusals name the entry
        try {
            l.mode(o.string("mode", "log"));
            if (o.has("frame_step")) {
                l.frameStep(o.integer("frame_step"));
            } else {
                o.raw("frame_step");
            }
            if (o.has("fft_length")) {
                l.fftLength(o.integer("fft_length"));
            } else {
                o.raw("fft_length");
            }
            l.window(window(o));
            l.periodic(o.bool("periodic", false));
            l.scaling(o.present("scaling") ? (String) nullableString(o, "scaling") : "density");
            l.padding(o.string("padding", "valid"));
            l.expandDims(o.bool("expand_dims", false));
            l.dataFormat(o.string("data_format", null));
            return l;
        } catch (IllegalArgumentException e) {
            throw refused(o, e);
        }
    }

    static Layer melSpectrogram(Options o) {
        MelSpectrogram l = new MelSpectrogram();
        l.named(o.layer());
        try {
            l.fftLength(o.integer("fft_length", 2048));
            l.sequenceStride(o.integer("sequence_stride", 512));
            l.sequenceLength(o.has("sequence_length") ? o.integer("sequence_length") : null);
            o.raw("sequence_length");
            l.window(window(o));
            l.samplingRate(o.number("sampling_rate", 16000));
            l.numMelBins(o.integer("num_mel_bins", 128));
            l.minFreq(o.number("min_freq", 20.0));
            l.maxFreq(o.has("max_freq") ? o.number("max_freq", 0) : null);
            o.raw("max_freq");
            l.powerToDb(o.bool("power_to_db", true));
            if (o.isNull("top_db") && l.powerToDb()) {
                throw new KerasFileException(o.where() + ": top_db=None with power_to_db=True fails in Keras "
                        + "(max(log_spec) - None); give a number");
            }
            l.topDb(o.number("top_db", 80.0));
            l.magExp(o.number("mag_exp", 2.0));
            l.minPower(o.number("min_power", 1e-10));
            l.refPower(o.number("ref_power", 1.0));
            return l;
        } catch (IllegalArgumentException e) {
            throw refused(o, e);
        }
    }

    /** "hann" when absent (Keras's default), null for None; Keras's window arrays are refused. */
    private static String window(Options o) {
        if (!o.present("window")) {
            o.raw("window");
            return "hann";
        }
        Object w = o.raw("window");
        if (w != null && !(w instanceof String)) {
            throw new KerasFileException(o.where() + ": option 'window' must be 'hann', 'hamming' or None, found "
                    + Options.show(w) + " (rnn4j takes no window array)");
        }
        return (String) w;
    }

    private static Object nullableString(Options o, String key) {
        Object v = o.raw(key);
        if (v != null && !(v instanceof String)) {
            throw o.error(key, "a string or None", v);
        }
        return v;
    }

    private static KerasFileException refused(Options o, RuntimeException e) {
        String message = String.valueOf(e.getMessage()).replaceFirst("^Layer '[^']*' \\([A-Za-z0-9]+\\): ", "");
        return new KerasFileException(o.where() + ": " + message, e);
    }

    static boolean writes(Layer l) {
        return l instanceof STFTSpectrogram || l instanceof MelSpectrogram;
    }

    /** Keras 3's get_config of the layer, after {@code c}'s name, trainable and dtype, in Keras's key order. */
    static void write(Layer layer, Map<String, Object> c) {
        switch (layer) {
            case STFTSpectrogram s -> {
                c.put("mode", s.mode().kerasName());
                c.put("frame_length", s.frameLength());
                c.put("frame_step", s.frameStep());
                c.put("fft_length", s.fftLength());
                c.put("window", s.window());
                c.put("periodic", s.periodic());
                c.put("scaling", s.scaling());
                c.put("padding", s.padding());
                c.put("data_format", s.dataFormat());
                c.put("expand_dims", s.expandDims());
            }
            case MelSpectrogram m -> {
                c.put("fft_length", m.fftLength());
                c.put("sequence_stride", m.sequenceStride());
                c.put("sequence_length", m.sequenceLength());
                c.put("window", m.window());
                c.put("sampling_rate", whole(m.samplingRate()));
                c.put("num_mel_bins", m.numMelBins());
                c.put("min_freq", m.minFreq());
                c.put("max_freq", whole(m.maxFreq()));
                c.put("power_to_db", m.powerToDb());
                c.put("top_db", m.topDb());
                c.put("mag_exp", m.magExp());
                c.put("min_power", m.minPower());
                c.put("ref_power", m.refPower());
            }
            default -> throw new IllegalArgumentException("not an audio layer: " + layer.className());
        }
    }

    /** An int where the value is whole (Keras's sampling_rate and default max_freq are ints), else the double. */
    private static Object whole(double v) {
        return v == Math.rint(v) && Math.abs(v) < Integer.MAX_VALUE ? (Object) (int) v : (Object) v;
    }
}
