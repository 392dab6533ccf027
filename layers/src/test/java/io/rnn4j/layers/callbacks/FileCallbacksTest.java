package io.rnn4j.layers.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Sequential;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSVLogger's file as Keras writes it, and ModelCheckpoint's saves (templates, best only, per batch). */
class FileCallbacksTest {
    private final Tensor[] data = Scripted.data(32);
    @TempDir
    Path dir;

    @Test
    void csvLoggerWritesSortedColumnsAndPythonFloats() throws IOException {
        Path csv = dir.resolve("log.csv");
        Sequential m = Scripted.newModel();
        History h = m.fit(data[0], data[1], Fit.defaults().batchSize(8).epochs(2).verbose(0).validationData(data[0], data[1])
                .callbacks(new CSVLogger(csv)));
        List<String> lines = List.of(Files.readString(csv, StandardCharsets.UTF_8).split("\r\n"));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("epoch,loss,mae,val_loss,val_mae");
        for (int e = 0; e < 2; e++) {
            String[] cells = lines.get(e + 1).split(",");
            assertThat(cells[0]).isEqualTo(Integer.toString(e));
            // Each cell reads back to exactly the logged double.
            assertThat(Double.parseDouble(cells[1])).isEqualTo(h.get("loss").get(e));
            assertThat(Double.parseDouble(cells[4])).isEqualTo(h.get("val_mae").get(e));
        }
        // Appending: no second header; without validation the val_ columns are NA (keys fixed by the first row).
        m.fit(data[0], data[1], Fit.defaults().batchSize(8).epochs(1).verbose(0).callbacks(new CSVLogger(csv, ";", true)));
        List<String> more = List.of(Files.readString(csv, StandardCharsets.UTF_8).split("\r\n"));
        assertThat(more).hasSize(4);
        assertThat(more.get(3)).matches("0;[0-9.e-]+;[0-9.e-]+;NA;NA");
    }

