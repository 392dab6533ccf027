package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.callbacks.ModelCheckpoint;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weights-only saving as Keras 3.15.1's saving_lib.save_weights_only /
 * load_weights_only: a Sequential built lazily (no Input, built by its first call) saves the same
 * paths as one built from an Input (Keras names paths by class, not by the layer's name), and
 * ModelCheckpoint's weights-only template formats each epoch's .weights.h5. Seed 97.
 */
class SaveWeightsEdgesTest {
    private static final long SEED = 97;

    @TempDir
    Path tmp;

    @Test
    void aLazilyBuiltSequentialSavesWhatItsInputBuiltTwinLoads() throws IOException {
        Seeds.set(SEED);
        Sequential lazy = Sequential.of(new Embedding(9, 3).maskZero(true), new LSTM(4).returnSequences(true),
                new GRU(2), new Dense(3));
        Tensor x = Tensor.of(new float[] {1, 0, 4, 8, 0, 2, 3, 0, 0, 5, 7, 6}, 2, 6);
        float[] want = lazy.predict(x).toArray();  // builds it
        Path file = tmp.resolve("lazy.weights.h5");
        lazy.saveWeights(file);
        Seeds.set(SEED + 1);
        Sequential twin = Sequential.of(Input.shape(Input.NONE), new Embedding(9, 3).maskZero(true),
                new LSTM(4).returnSequences(true), new GRU(2), new Dense(3));
        twin.loadWeights(file);
        assertThat(twin.predict(x).toArray()).as("the twin predicts as the lazily built model").isEqualTo(want);
        // saving_lib names a Sequential's layers layers/<snake_case(class)>: the lazy one's layer names do not show.
        assertThat(H5Listing.of(file).keySet()).containsExactlyInAnyOrder("layers/embedding/vars/0",
                    "layers/lstm/cell/vars/0", "layers/lstm/cell/vars/1", "layers/lstm/cell/vars/2",
                    "layers/gru/cell/vars/0", "layers/gru/cell/vars/1", "layers/gru/cell/vars/2",
                "layers/dense/vars/0", "layers/dense/vars/1");
    }

    /** callbacks/model_checkpoint.py _get_file_path: filepath.format(epoch=epoch + 1, **logs). */
    @Test
    void aWeightsOnlyCheckpointFormatsItsTemplatePerEpoch() throws IOException {
        Seeds.set(SEED + 2);
        Sequential m = Sequential.of(Input.shape(4, 2), new LSTM(3), new Dense(1));
        m.compile(Optimizers.sgd(0.01), Losses.meanSquaredError());
        String template = tmp.resolve("ck").resolve("w-{epoch:02d}-{loss:.3f}.weights.h5").toString();
        ModelCheckpoint ck = new ModelCheckpoint(template).saveWeightsOnly(true);
        float[] xs = new float[8 * 4 * 2];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (i % 7) / 7f;
        }
        m.fit(Tensor.of(xs, 8, 4, 2), Tensor.of(new float[8], 8, 1),
                Fit.defaults().batchSize(4).epochs(2).verbose(0).callbacks(ck));
        try (Stream<Path> files = Files.list(tmp.resolve("ck"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .as("one .weights.h5 per epoch, named by the template").hasSize(2)
                    .allMatch(n -> n.matches("w-0[12]-\\d+\\.\\d{3}\\.weights\\.h5"));
        }
    }
}
