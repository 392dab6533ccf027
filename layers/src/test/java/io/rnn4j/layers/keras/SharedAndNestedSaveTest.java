package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.jhdf.HdfFile;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.BatchNormalization;
import io.rnn4j.layers.Concatenate;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared layers and nested models through .keras files: a siamese model — a functional encoder
 * applied to two inputs, a Dense shared by both branches, a Sequential head — trained briefly,
 * saved and loaded, predicts the same bits; its config numbers each layer's calls as Keras 3 does
 * (the shared Dense's two inbound nodes take encoder nodes 0 and 1; output_layers counts the
 * nested functional model's calls from 1) and its weights sit at Keras 3's nested paths
 * ({@code layers/functional/layers/lstm/cell/vars/0}). A Sequential holding a functional model
 * round-trips too. Seed 107.
 */
class SharedAndNestedSaveTest {
    private static final long SEED = 107;

    @TempDir
    Path tmp;


    private static Model encoder() {
        Input in = Input.shape(5, 3).named("enc_in");
        SymbolicTensor h = new LSTM(6).named("enc_lstm").apply(in);
        return Model.of(in, new Dense(4, "tanh").named("enc_dense").apply(h)).named("encoder");
    }

    private static String entry(Path zip, String name) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return new String(z.getInputStream(z.getEntry(name)).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void assertSameOutputs(List<Tensor> want, List<Tensor> got) {
        assertThat(got).hasSize(want.size());
        for (int i = 0; i < want.size(); i++) {
            assertThat(got.get(i).toArray()).as("output %d after save and load, bit for bit", i)
                    .isEqualTo(want.get(i).toArray());
        }
    }

    @Test
    void aSiameseModelWithANestedEncoderAndASharedLayerRoundTrips() throws IOException {
        System.out.println("SharedAndNestedSaveTest seed " + SEED);
        Seeds.set(SEED);
        Model enc = encoder();
        Input left = Input.shape(5, 3).named("left");
        Input right = Input.shape(5, 3).named("right");
        SymbolicTensor a = enc.apply(left);
        SymbolicTensor b = enc.apply(right);
        Dense shared = new Dense(4).named("shared");
        SymbolicTensor joined = new Concatenate().named("cat").apply(shared.apply(a), shared.apply(b));
        Sequential head = Sequential.of(new Dense(3, "relu"), new BatchNormalization(), new Dense(1)).named("head");
        Model m = Model.of(List.of(left, right), List.of(head.apply(joined), a)).named("siamese");

        List<Tensor> x = List.of(TestTensors.gaussian(SEED, 8, 5, 3), TestTensors.gaussian(SEED + 1, 8, 5, 3));
        m.compile(Optimizers.adam(0.01), List.of(Losses.meanSquaredError(), Losses.meanSquaredError()),
                List.of(List.of(), List.of()));
        m.fit(x, List.of(TestTensors.gaussian(SEED + 2, 8, 1), TestTensors.gaussian(SEED + 3, 8, 4)), Fit.defaults().batchSize(4).epochs(1).verbose(0));
        Path out = tmp.resolve("siamese.keras");
        Models.save(m, out);

        String config = entry(out, "config.json");
        String history0 = "\"keras_history\": [\"encoder\", 0, 0]";
        String history1 = "\"keras_history\": [\"encoder\", 1, 0]";
        int sharedAt = config.indexOf("\"name\": \"shared\", \"inbound_nodes\"");
        assertThat(sharedAt).as("the shared layer's entry").isPositive();
        String sharedNodes = config.substring(sharedAt, config.indexOf("\"name\": \"cat\""));
        assertThat(sharedNodes).contains(history0).contains(history1);
        assertThat(sharedNodes.indexOf(history0)).isLessThan(sharedNodes.indexOf(history1));
        assertThat(config).contains("\"class_name\": \"Sequential\"").contains("\"name\": \"encoder\"")
                .contains("\"output_layers\": [[\"head\", 0, 0], [\"encoder\", 1, 0]]")
                .contains("\"keras_history\": [\"shared\", 1, 0]");
        try (ZipFile z = new ZipFile(out.toFile());
                HdfFile h5 = HdfFile.fromBytes(z.getInputStream(z.getEntry("model.weights.h5")).readAllBytes())) {
            assertThat(h5.getByPath("layers/functional/layers/lstm/cell/vars/0")).isNotNull();
            assertThat(h5.getByPath("layers/functional/layers/dense/vars/1")).isNotNull();
            assertThat(h5.getByPath("layers/dense/vars/0")).isNotNull();
            assertThat(h5.getByPath("layers/sequential/layers/batch_normalization/vars/3")).isNotNull();
            assertThat(h5.getByPath("layers/sequential/layers/dense_1/vars/0")).isNotNull();
        }

        KerasModel back = Models.load(out);
        Model b2 = back.functional();
        assertThat(b2.layers()).extracting(Layer::name).containsExactly("left", "right", "encoder", "shared", "cat",
                "head");
        assertThat(b2.layer("encoder")).isInstanceOf(Model.class);
        assertThat(b2.layer("head")).isInstanceOf(Sequential.class);
        assertThat(b2.layer("shared").inboundNodes()).hasSize(2);
        assertThat(Fixtures.layersOf(b2.summary())).isEqualTo(Fixtures.layersOf(m.summary()));
        assertSameOutputs(m.predict(x), b2.predict(x));
    }

    @Test
    void aSequentialHoldingAFunctionalModelRoundTrips() throws IOException {
        Seeds.set(SEED + 10);
        Model enc = encoder();
        Sequential s = Sequential.of(Input.shape(5, 3), enc, new Dense(2, "softmax").named("probs")).named("outer");
        Tensor x = TestTensors.gaussian(SEED + 11, 4, 5, 3);
        Path out = tmp.resolve("outer.keras");
        Models.save(s, out);
        assertThat(entry(out, "config.json")).contains("\"class_name\": \"Functional\"");
        KerasModel back = Models.load(out);
        Sequential b = back.sequential();
        assertThat(b.layers()).extracting(Layer::className).containsExactly("Functional", "Dense");
        assertThat(b.countParams()).isEqualTo(s.countParams());
        assertSameOutputs(List.of(s.predict(x)), List.of(b.predict(x)));
    }
}