    @Test
    void modelCheckpointSavesTheBestWeightsUnderATemplatedName() throws IOException {
        Sequential m = Scripted.newModel();
        Scripted script = new Scripted("val_loss", 1.0, 0.5, 0.7, 0.4);
        String template = dir.resolve("ckpt").resolve("w-{epoch:02d}-{val_loss:.2f}.weights.h5").toString();
        m.fit(data[0], data[1], Fit.defaults().batchSize(8).epochs(4).verbose(0).validationData(data[0], data[1])
                .callbacks(script, new ModelCheckpoint(template).saveWeightsOnly(true).saveBestOnly(true)));
        try (Stream<Path> files = Files.list(dir.resolve("ckpt"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("w-01-1.00.weights.h5", "w-02-0.50.weights.h5", "w-04-0.40.weights.h5");
        }
        Sequential fresh = Scripted.newModel();
        fresh.loadWeights(dir.resolve("ckpt").resolve("w-04-0.40.weights.h5"));
        assertThat(Scripted.same(fresh.getWeights(), script.weightsAtEpochEnd.get(3))).isTrue();
        fresh.loadWeights(dir.resolve("ckpt").resolve("w-02-0.50.weights.h5"));
        assertThat(Scripted.same(fresh.getWeights(), script.weightsAtEpochEnd.get(1))).isTrue();
    }

    @Test
    void weightsOnlyCheckpointsAreKerasWeightsFilesAndOtherNamesAreRefusedWhenConfigured() throws IOException {
        // Keras's ModelCheckpoint raises on construction with save_weights_only=True unless the path ends in .weights.h5.
        for (String name : List.of("w.bin", "w-{epoch}.h5", "m.keras", "weights.h5")) {
            ModelCheckpoint c = new ModelCheckpoint(name);
            assertThatThrownBy(() -> c.saveWeightsOnly(true)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("ModelCheckpoint: with saveWeightsOnly(true) (Keras's save_weights_only=True) the "
                            + "filepath provided must end in `.weights.h5` (Keras weights format), or give a weights "
                            + "saver first (weightsSaver(...)). Received: filepath=" + name);
        }
        // A saver of one's own writes its own format under any name.
        int[] saves = {0};
        Sequential m = Scripted.newModel();
        m.fit(data[0], data[1], Fit.defaults().batchSize(8).epochs(2).verbose(0).callbacks(
                new ModelCheckpoint(dir.resolve("own-{epoch}.bin").toString())
                        .weightsSaver((model, path) -> Files.writeString(path, "own " + ++saves[0]))
                        .saveWeightsOnly(true)));
        assertThat(Files.readString(dir.resolve("own-2.bin"))).isEqualTo("own 2");
        // The default writes what Keras's model.save_weights writes: Keras 3's layout, read back by loadWeights.
        m.fit(data[0], data[1], Fit.defaults().batchSize(8).epochs(1).verbose(0).callbacks(
                new ModelCheckpoint(dir.resolve("last.weights.h5").toString()).saveWeightsOnly(true)));
        try (io.jhdf.HdfFile h5 = new io.jhdf.HdfFile(dir.resolve("last.weights.h5"))) {
            assertThat(h5.getDatasetByPath("layers/dense/vars/0").getDimensions()).containsExactly(3, 1);
            assertThat(h5.getDatasetByPath("optimizer/vars/0").getData()).as("SGD's iterations: 3 fits of 4 batches")
                    .isEqualTo(12L);
        }
        Sequential fresh = Scripted.newModel();
        fresh.loadWeights(dir.resolve("last.weights.h5"));
        assertThat(Scripted.same(fresh.getWeights(), m.getWeights())).isTrue();
    }

    @Test
    void modelCheckpointEveryNBatchesAndWithAModelSaver() throws IOException {
        Sequential m = Scripted.newModel();
        int[] saves = {0};
        m.fit(data[0], data[1], Fit.defaults().batchSize(8).epochs(2).verbose(0).callbacks(
                new ModelCheckpoint(dir.resolve("b-{epoch}-{batch}.bin").toString()).saveFreq(3)
                        .modelSaver((model, path) -> {
                            saves[0]++;
                            Files.writeString(path, model.name());
                        })));
        // 4 batches per epoch, a save every 3 batches: epoch 1 batch 3, epoch 2 batch 2 (6th batch overall).
        assertThat(saves[0]).isEqualTo(2);
        assertThat(dir.resolve("b-1-3.bin")).exists();
        assertThat(dir.resolve("b-2-2.bin")).exists();
    }

    @Test
    void wholeModelCheckpointsWriteKerasArchivesOrNeedASaver() throws IOException {
        Sequential m = Scripted.newModel();
        m.fit(data[0], data[1], Fit.defaults().batchSize(8).epochs(2).verbose(0)
                .callbacks(new ModelCheckpoint(dir.resolve("m-{epoch}.keras").toString())));
        KerasModel back = Models.load(dir.resolve("m-2.keras"));
        assertThat(dir.resolve("m-1.keras")).as("Keras 3's default: a .keras archive each epoch").exists();
        assertThat(Scripted.same(back.sequential().getWeights(), m.getWeights())).as("the last epoch's archive holds the weights")
                .isTrue();
    }

    @Test
    void wholeModelCheckpointsElsewhereNeedASaverAndTemplatesNeedTheirFields() {
        Sequential m = Scripted.newModel();
        List<Tensor> before = m.getWeights();
        assertThatThrownBy(() -> m.fit(data[0], data[1], Fit.defaults().batchSize(8).verbose(0)
                .callbacks(new ModelCheckpoint(dir.resolve("m.bin").toString()))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a path ending in .keras")
                .hasMessageContaining("or a model saver");
        assertThat(Scripted.same(m.getWeights(), before)).as("refused before training").isTrue();
        assertThatThrownBy(() -> m.fit(data[0], data[1], Fit.defaults().batchSize(8).verbose(0)
                .callbacks(new ModelCheckpoint(dir.resolve("w-{val_loss:.2f}.weights.h5").toString())
                        .saveWeightsOnly(true))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no 'val_loss' among");
    }
}
