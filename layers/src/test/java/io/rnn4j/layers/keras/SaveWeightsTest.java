package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.BatchNormalization;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Dropout;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.model.TrainableModel;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keras's {@code save_weights} / {@code load_weights}: a {@code .weights.h5} round trip restores
 * every weight bit for bit (a Sequential, and a functional model with a nested model and a
 * Bidirectional); the file holds Keras 3's datasets — the paths, float32 and shapes Keras's
 * saving_lib writes, checked by hand against Keras's naming rules and against the
 * {@code model.weights.h5} Keras itself wrote in three fixtures (values included); only
 * {@code .weights.h5} names are taken, as Keras's saving_api.save_weights requires. Seed 211.
 */
class SaveWeightsTest {
    private static final long SEED = 211;
    private static final byte[] HDF5_MAGIC = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path tmp;

    private static Sequential sequential() {
        return Sequential.of(Input.shape(5, 3), new LSTM(4).returnSequences(true), new Dropout(0.1f),
                new BatchNormalization(), new LSTM(3), new Dense(2));
    }

    private static Model functional() {
        Input encIn = Input.shape(5, 3);
        SymbolicTensor h = new LSTM(6).returnSequences(true).apply(encIn);
        Model encoder = Model.of(encIn, new Dense(4, "tanh").apply(h)).named("encoder");
        Input in = Input.shape(5, 3);
        SymbolicTensor b = new Bidirectional(new GRU(3)).apply(encoder.apply(in));
        return Model.of(in, new Dense(2).apply(b));
    }

    /** Sets every weight to uniform values in (-1, 1) (variances to their absolute value), so no weight is 0 or 1. */
    private static void randomize(TrainableModel m, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Tensor> values = new ArrayList<>();
        for (Weight w : m.weights()) {
            float[] v = new float[Math.toIntExact(w.shape().size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) r.nextDouble(-1, 1);
                v[i] = w.name().equals("moving_variance") ? Math.abs(v[i]) : v[i];
            }
            values.add(Tensor.of(v, w.shape().dims()));
        }
        m.setWeights(values);
    }

    private static void assertSameBits(TrainableModel want, TrainableModel got) {
        List<Weight> ws = want.weights();
        for (int i = 0; i < ws.size(); i++) {
            assertThat(got.weights().get(i).value().toArray()).as("%s after save_weights / load_weights, bit for bit",
                    ws.get(i).path()).isEqualTo(ws.get(i).value().toArray());
        }
    }

    private static byte[] head(Path file) throws IOException {
        return Arrays.copyOf(Files.readAllBytes(file), 8);
    }

    @Test
    void aSequentialRoundTripsBitForBitAndTheFileHoldsKerasPathsShapesAndFloat32() throws IOException {
        System.out.println("SaveWeightsTest seed " + SEED);
        Seeds.set(SEED);
        Sequential a = sequential();
        randomize(a, SEED);
        a.compile(Optimizers.adam(0.01), Losses.meanSquaredError());
        a.fit(TestTensors.gaussian(SEED, 8, 5, 3), TestTensors.gaussian(SEED + 1, 8, 2),
                Fit.defaults().batchSize(4).epochs(1).verbose(0));
        Path file = tmp.resolve("sub").resolve("model.weights.h5");
        a.saveWeights(file);
        a.saveWeights(file); // an existing file is replaced, as Keras's default overwrite=True

        Sequential b = sequential();
        b.loadWeights(file);
        assertSameBits(a, b);
        Tensor x = TestTensors.gaussian(SEED + 2, 3, 5, 3);
        assertThat(b.predict(x).toArray()).isEqualTo(a.predict(x).toArray());
        assertThat(head(file)).as("an HDF5 file, as h5py writes").isEqualTo(HDF5_MAGIC);
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactly("model.weights.h5");
        }

