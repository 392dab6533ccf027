package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.SimpleRNN;
import io.rnn4j.layers.model.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that must be refused, each with a message naming what is wrong and where: truncated
 * files, a zip without config.json, a weight of the wrong shape (the model is then unchanged), an
 * unknown layer class, an unsupported option, dtype or activation.
 */
class BadFilesTest {
    private static final String GRU_KERAS = "keras3-emg-gru-stacked/gru_model.keras";
    private static final String RNN_H5 = "dl4j-simple-rnn/simple_rnn_tf_keras_2_model.h5";

    @TempDir
    Path tmp;

    @Test
    void truncatedH5IsRefused() throws IOException {
        for (double f : new double[] {0.9, 0.5, 0.02}) {
            Path cut = Archives.truncated(Fixtures.file(RNN_H5), tmp.resolve("cut" + f + ".h5"), f);
            assertThatThrownBy(() -> Models.load(cut)).as("cut to %s", f).isInstanceOf(KerasFileException.class)
                    .hasMessageContaining(cut.toString()).hasMessageContaining("truncated or corrupt");
        }
    }

    @Test
    void truncatedKerasArchiveIsRefused() throws IOException {
        Path cut = Archives.truncated(Fixtures.file(GRU_KERAS), tmp.resolve("cut.keras"), 0.5);
        assertThatThrownBy(() -> Models.load(cut)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("not a readable .keras archive (truncated or corrupt zip)");
    }

    @Test
    void truncatedWeightsInsideAnArchiveAreRefused() throws IOException {
        // A well-formed zip whose model.weights.h5 lost its second half.
        Path src = Fixtures.file(GRU_KERAS);
        Path copy = tmp.resolve("cutweights.keras");
        try (var in = new java.util.zip.ZipFile(src.toFile());
                var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(copy))) {
            for (var e : in.stream().toList()) {
                byte[] data = in.getInputStream(e).readAllBytes();
                if (e.getName().equals("model.weights.h5")) {
                    data = java.util.Arrays.copyOf(data, data.length / 2);
                }
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                out.write(data);
                out.closeEntry();
            }
        }
        assertThatThrownBy(() -> Models.load(copy)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("model.weights.h5").hasMessageContaining("truncated or corrupt");
    }

    @Test
    void aDamagedByteInTheStoredWeightsIsRefusedByItsChecksum() throws IOException {
        // Keras stores model.weights.h5 uncompressed: one flipped bit still parses as HDF5 and, unless
        // the CRC-32 is checked, loads as a model that predicts wrong numbers.
        Path src = Fixtures.file(GRU_KERAS);
        byte[] raw = Files.readAllBytes(src);
        byte[] weights;
        try (var zip = new java.util.zip.ZipFile(src.toFile())) {
            weights = zip.getInputStream(zip.getEntry("model.weights.h5")).readAllBytes();
        }
        byte[] probe = java.util.Arrays.copyOfRange(weights, weights.length / 2, weights.length / 2 + 64);
        int at = -1;
        for (int i = 0; i + probe.length <= raw.length && at < 0; i++) {
            if (java.util.Arrays.equals(raw, i, i + probe.length, probe, 0, probe.length)) {
                at = i;
            }
        }
        assertThat(at).as("the fixture's weights are stored uncompressed, so their bytes appear in the archive")
                .isNotNegative();
        raw[at + 7] ^= 0x40;
        Path damaged = tmp.resolve("damaged.keras");
        Files.write(damaged, raw);
        assertThatThrownBy(() -> Models.load(damaged)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining(damaged.toString())
                .hasMessageContaining("model.weights.h5 in the archive is damaged: its CRC-32 is");
    }

    @Test
    void aKeras2LayerNamedWithASlashLoadsFromItsNestedGroups() throws Exception {
        // tf.keras 2 allowed "enc/bidi"; h5py stores it as nested groups, and Keras finds it by path.
        Path plain = resource("k2b.h5");
        Path slash = resource("k2b_slash.h5");
        KerasModel a = Models.load(plain);
        KerasModel b = Models.load(slash);
        Tensor x = io.rnn4j.layers.GradCheck.uniform(new java.util.Random(5), -1, 1, 2, 5, 3);
        List<Tensor> ya = a.predict(List.of(x));
        List<Tensor> yb = b.predict(List.of(x));
        assertThat(yb).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(yb.get(i).toArray()).as("output %d of the slash-named layer against the plain one", i)
                    .containsExactly(ya.get(i).toArray());
        }
    }

    private Path resource(String name) throws Exception {
        return Path.of(BadFilesTest.class.getResource("keras2-h5py/" + name).toURI());
    }

    @Test
    void zipWithoutConfigJsonIsRefused() throws IOException {
        Path p = Archives.copy(Fixtures.file(GRU_KERAS), tmp.resolve("noconfig.keras"), Map.of("config.json", s -> null));
        assertThatThrownBy(() -> Models.load(p)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("has no config.json").hasMessageContaining("metadata.json, model.weights.h5");
    }

    @Test
    void weightOfTheWrongShapeIsRefusedNamingLayerAndDataset() throws IOException {
        // gru_1 declared with 15 units: the file's kernel is (32, 48), the layer needs (32, 45).
        Path p = Archives.copy(Fixtures.file(GRU_KERAS), tmp.resolve("shape.keras"),
                Map.of("config.json", s -> s.replace("\"units\": 16", "\"units\": 15")));
        assertThatThrownBy(() -> Models.load(p)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("dataset '/layers/gru_1/cell/vars/0' has shape (32, 48) but weight 'kernel' "
                        + "of layer 'gru_1' (GRU) needs (32, 45)");
    }

    @Test
    void loadWeightsOfTheWrongShapeLeavesTheModelUnchanged() throws IOException {
        // The dl4j model is SimpleRNN(50) -> Dense(1); this one ends in Dense(2): the last weight does not fit.
        Sequential m = Sequential.of(Input.shape(1, 1), new SimpleRNN(50), new Dense(2));
        List<Tensor> before = m.getWeights();
        assertThatThrownBy(() -> Models.loadWeights(m, Fixtures.file("dl4j-simple-rnn/simple_rnn_tf_keras_2_weights.h5")))
                .isInstanceOf(KerasFileException.class)
                .hasMessageContaining("has shape (50, 1) but weight 'kernel' of layer '" + m.layers().get(1).name()
                        + "' (Dense) needs (50, 2)");
        List<Tensor> after = m.getWeights();
        for (int i = 0; i < before.size(); i++) {
            assertThat(after.get(i).toArray()).as("weight %d untouched", i).isEqualTo(before.get(i).toArray());
        }
    }

    @Test
    void unknownLayerClassIsRefusedByName() throws IOException {
        Path p = Archives.copy(Fixtures.file(GRU_KERAS), tmp.resolve("unknown.keras"),
                Map.of("config.json", s -> s.replace("\"class_name\": \"Dense\"", "\"class_name\": \"Frobnicate\"")));
        assertThatThrownBy(() -> Models.load(p)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("unsupported layer dense (Frobnicate) in layer 'dense'");
    }

    @Test
    void unsupportedOptionsDtypesAndActivationsAreRefusedByName() throws IOException {
        Map<String, String> cases = Map.of(
                "\"unroll\": false, \"zero_output_for_mask\": false, \"units\": 32",
                "unsupported option 'frob' = 1 in layer 'gru' (GRU)",
                "\"activation\": \"softmax\"",
                "unsupported option activation='sparsemax' in layer 'dense' (Dense)",
                "\"reset_after\": true, \"seed\": null}, \"registered_name\": null, \"build_config\": {\"input_shape\": [null, 4, 1]}",
                "unsupported dtype 'float16' in layer 'gru' (GRU)");
        Map<String, String> replacements = Map.of(
                "\"unroll\": false, \"zero_output_for_mask\": false, \"units\": 32",
                "\"unroll\": false, \"zero_output_for_mask\": false, \"frob\": 1, \"units\": 32",
                "\"activation\": \"softmax\"", "\"activation\": \"sparsemax\"",
                "\"reset_after\": true, \"seed\": null}, \"registered_name\": null, \"build_config\": {\"input_shape\": [null, 4, 1]}",
                "\"reset_after\": true, \"seed\": null, \"dtype\": \"float16\"}, \"registered_name\": null, "
                        + "\"build_config\": {\"input_shape\": [null, 4, 1]}");
        int n = 0;
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String from = c.getKey();
            String to = replacements.get(from);
            Path p = Archives.copy(Fixtures.file(GRU_KERAS), tmp.resolve("opt" + n++ + ".keras"), Map.of("config.json",
                    s -> {
                        assertThat(s).as("fixture text to edit").contains(from);
                        return s.replace(from, to);
                    }));
            assertThatThrownBy(() -> Models.load(p)).as(c.getValue()).isInstanceOf(KerasFileException.class)
                    .hasMessageContaining(c.getValue());
        }
    }

    @Test
    void weightsOnlyFileGivenAsAModelSaysHowToLoadIt() {
        assertThatThrownBy(() -> Models.load(Fixtures.file("dl4j-simple-rnn/simple_rnn_tf_keras_2_weights.h5")))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("holds weights only");
    }

    @Test
    void notAKerasFileIsRefused() throws IOException {
        Path p = Files.writeString(tmp.resolve("x.h5"), "hello");
        assertThatThrownBy(() -> Models.load(p)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("neither a .keras archive (zip) nor an HDF5 file");
    }
}
