package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Concatenate;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.GlobalAveragePooling1D;
import io.rnn4j.layers.GlobalMaxPooling1D;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Maximum;
import io.rnn4j.layers.Minimum;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GlobalAveragePooling1D, GlobalMaxPooling1D, Maximum and Minimum in Keras files: configs with the
 * keys Keras 3's get_config writes (base_global_pooling.py: data_format, keepdims; base_merge.py:
 * the base keys only) are saved and read back; hand-written Keras 3 entries load; an
 * LSTM(return_sequences) -> GlobalMaxPooling1D -> Dense model trains (loss falls) and predicts the
 * same bits after save and load, as do a masked average-pooling model and a functional model of
 * Maximum and Minimum. Seed 1104.
 */
class PoolingAndExtremaFilesTest {
    private static final long SEED = 1104;

    @TempDir
    Path tmp;

    @Test
    void lstmGlobalMaxPoolingDenseTrainsAndRoundTrips() throws IOException {
        System.out.println("PoolingAndExtremaFilesTest seed " + SEED);
        Seeds.set(SEED);
        Sequential m = Sequential.of(Input.shape(6, 3), new LSTM(8).returnSequences(true), new GlobalMaxPooling1D(),
                new Dense(2));
        Tensor x = random(32, 6, 3);
        Tensor y = random(32, 2);
        m.compile(Optimizers.adam(0.01), Losses.meanSquaredError());
        History h = m.fit(x, y, Fit.defaults().batchSize(8).epochs(5).shuffle(false).verbose(0));
        List<Double> loss = h.get("loss");
        assertThat(loss.get(loss.size() - 1)).as("loss after 5 epochs vs after the first: %s", loss)
                .isLessThan(loss.get(0));
        Path out = tmp.resolve("lstm_gmp.keras");
        Models.save(m, out);
        assertThat(SaveTest.entry(out, "config.json")).contains("{\"module\": \"keras.layers\", \"class_name\": "
                + "\"GlobalMaxPooling1D\", \"config\": {\"name\": \"" + m.layers().get(1).name() + "\", \"trainable\": "
                + "true, \"dtype\": \"float32\", \"data_format\": \"channels_last\", \"keepdims\": false}");
        KerasModel back = Models.load(out);
        assertThat(back.layers()).extracting(Layer::className).containsExactly("LSTM", "GlobalMaxPooling1D", "Dense");
        assertThat(back.countParams()).isEqualTo(m.countParams());
        assertThat(back.predict(x).toArray()).as("predictions after save and load, bit for bit")
                .isEqualTo(m.predict(x).toArray());
    }

    @Test
    void poolingOptionsAndMaskedAverageRoundTrip() throws IOException {
        Seeds.set(SEED + 1);
        Sequential masked = Sequential.of(Input.shape(5), new Embedding(12, 4).maskZero(true),
                new GRU(3).returnSequences(true), new GlobalAveragePooling1D("channels_last", true), new Dense(2));
        Tensor ids = Tensor.of(new float[] {1, 2, 0, 0, 0, 11, 3, 3, 0, 0, 7, 8, 9, 10, 11}, 3, 5);
        Path out = tmp.resolve("masked_gap.keras");
        Models.save(masked, out);
        KerasModel back = Models.load(out);
        GlobalAveragePooling1D gap = (GlobalAveragePooling1D) back.layers().get(2);
        assertThat(gap.keepdims()).isTrue();
        assertThat(gap.dataFormat()).isEqualTo("channels_last");
        assertThat(back.predict(ids).toArray()).isEqualTo(masked.predict(ids).toArray());
        assertThat(back.predict(ids).shape()).isEqualTo(Shape.of(3, 1, 2));

        Sequential first = Sequential.of(Input.shape(4, Input.NONE), new GlobalMaxPooling1D("channels_first", true),
                new Dense(2));
        Path out2 = tmp.resolve("channels_first.keras");
        Models.save(first, out2);
        assertThat(SaveTest.entry(out2, "config.json")).contains("\"data_format\": \"channels_first\", "
                + "\"keepdims\": true");
        KerasModel back2 = Models.load(out2);
        GlobalMaxPooling1D gmp = (GlobalMaxPooling1D) back2.layers().get(0);
        assertThat(gmp.dataFormat()).isEqualTo("channels_first");
        assertThat(gmp.keepdims()).isTrue();
        Tensor x = random(2, 4, 9);
        assertThat(back2.predict(x).toArray()).isEqualTo(first.predict(x).toArray());
    }

    @Test
    void functionalMaximumAndMinimumRoundTrip() throws IOException {
        Seeds.set(SEED + 2);
        Input in = Input.shape(5, 3);
        SymbolicTensor a = new LSTM(4).returnSequences(true).apply(in);
        SymbolicTensor b = new GRU(4).returnSequences(true).apply(in);
        SymbolicTensor hi = new Maximum().apply(a, b);
        SymbolicTensor lo = new Minimum().apply(a, b);
        SymbolicTensor pooled = new GlobalAveragePooling1D().apply(new Concatenate().apply(hi, lo));
        Model m = Model.of(in, new Dense(1).apply(pooled));
        Tensor x = random(4, 5, 3);
        Path out = tmp.resolve("extrema.keras");
        Models.save(m, out);
        assertThat(SaveTest.entry(out, "config.json")).contains("\"class_name\": \"Maximum\", \"config\": {\"name\": "
                + "\"" + hi.layer().name() + "\", \"trainable\": true, \"dtype\": \"float32\"}");
        KerasModel back = Models.load(out);
        assertThat(back.layers()).extracting(Layer::className).contains("Maximum", "Minimum",
                "GlobalAveragePooling1D");
        assertThat(back.predict(x).toArray()).as("functional predictions after save and load, bit for bit")
                .isEqualTo(m.predict(x).toArray());
    }