        // Keras 3's saving_lib: layers/<snake_case(class)>[_n] numbered per class in model.layers order, an
        // RNN's variables on its cell, no group for Dropout's none; then the Adam optimizer's variables:
        // iterations (int64), learning_rate, then momentum and velocity of each trainable variable in turn.
        Map<String, String> want = new LinkedHashMap<>();
        want.put("layers/lstm/cell/vars/0", "float32 [3, 16]");
        want.put("layers/lstm/cell/vars/1", "float32 [4, 16]");
        want.put("layers/lstm/cell/vars/2", "float32 [16]");
        for (int i = 0; i < 4; i++) {
            want.put("layers/batch_normalization/vars/" + i, "float32 [4]");
        }
        want.put("layers/lstm_1/cell/vars/0", "float32 [4, 12]");
        want.put("layers/lstm_1/cell/vars/1", "float32 [3, 12]");
        want.put("layers/lstm_1/cell/vars/2", "float32 [12]");
        want.put("layers/dense/vars/0", "float32 [3, 2]");
        want.put("layers/dense/vars/1", "float32 [2]");
        want.put("optimizer/vars/0", "int64 []");
        want.put("optimizer/vars/1", "float32 []");
        List<String> trainable = List.of("[3, 16]", "[4, 16]", "[16]", "[4]", "[4]", "[4, 12]", "[3, 12]", "[12]",
                "[3, 2]", "[2]");
        for (int i = 0; i < trainable.size(); i++) {
            want.put("optimizer/vars/" + (2 + 2 * i), "float32 " + trainable.get(i));
            want.put("optimizer/vars/" + (3 + 2 * i), "float32 " + trainable.get(i));
        }
        assertThat(H5Listing.of(file)).containsExactlyInAnyOrderEntriesOf(want);
        try (HdfFile h5 = new HdfFile(file)) {
            assertThat(h5.getDatasetByPath("optimizer/vars/0").getData()).as("the iteration count: 2 batches")
                    .isEqualTo(2L);
        }
    }

    @Test
    void aFunctionalModelWithANestedModelAndABidirectionalRoundTripsBitForBit() throws IOException {
        Seeds.set(SEED + 10);
        Model a = functional();
        randomize(a, SEED + 10);
        Path file = tmp.resolve("functional.weights.h5");
        a.saveWeights(file);
        Model b = functional();
        b.loadWeights(file);
        assertSameBits(a, b);
        Tensor x = TestTensors.gaussian(SEED + 11, 2, 5, 3);
        assertThat(b.predict(x).toArray()).isEqualTo(a.predict(x).toArray());

        // The nested model's variables under its own path, numbered as the top level's; Bidirectional's
        // under forward_layer / backward_layer; an uncompiled model writes no optimizer group.
        Map<String, String> want = new LinkedHashMap<>();
        want.put("layers/functional/layers/lstm/cell/vars/0", "float32 [3, 24]");
        want.put("layers/functional/layers/lstm/cell/vars/1", "float32 [6, 24]");
        want.put("layers/functional/layers/lstm/cell/vars/2", "float32 [24]");
        want.put("layers/functional/layers/dense/vars/0", "float32 [6, 4]");
        want.put("layers/functional/layers/dense/vars/1", "float32 [4]");
        for (String side : List.of("forward_layer", "backward_layer")) {
            want.put("layers/bidirectional/" + side + "/cell/vars/0", "float32 [4, 9]");
            want.put("layers/bidirectional/" + side + "/cell/vars/1", "float32 [3, 9]");
            want.put("layers/bidirectional/" + side + "/cell/vars/2", "float32 [2, 9]");
        }
        want.put("layers/dense/vars/0", "float32 [6, 2]");
        want.put("layers/dense/vars/1", "float32 [2]");
        assertThat(H5Listing.of(file)).containsExactlyInAnyOrderEntriesOf(want);
    }

    /**
     * A model Keras saved, loaded and compiled from its file (optimizer state restored), written
     * again with saveWeights: the same datasets as the {@code model.weights.h5} Keras wrote — path,
     * dtype, shape and every value.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"keras3-har-bilstm-batchnorm/bidirectional_model.keras",
        "keras3-har-lstm-stacked-renamed/lstm_model.keras", "keras3-sqli-lstm-v3.1/rnn_model.keras"})
    void theFileHoldsTheDatasetsKerasWrote(String fixture) throws IOException {
        Path keras = Fixtures.file(fixture);
        KerasModel m = Models.load(keras, true);
        Path file = tmp.resolve("again.weights.h5");
        Models.saveWeights(m, file);
        byte[] kerasH5;
        try (ZipFile z = new ZipFile(keras.toFile())) {
            kerasH5 = z.getInputStream(z.getEntry("model.weights.h5")).readAllBytes();
        }
        Map<String, String> want = H5Listing.of(kerasH5);
        assertThat(want).as("the fixture has weights and an optimizer state").containsKey("layers/dense/vars/0")
                .containsKey("optimizer/vars/0");
        assertThat(H5Listing.of(file)).containsExactlyInAnyOrderEntriesOf(want);
        try (HdfFile ours = new HdfFile(file); HdfFile theirs = HdfFile.fromBytes(kerasH5)) {
            for (String path : want.keySet()) {
                Dataset d = ours.getDatasetByPath(path);
                assertThat(Objects.deepEquals(d.getData(), theirs.getDatasetByPath(path).getData()))
                        .as("%s holds Keras's values", path).isTrue();
            }
        }
        KerasModel copy = Models.load(keras);
        randomize(copy.sequential(), SEED);
        Models.loadWeights(copy, file);
        assertSameBits(m.sequential(), copy.sequential());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"w.h5", "w.keras", "w.bin", "weights.h5", "model.weights.h5.tmp", "model.weights",
        "model.WEIGHTS.H5"})
    void onlyWeightsH5NamesAreTakenAsKerasRequires(String name) {
        Seeds.set(SEED + 20);
        Path file = tmp.resolve(name);
        String kerasMessage = "the filename must end in `.weights.h5`. Received: filepath=" + file;
        assertThatThrownBy(() -> sequential().named("seq").saveWeights(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("seq: saveWeights (Keras's save_weights): " + kerasMessage);
        assertThatThrownBy(() -> functional().saveWeights(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith(kerasMessage);
        assertThat(file).as("nothing written").doesNotExist();
    }

    @Test
    void anUnbuiltSequentialIsRefused() {
        Sequential m = Sequential.of(new Dense(2));
        assertThatThrownBy(() -> m.saveWeights(tmp.resolve("m.weights.h5"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("build the model (give it an Input) before saving its weights");
        assertThat(tmp.resolve("m.weights.h5")).doesNotExist();
    }

    @Test
    void aFileOfNoKnownKindIsRefusedNamingTheKindsTaken() throws IOException {
        Seeds.set(SEED + 30);
        Sequential m = sequential();
        List<Tensor> before = m.getWeights();
        Path file = tmp.resolve("m.weights.h5");
        Files.writeString(file, "not weights at all");
        assertThatThrownBy(() -> m.loadWeights(file)).isInstanceOf(KerasFileException.class).hasMessage(file
                + ": not a weights file: neither HDF5 (Keras's .weights.h5 or .h5), a .keras archive (zip) nor an rnn4j "
                + "weights file (RNN4JWTS): it starts with 6e 6f 74 20 77 65 69 67");
        Files.write(file, new byte[0]);
        assertThatThrownBy(() -> m.loadWeights(file)).hasMessageEndingWith("it starts with nothing (empty file)");
        for (int i = 0; i < before.size(); i++) {
            assertThat(m.getWeights().get(i).toArray()).isEqualTo(before.get(i).toArray());
        }
    }

    @Test
    void aModelWithoutWeightsRoundTripsAndItsFileFitsNoModelWithWeights() throws IOException {
        Sequential m = Sequential.of(Input.shape(3), new Dropout(0.5f));
        Path file = tmp.resolve("none.weights.h5");
        m.saveWeights(file);
        assertThat(H5Listing.of(file)).isEmpty();
        m.loadWeights(file);
        assertThatThrownBy(() -> Sequential.of(Input.shape(3), new Dense(2).named("d")).loadWeights(file))
                .isInstanceOf(KerasFileException.class).hasMessageEndingWith("'layers/dense/vars' holds 0 variables "
                        + "but layer 'd' (Dense) expects 2 there [kernel, bias]");
    }
}
