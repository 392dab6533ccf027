package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.ActivationLayer;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Dropout;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.Flatten;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Masking;
import io.rnn4j.layers.MergeMode;
import io.rnn4j.layers.RepeatVector;
import io.rnn4j.layers.Reshape;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SimpleRNN;
import io.rnn4j.layers.TimeDistributed;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saving as .keras: a model built and briefly trained here, saved and loaded back, predicts the
 * same bits; the archive has Keras 3's entries and paths; a Keras 2 model with hard_sigmoid comes
 * back with Keras 2's hard_sigmoid; the target is replaced whole and no temporary file is left.
 */
class SaveTest {
    private static final long SEED = 20260501L;

    @TempDir
    Path tmp;

    @Test
    void trainedRecurrentStackRoundTripsBitForBit() throws IOException {
        System.out.println("SaveTest seed " + SEED);
        Seeds.set(SEED);
        Sequential m = Sequential.of(Input.shape(7, 3),
                new LSTM(5).returnSequences(true),
                new Bidirectional(new GRU(4).returnSequences(true), MergeMode.AVE),
                new TimeDistributed(new Dense(3, "tanh")),
                new Flatten(),
                new Dense(2, "softmax"));
        Tensor x = TestTensors.gaussian(SEED, 16, 7, 3);
        m.compile(Optimizers.adam(), Losses.meanSquaredError());
        m.fit(x, TestTensors.gaussian(SEED, 16, 2), Fit.defaults().batchSize(8).epochs(2).verbose(0));
        assertRoundTrip(m, x, "stack.keras");
    }

    @Test
    void embeddingMaskAndShapeLayersRoundTrip() throws IOException {
        Seeds.set(SEED + 1);
        Sequential m = Sequential.of(Input.shape(6),
                new Embedding(20, 4).maskZero(true),
                new SimpleRNN(5).activation("relu"),
                new RepeatVector(3),
                new GRU(4).resetAfter(false).returnSequences(true).goBackwards(true),
                new Dropout(0.3f),
                new Reshape(12),
                new ActivationLayer("relu"),
                new Dense(1).useBias(false));
        float[] ids = {1, 2, 0, 0, 5, 19, 3, 3, 3, 0, 0, 0, 7, 8, 9, 10, 11, 12};
        assertRoundTrip(m, Tensor.of(ids, 3, 6), "embedding.keras");
    }

    @Test
    void maskingValueRoundTrips() throws IOException {
        Seeds.set(SEED + 2);
        Sequential m = Sequential.of(Input.shape(5, 2), new Masking(0.5f), new LSTM(3));
        Tensor x = TestTensors.gaussian(SEED, 4, 5, 2);
        float[] v = x.toArray();
        v[2] = 0.5f; // sample 0, step 1 is masked
        v[3] = 0.5f;
        assertRoundTrip(m, Tensor.of(v, 4, 5, 2), "masking.keras");
    }

    @Test
    void keras2HardSigmoidComesBackAsKeras2() throws IOException {
        Path src = Fixtures.file("dl4j-simple-flatten-lstm/simple_flatten_lstm_tf_keras_2_model.h5");
        KerasModel loaded = Models.load(src);
        Path out = tmp.resolve("lstm.keras");
        Models.save(loaded, out);
        assertThat(entry(out, "metadata.json")).contains("\"keras_version\": \"2.15.0\"");
        KerasModel back = Models.load(out);
        Tensor x = TestTensors.gaussian(SEED, 5, 1, 1);
        assertThat(back.predict(x).toArray()).isEqualTo(loaded.predict(x).toArray());
    }

    @Test
    void savedArchiveHasKeras3EntriesAndPaths() throws IOException {
        Seeds.set(SEED + 3);
        Sequential m = Sequential.of(Input.shape(4, 2), new LSTM(3).returnSequences(true), new Dropout(0.1f),
                new LSTM(2), new Dense(1));
        Path out = tmp.resolve("paths.keras");
        Files.writeString(out, "an older file that must be replaced whole");
        Models.save(m, out);
        try (ZipFile z = new ZipFile(out.toFile())) {
            assertThat(z.stream().map(ZipEntry::getName).toList())
                    .containsExactly("metadata.json", "config.json", "model.weights.h5");
            assertThat(z.stream().map(ZipEntry::getMethod).toList()).containsOnly(ZipEntry.STORED);
        }
        String config = entry(out, "config.json");
        assertThat(config).startsWith("{\"module\": \"keras\", \"class_name\": \"Sequential\"")
                .contains("\"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, 4, 2]");
        assertThat(entry(out, "metadata.json")).contains("\"keras_version\": \"3.10.0\"");
        try (var h5 = io.jhdf.HdfFile.fromBytes(Archives.bytes(out, "model.weights.h5"))) {
            for (String p : List.of("layers/lstm/cell/vars/0", "layers/lstm/cell/vars/2", "layers/lstm_1/cell/vars/1",
                    "layers/dense/vars/0", "layers/dense/vars/1")) {
                assertThat(h5.getDatasetByPath(p)).as(p).isNotNull();
            }
            assertThat(h5.getDatasetByPath("layers/lstm_1/cell/vars/1").getDimensions()).containsExactly(2, 8);
        }
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("paths.keras");
        }
    }

    private void assertRoundTrip(Sequential m, Tensor x, String name) throws IOException {
        Path out = tmp.resolve(name);
        Models.save(m, out);
        KerasModel back = Models.load(out);
        assertThat(back.layers()).extracting(Layer::className)
                .containsExactlyElementsOf(m.layers().stream().map(Layer::className).toList());
        assertThat(back.layers()).extracting(Layer::name)
                .containsExactlyElementsOf(m.layers().stream().map(Layer::name).toList());
        assertThat(back.countParams()).isEqualTo(m.countParams());
        assertThat(back.predict(x).toArray()).as("%s: predictions after save and load, bit for bit", name)
                .isEqualTo(m.predict(x).toArray());
    }


    static String entry(Path zip, String entry) throws IOException {
        return new String(Archives.bytes(zip, entry), StandardCharsets.UTF_8);
    }

    /** Keras's from_config passes each saved name, drawing no automatic one: later layers are named as without the load. */
    @Test
    void loadingDrawsNoAutomaticNames() throws IOException {
        var a = Input.shape(2);
        Model m = Model.of(a, new LSTM(3).apply(new Dense(2).apply(new io.rnn4j.layers.Reshape(1, 2).apply(a))));
        Path out = tmp.resolve("names.keras");
        Models.save(m, out);
        String before = new LSTM(1).name();
        KerasModel back = Models.load(out);
        String after = new LSTM(1).name();
        int n = before.equals("lstm") ? 0 : Integer.parseInt(before.substring("lstm_".length()));
        assertThat(after).as("the next LSTM after %s, with a model of an LSTM loaded between", before)
                .isEqualTo("lstm_" + (n + 1));
        assertThat(back.layers()).extracting(Layer::name)
                .containsExactlyElementsOf(m.layers().stream().map(Layer::name).toList());
        assertThat(back.name()).isEqualTo(m.name());
    }
}