    @Test
    void handWrittenKeras3EntriesLoad() {
        String dtype = "{\"module\": \"keras\", \"class_name\": \"DTypePolicy\", \"config\": {\"name\": \"float32\"}, "
                + "\"registered_name\": null}";
        Layer gap = read("{\"module\": \"keras.layers\", \"class_name\": \"GlobalAveragePooling1D\", \"config\": "
                + "{\"name\": \"pool\", \"trainable\": true, \"dtype\": " + dtype + ", \"data_format\": "
                + "\"channels_first\", \"keepdims\": true}, \"registered_name\": null, \"build_config\": "
                + "{\"input_shape\": [null, 8, 20]}}");
        assertThat(gap).isInstanceOf(GlobalAveragePooling1D.class);
        assertThat(gap.name()).isEqualTo("pool");
        assertThat(((GlobalAveragePooling1D) gap).dataFormat()).isEqualTo("channels_first");
        assertThat(((GlobalAveragePooling1D) gap).keepdims()).isTrue();
        GlobalMaxPooling1D gmp = (GlobalMaxPooling1D) read("{\"class_name\": \"GlobalMaxPooling1D\", \"config\": "
                + "{\"name\": \"global_max_pooling1d\", \"trainable\": true, \"dtype\": " + dtype + ", "
                + "\"data_format\": \"channels_last\", \"keepdims\": false}}");
        assertThat(gmp.dataFormat()).isEqualTo("channels_last");
        assertThat(gmp.keepdims()).isFalse();
        assertThat(read("{\"class_name\": \"Maximum\", \"config\": {\"name\": \"maximum\", \"trainable\": true, "
                + "\"dtype\": " + dtype + "}}")).isInstanceOf(Maximum.class);
        assertThat(read("{\"class_name\": \"Minimum\", \"config\": {\"name\": \"min\", \"trainable\": true, "
                + "\"dtype\": \"float32\"}}")).isInstanceOf(Minimum.class);
        assertThat(LayerReader.KNOWN_UNSUPPORTED).doesNotContain("GlobalAveragePooling1D", "GlobalMaxPooling1D",
                "Maximum", "Minimum");
        assertThatThrownBy(() -> read("{\"class_name\": \"GlobalMaxPooling1D\", \"config\": {\"name\": \"p\", "
                + "\"data_format\": \"nchw\"}}")).isInstanceOf(KerasFileException.class)
                .hasMessage("unsupported option data_format='nchw' in layer 'p' (GlobalMaxPooling1D)");
        assertThatThrownBy(() -> read("{\"class_name\": \"GlobalAveragePooling1D\", \"config\": {\"name\": \"p\", "
                + "\"pool_size\": 2}}")).isInstanceOf(KerasFileException.class).hasMessageContaining("pool_size");
    }

    /** A whole Keras 3 model as its config.json and model.weights.h5 hold it, written here by hand. */
    @Test
    void handWrittenKeras3ModelWithNoneTimestepsLoads() throws IOException {
        String json = """
                {"module": "keras", "class_name": "Sequential", "config": {"name": "sequential", "trainable": true,
                 "dtype": "float32", "layers": [
                  {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, null, 2],
                   "dtype": "float32", "sparse": false, "name": "input_layer"}, "registered_name": null},
                  {"module": "keras.layers", "class_name": "GlobalMaxPooling1D", "config": {"name":
                   "global_max_pooling1d", "trainable": true, "dtype": "float32", "data_format": "channels_last",
                   "keepdims": false}, "registered_name": null, "build_config": {"input_shape": [null, null, 2]}},
                  {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "trainable": true,
                   "dtype": "float32", "units": 1, "activation": "linear", "use_bias": true,
                   "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config":
                   {"seed": null}, "registered_name": null}, "bias_initializer": {"module": "keras.initializers",
                   "class_name": "Zeros", "config": {}, "registered_name": null}, "kernel_regularizer": null,
                   "bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null},
                   "registered_name": null, "build_config": {"input_shape": [null, 2]}}]},
                 "registered_name": null, "build_config": {"input_shape": [null, null, 2]}}
                """;
        Path config = Files.writeString(tmp.resolve("model.json"), json);
        Path weights = tmp.resolve("model.weights.h5");
        try (WritableHdfFile h5 = HdfFile.write(weights)) {
            WritableGroup layers = h5.putGroup("layers");
            layers.putGroup("global_max_pooling1d").putGroup("vars");
            WritableGroup dense = layers.putGroup("dense").putGroup("vars");
            dense.putDataset("0", new float[][] {{2}, {-1}});
            dense.putDataset("1", new float[] {0.5f});
        }
        KerasModel m = Models.load(config, weights);
        Tensor x1 = Tensor.of(new float[] {1, 5, 3, -2, 0, 4}, 1, 3, 2);
        Tensor x2 = Tensor.of(new float[] {-1, 2, -2, -4}, 1, 2, 2);
        // The maximum over 3 steps, then over 2 (the input's steps are None): (3, 5) gives 2·3 − 5 + 0.5,
        // (−1, 2) gives −2 − 2 + 0.5.
        assertThat(m.predict(x1).toArray()).containsExactly(1.5f);
        assertThat(m.predict(x2).toArray()).containsExactly(-3.5f);
    }

    private static Layer read(String entry) {
        Map<String, Object> e = ModelReader.parse("test", "layer", entry);
        return new LayerReader(false).read(e).layer();
    }

    private static Tensor random(int... dims) {
        SplittableRandom r = new SplittableRandom(SEED);
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Tensor.of(v, dims);
    }
}
