package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.callbacks.ModelCheckpoint;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras 3's model.save takes a {@code .keras} path (and writes its legacy HDF5 for {@code .h5})
 * and raises for any other; rnn4j writes {@code .keras} only, so every whole-model save refuses
 * another name, as Keras checks it (case and all), before writing anything: a {@code .keras}
 * archive under another name is a file neither Keras nor h5py can read.
 */
class SaveExtensionTest {
    private static final List<String> REFUSED = List.of("model.h5", "model.hdf5", "model.bin", "model",
            "model.KERAS", "model.keras.bak", "model.weights.h5");

    @TempDir
    Path tmp;

    private static Sequential sequential() {
        return Sequential.of(Input.shape(4, 2), new LSTM(3), new Dense(1));
    }

    private static Model functional() {
        Input in = Input.shape(4, 2);
        return Model.of(in, new Dense(1).apply(new LSTM(3).apply(in)));
    }

    @Test
    void everySaveEntryPointRefusesANameOtherThanDotKerasAndWritesNothing() throws IOException {
        Path archive = tmp.resolve("ok.keras");
        Models.save(sequential(), archive);
        KerasModel loaded = Models.load(archive);
        for (String name : REFUSED) {
            Path file = tmp.resolve(name);
            List<ThrowingSave> saves = List.of(f -> Models.save(sequential(), f), f -> Models.save(functional(), f),
                    f -> Models.save(loaded, f));
            for (ThrowingSave save : saves) {
                assertThatThrownBy(() -> save.to(file)).as(name).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("Invalid filepath extension for saving. rnn4j saves a whole model "
                                + "only as a Keras 3 .keras archive (Keras's native format): add a .keras extension.")
                        .hasMessageEndingWith("Received: filepath=" + file + ".");
                assertThat(file).as("%s: nothing written", name).doesNotExist();
            }
        }
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left either")
                    .containsExactly("ok.keras");
        }
    }

    @Test
    void anH5NameIsToldThatTheLegacyFormatIsReadButNotWritten() {
        assertThatThrownBy(() -> Models.save(sequential(), tmp.resolve("model.h5")))
                .hasMessageContaining("rnn4j does not write the legacy HDF5 format that Keras writes for .h5 "
                        + "(it reads it: Models.load).");
        assertThatThrownBy(() -> Models.save(sequential(), tmp.resolve("model.bin")))
                .message().doesNotContain("HDF5");
    }

    @Test
    void aFileAlreadyThereIsLeftAsItWas() throws IOException {
        Path file = Files.writeString(tmp.resolve("model.h5"), "an HDF5 file of someone's", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Models.save(functional(), file)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("an HDF5 file of someone's");
    }

    @Test
    void wholeModelCheckpointsRefuseH5BeforeTrainingAndAModelSaverCannotSlipPastSave() {
        Sequential m = sequential();
        m.compile(Optimizers.sgd(0.01), Losses.meanSquaredError());
        Tensor x = Tensor.of(new float[16], 2, 4, 2);
        Tensor y = Tensor.of(new float[2], 2, 1);
        List<Tensor> before = m.getWeights();
        assertThatThrownBy(() -> m.fit(x, y, Fit.defaults().verbose(0)
                .callbacks(new ModelCheckpoint(tmp.resolve("m-{epoch}.h5").toString()))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs a path ending in .keras (rnn4j writes whole models only as Keras 3 "
                        + "archives, not the legacy .h5 Keras also takes)");
        assertThat(m.getWeights().get(0).toArray()).as("refused before training")
                .isEqualTo(before.get(0).toArray());
        // A saver handing a .bin path to Models.save meets the same refusal, not a misnamed archive.
        ModelCheckpoint viaSaver = new ModelCheckpoint(tmp.resolve("m.bin").toString())
                .modelSaver((model, path) -> Models.save((Sequential) model, path));
        assertThatThrownBy(() -> m.fit(x, y, Fit.defaults().verbose(0).callbacks(viaSaver)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Received: filepath=" + tmp.resolve("m.bin"));
        assertThat(tmp.resolve("m.bin")).doesNotExist();
    }

    @FunctionalInterface
    private interface ThrowingSave {
        void to(Path file) throws IOException;
    }
}
