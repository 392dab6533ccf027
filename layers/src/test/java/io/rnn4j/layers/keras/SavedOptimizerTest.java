package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jhdf.HdfFile;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.OptimizerState;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optimizer's state in {@code .keras} files: a model trained here, saved, loaded and compiled
 * with the same optimizer continues training to the same bits as the model that was never saved
 * (Adam's moments and iteration count carried over; a frozen layer's weights left out as Keras's
 * trainable_variables); Keras's own state (Keras 3.9.2's Adam) restores with its iteration count
 * and moments where Keras put them; a state for another optimizer or model is refused. Seed 53.
 */
class SavedOptimizerTest {
    private static final long SEED = 53;

    @TempDir
    Path tmp;


    private static Sequential model() {
        Sequential m = Sequential.of(Input.shape(5, 3), new LSTM(4).returnSequences(true), new LSTM(3),
                new Dense(2));
        m.layers().get(0).trainable(false);
        return m;
    }

    @Test
    void trainingContinuesToTheSameBitsAfterSaveAndLoad() throws IOException {
        System.out.println("SavedOptimizerTest seed " + SEED);
        Seeds.set(SEED);
        Sequential m = model();
        Tensor x = TestTensors.gaussian(SEED, 12, 5, 3);
        Tensor y = TestTensors.gaussian(SEED + 1, 12, 2);
        m.compile(Optimizers.adam(0.02), Losses.meanSquaredError());
        Fit fit = Fit.defaults().batchSize(4).epochs(2).shuffle(false).verbose(0);
        m.fit(x, y, fit);
        Path out = tmp.resolve("trained.keras");
        Models.save(m, out);

        KerasModel loaded = Models.load(out);
        assertThat(loaded.hasOptimizerState()).isTrue();
        Sequential back = loaded.sequential();
        back.compile(Optimizers.adam(0.5), Losses.meanSquaredError());
        loaded.restoreOptimizerState();
        assertThat(back.optimizer().iterations()).isEqualTo(6);
        assertThat(back.optimizer().learningRate()).as("the file's learning rate").isEqualTo((double) 0.02f);

        m.fit(x, y, fit);
        back.fit(x, y, fit);
        List<Weight> want = m.weights();
        List<Weight> got = back.weights();
        for (int i = 0; i < want.size(); i++) {
            assertThat(got.get(i).value().toArray()).as("%s after two more epochs", want.get(i))
                    .isEqualTo(want.get(i).value().toArray());
        }
    }

    @Test
    void kerasAdamStateRestoresWhereKerasPutIt() throws IOException {
        Path file = Fixtures.file("keras3-emg-gru-stacked/gru_model.keras");
        KerasModel k = Models.load(file);
        Sequential s = k.sequential();
        s.compile(Optimizers.adam(), Losses.categoricalCrossentropy());
        k.restoreOptimizerState();
        OptimizerState state = s.optimizer().state(s.weights());
        try (ZipFile z = new ZipFile(file.toFile());
                HdfFile h5 = HdfFile.fromBytes(z.getInputStream(z.getEntry("model.weights.h5")).readAllBytes())) {
            long iterations = ((Number) h5.getDatasetByPath("optimizer/vars/0").getData()).longValue();
            assertThat(state.iterations()).isEqualTo(iterations).isPositive();
            float lr = (Float) h5.getDatasetByPath("optimizer/vars/1").getData();
            assertThat(s.optimizer().learningRate()).isEqualTo((double) lr);
            // Keras 3 Adam: iteration, learning_rate, then momentum and velocity of each weight in turn. Read into
            // the right slots, every velocity (a mean of squared gradients) is >= 0 and momenta have both signs.
            int m = state.slotNames().indexOf("momentum");
            int v = state.slotNames().indexOf("velocity");
            boolean negativeMomentum = false;
            for (List<Tensor> w : state.slots()) {
                for (float x : w.get(v).toArray()) {
                    assertThat(x).as("a velocity").isGreaterThanOrEqualTo(0f);
                }
                for (float x : w.get(m).toArray()) {
                    negativeMomentum |= x < 0;
                }
            }
            assertThat(negativeMomentum).as("some momentum is negative").isTrue();
            List<Tensor> vars = state.kerasVariables();
            assertThat(vars).hasSize(16);
            for (int i = 0; i < vars.size(); i++) {
                Tensor saved = H5.tensor(file.toString(), h5.getDatasetByPath("optimizer/vars/" + (i + 2)));
                assertThat(vars.get(i).toArray()).as("optimizer/vars/%d", i + 2).isEqualTo(saved.toArray());
            }
        }
    }

    @Test
    void aStateThatDoesNotFitIsRefused() throws IOException {
        Path file = Fixtures.file("keras3-emg-gru-stacked/gru_model.keras");
        KerasModel sgd = Models.load(file);
        sgd.sequential().compile(Optimizers.sgd(), Losses.categoricalCrossentropy());
        assertThatThrownBy(sgd::restoreOptimizerState).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("the saved optimizer state is of 'adam', the model is compiled with 'sgd'");
        KerasModel frozen = Models.load(file);
        frozen.sequential().layers().get(0).trainable(false);
        frozen.sequential().compile(Optimizers.adam(), Losses.categoricalCrossentropy());
        assertThatThrownBy(frozen::restoreOptimizerState).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("has 18 variables");
        KerasModel uncompiled = Models.load(file);
        assertThatThrownBy(uncompiled::restoreOptimizerState).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("compile the model");
    }
}
