package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.MelSpectrogram;
import io.rnn4j.layers.Permute;
import io.rnn4j.layers.STFTSpectrogram;
import io.rnn4j.layers.model.Sequential;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * STFTSpectrogram and MelSpectrogram configs: every option survives a .keras round trip with Keras
 * 3's keys and values (stft_spectrogram.py / mel_spectrogram.py get_config), the models predict
 * the same bits after it, Keras 3 config entries written by hand load with Keras's defaults for
 * absent keys, and what rnn4j does not compute (mode "angle", a window array) is refused by name.
 * Seed 37.
 */
class AudioLayersConfigTest {
    @TempDir
    Path tmp;

    private static Layer read(String json) {
        return new LayerReader(false).read(ModelReader.parse("test", "layer", json)).layer();
    }

    @Test
    void everyStftOptionRoundTripsThroughDotKerasWithKerasKeys() throws IOException {
        Sequential m = Sequential.of(Input.shape(3, 40),
                new STFTSpectrogram(12).mode("psd").frameStep(5).fftLength(20).window("hamming").periodic(true)
                        .scaling("spectrum").padding("same").expandDims(true).dataFormat("channels_first")
                        .named("spec"));
        Tensor x = TestTensors.gaussian(37, 2, 3, 40);
        float[] before = m.predict(x).toArray();
        Path file = tmp.resolve("stft.keras");
        Models.save(m, file);
        Map<String, Object> c = new ConfigWriter().layer(m.layers().get(0));
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) c.get("config");
        assertThat(config.keySet()).containsExactly("name", "trainable", "dtype", "mode", "frame_length", "frame_step",
                "fft_length", "window", "periodic", "scaling", "padding", "data_format", "expand_dims");
        KerasModel back = Models.load(file);
        STFTSpectrogram s = (STFTSpectrogram) back.layers().get(0);
        assertThat(s.name()).isEqualTo("spec");
        assertThat(s.mode()).isEqualTo(STFTSpectrogram.Mode.PSD);
        assertThat(new Object[] {s.frameLength(), s.frameStep(), s.fftLength(), s.window(), s.periodic(),
            s.scaling(), s.padding(), s.expandDims(), s.dataFormat()})
                .containsExactly(12, 5, 20, "hamming", true, "spectrum", "same", true, "channels_first");
        assertThat(back.predict(x).toArray()).as("the same bits after the round trip").containsExactly(before);
    }

    @Test
    void trainedStftKernelsAndNoneDefaultsRoundTrip() throws IOException {
        STFTSpectrogram spec = new STFTSpectrogram(8).window(null).scaling(null);
        Sequential m = Sequential.of(Input.shape(Input.NONE, 1), spec, new GRU(3), new Dense(1));
        Tensor w = TestTensors.gaussian(37, 8, 1, 5);
        spec.weights().get(0).set(w); // as training would move them
        Path file = tmp.resolve("stft_none.keras");
        Models.save(m, file);
        STFTSpectrogram s = (STFTSpectrogram) Models.load(file).layers().get(0);
        assertThat(s.frameStep()).as("frame_step None stays None").isNull();
        assertThat(s.fftLength()).as("fft_length None stays None").isNull();
        assertThat(s.window()).isNull();
        assertThat(s.scaling()).isNull();
        assertThat(s.getWeights().get(0).toArray()).containsExactly(w.toArray());
        Tensor x = TestTensors.gaussian(37, 2, 20, 1);
        assertThat(Models.load(file).predict(x).toArray()).containsExactly(m.predict(x).toArray());
    }

    @Test
    void everyMelOptionRoundTripsThroughDotKerasWithKerasKeys() throws IOException {
        Sequential m = Sequential.of(Input.shape(200),
                new MelSpectrogram().fftLength(64).sequenceStride(16).sequenceLength(40).window("hamming")
                        .samplingRate(22050).numMelBins(9).minFreq(60).maxFreq(7000.5).topDb(50).magExp(1.5)
                        .minPower(1e-6).refPower(2),
                new Permute(2, 1), new GRU(2));
        Tensor x = TestTensors.gaussian(37, 2, 200);
        Path file = tmp.resolve("mel.keras");
        Models.save(m, file);
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) new ConfigWriter().layer(m.layers().get(0)).get("config");
        assertThat(config.keySet()).containsExactly("name", "trainable", "dtype", "fft_length", "sequence_stride",
                "sequence_length", "window", "sampling_rate", "num_mel_bins", "min_freq", "max_freq", "power_to_db",
                "top_db", "mag_exp", "min_power", "ref_power");
        KerasModel back = Models.load(file);
        MelSpectrogram l = (MelSpectrogram) back.layers().get(0);
        assertThat(new Object[] {l.fftLength(), l.sequenceStride(), l.sequenceLength(), l.window(),
            l.samplingRate(), l.numMelBins(), l.minFreq(), l.maxFreq(), l.powerToDb(), l.topDb(), l.magExp(),
            l.minPower(), l.refPower()})
                .containsExactly(64, 16, 40, "hamming", 22050.0, 9, 60.0, 7000.5, true, 50.0, 1.5, 1e-6, 2.0);
        assertThat(back.predict(x).toArray()).containsExactly(m.predict(x).toArray());
    }

    /** Entries as Keras 3.15.1 writes them (keys absent fall back to Keras's constructor defaults). */
    @Test
    void handWrittenKeras3EntriesLoadWithKerasDefaults() {
        STFTSpectrogram s = (STFTSpectrogram) read("""
                {"module": "keras.layers", "class_name": "STFTSpectrogram", "config": {"name": "stft",
                 "trainable": false, "dtype": {"module": "keras", "class_name": "DTypePolicy",
                 "config": {"name": "float32"}, "registered_name": null}, "mode": "stft", "frame_length": 32,
                 "frame_step": null, "fft_length": 64, "window": "hann", "periodic": false, "scaling": "density",
                 "padding": "valid", "data_format": "channels_last", "expand_dims": false},
                 "registered_name": null, "build_config": {"input_shape": [null, 100, 1]}}""");
        assertThat(s.mode()).isEqualTo(STFTSpectrogram.Mode.STFT);
        assertThat(s.frameLength()).isEqualTo(32);
        assertThat(s.fftLength()).isEqualTo(64);
        assertThat(s.trainable()).isFalse();
        STFTSpectrogram d = (STFTSpectrogram) read("""
                {"class_name": "STFTSpectrogram", "config": {"name": "d"}}""");
        assertThat(new Object[] {d.mode(), d.frameLength(), d.frameStep(), d.fftLength(), d.window(), d.scaling(),
            d.padding(), d.dataFormat()}).containsExactly(STFTSpectrogram.Mode.LOG, 256, null, null, "hann",
                "density", "valid", "channels_last");
        MelSpectrogram m = (MelSpectrogram) read("""
                {"module": "keras.layers", "class_name": "MelSpectrogram", "config": {"name": "mel",
                 "trainable": true, "dtype": "float32", "fft_length": 512, "sequence_stride": 128,
                 "sequence_length": 400, "window": null, "sampling_rate": 8000, "num_mel_bins": 40,
                 "min_freq": 20.0, "max_freq": 4000, "power_to_db": true, "top_db": 80.0, "mag_exp": 2.0,
                 "min_power": 1e-10, "ref_power": 1.0}, "registered_name": null}""");
        assertThat(new Object[] {m.fftLength(), m.sequenceStride(), m.sequenceLength(), m.window(),
            m.samplingRate(), m.numMelBins(), m.maxFreq()}).containsExactly(512, 128, 400, null, 8000.0, 40, 4000.0);
        MelSpectrogram md = (MelSpectrogram) read("""
                {"class_name": "MelSpectrogram", "config": {"name": "md", "sampling_rate": 22050}}""");
        assertThat(new Object[] {md.fftLength(), md.sequenceStride(), md.sequenceLength(), md.window(),
            md.numMelBins(), md.minFreq(), md.maxFreq(), md.topDb(), md.magExp(), md.minPower(), md.refPower()})
                .as("Keras's defaults; max_freq int(22050 / 2)")
                .containsExactly(2048, 512, 2048, "hann", 128, 20.0, 11025.0, 80.0, 2.0, 1e-10, 1.0);
    }

    @Test
    void whatRnn4jDoesNotComputeIsRefusedByName() {
        assertThatThrownBy(() -> read("""
                {"class_name": "STFTSpectrogram", "config": {"name": "a", "mode": "angle"}}"""))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("layer 'a' (STFTSpectrogram)")
                .hasMessageContaining("atan2");
        assertThatThrownBy(() -> read("""
                {"class_name": "STFTSpectrogram", "config": {"name": "w", "frame_length": 4,
                 "window": [0.1, 0.5, 0.5, 0.1]}}"""))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("layer 'w' (STFTSpectrogram)")
                .hasMessageContaining("window").hasMessageContaining("no window array");
        assertThatThrownBy(() -> read("""
                {"class_name": "STFTSpectrogram", "config": {"name": "b", "window": "blackman"}}"""))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("'blackman'");
        assertThatThrownBy(() -> read("""
                {"class_name": "MelSpectrogram", "config": {"name": "t", "top_db": null}}"""))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("layer 't' (MelSpectrogram)")
                .hasMessageContaining("top_db");
        assertThatThrownBy(() -> read("""
                {"class_name": "MelSpectrogram", "config": {"name": "u", "center": false}}"""))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("'center'");
    }
}
