package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.GradCheck;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras's load_weights also loads the optimizer's variables (saving_lib visits model.optimizer;
 * Optimizer.load_own_variables) when the model's optimizer is built with as many variables, and
 * skips them with a warning otherwise: a trained model that loads a checkpoint then trains on
 * exactly as the checkpointed one does; a compiled model not trained yet takes the weights only.
 * Seed 61, fixed.
 */
class LoadWeightsOptimizerStateTest {
    @TempDir
    Path tmp;

    private static Sequential model() {
        Sequential m = Sequential.of(Input.shape(4, 2), new LSTM(3), new Dense(1));
        m.compile(Optimizers.adam(0.01), Losses.meanSquaredError());
        return m;
    }

    @Test
    void aBuiltOptimizerTakesTheFilesStateAnUnbuiltOneIsSkipped() throws Exception {
        Random r = new Random(61);
        Tensor x = GradCheck.uniform(r, -1, 1, 8, 4, 2);
        Tensor y = GradCheck.uniform(r, -1, 1, 8, 1);
        Fit once = Fit.defaults().batchSize(8).epochs(1).shuffle(false).verbose(0);
        Seeds.set(61);
        Sequential a = model();
        a.fit(x, y, Fit.defaults().batchSize(8).epochs(3).shuffle(false).verbose(0));
        Path file = tmp.resolve("a.weights.h5");
        a.saveWeights(file);
        float[] saved = a.getWeights().get(0).toArray();
        Seeds.set(62);
        Sequential b = model();
        b.fit(x, y, once);  // builds its optimizer, with a state of its own
        b.loadWeights(file);
        assertThat(b.optimizer().iterations()).as("Keras's load_weights assigns iterations too").isEqualTo(3);
        a.fit(x, y, once);
        b.fit(x, y, once);
        assertThat(b.predict(x).toArray()).as("trained on from the file's Adam moments: the same step as the "
                + "checkpointed model's").isEqualTo(a.predict(x).toArray());
        Seeds.set(63);
        Sequential c = model();
        c.loadWeights(file);
        assertThat(c.optimizer().isBuilt()).as("an optimizer not built yet is skipped, as Keras skips it").isFalse();
        assertThat(c.getWeights().get(0).toArray()).as("the weights load all the same").isEqualTo(saved);
    }
}
