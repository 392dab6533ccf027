package io.rnn4j.layers.optimizers;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.flat;
import static io.rnn4j.layers.keras.Keras3151.npy;
import static io.rnn4j.layers.keras.Keras3151.npyValues;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static io.rnn4j.layers.keras.Keras3151.setFlat;
import static io.rnn4j.layers.optimizers.OptimizerVariables.kerasVariables;
import static org.assertj.core.api.Assertions.assertThat;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Sequential;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An optimizer built before a layer was frozen, against Keras 3.15.1 (TensorFlow backend;
 * keras3151/make_optimizer_frozen.py writes {@code optfrozen_*}): its slots follow the weights it
 * was built with, so the frozen layer's stay in its state, in the file it saves and in the file it
 * loads, as Keras keeps them in {@code optimizer.variables}; a model loaded whole builds a new
 * optimizer for its trainable weights alone, and Keras skips the file's state then.
 */
class OptimizerFrozenKerasTest {
    private static final Fit ONCE = Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0);

    @TempDir
    Path tmp;

    private static double[] want(String name) throws IOException {
        return npyValues("optfrozen_" + name + ".npy");
    }

    private static Tensor tensor(String name) throws IOException {
        return npy("optfrozen_" + name + ".npy");
    }

    /** Input(3) -> Dense(4) "a" -> Dense(2) "b" from Keras's first weights. */
    private static Sequential twoDense() throws IOException {
        Sequential m = Sequential.of(Input.shape(3), new Dense(4).named("a"), new Dense(2).named("b"));
        setFlat(m.weights(), want("w0"));
        return m;
    }

    /** Fit once, "a" frozen and compiled again with the same optimizer, as the script does. */
    private static Sequential trainedThenFrozen() throws IOException {
        Sequential m = twoDense();
        Optimizer opt = Optimizers.adam(0.01);
        m.compile(opt, Losses.meanSquaredError());
        m.fit(tensor("x"), tensor("y"), ONCE);
        m.layers().get(0).trainable(false);
        m.compile(opt, Losses.meanSquaredError());
        return m;
    }

    /** The datasets 0, 1, ... of a file's optimizer/vars, flattened in order (the iteration count as a float). */
    private static float[] fileVariables(Path file) {
        try (HdfFile h5 = new HdfFile(file)) {
            Group vars = (Group) h5.getByPath("optimizer/vars");
            List<Float> out = new ArrayList<>();
            for (int i = 0; i < vars.getChildren().size(); i++) {
                Object data = ((Dataset) vars.getChild(Integer.toString(i))).getDataFlat();
                for (int j = 0; j < Array.getLength(data); j++) {
                    out.add(((Number) Array.get(data, j)).floatValue());
                }
            }
            float[] f = new float[out.size()];
            for (int j = 0; j < f.length; j++) {
                f[j] = out.get(j);
            }
            return f;
        }
    }

    @Test
    void theFrozenLayersSlotsStayInTheStateAndTheSavedFile() throws IOException {
        Sequential m = trainedThenFrozen();
        m.fit(tensor("x"), tensor("y"), ONCE);
        assertClose("weights after the second fit", flat(m.weights()), want("after"));
        double[] keras = want("opt_vars");
        assertClose("optimizer.variables (a's slots kept)", kerasVariables(m.optimizer(), m.weights()), keras);
        assertThat(m.optimizer().kerasVariableCount()).isEqualTo(keras.length);

        Path file = tmp.resolve("frozen.weights.h5");
        m.saveWeights(file);
        float[] written = fileVariables(file);
        assertClose("optimizer/vars as rnn4j saves them", written, keras);
        float[] kerasFile = fileVariables(resource("optfrozen.weights.h5"));
        assertClose("optimizer/vars as Keras saved them", kerasFile, keras);
    }

    @Test
    void loadsKerasFileIntoAnOptimizerBuiltBeforeTheFreezeAndContinues() throws IOException {
        Sequential c = trainedThenFrozen();
        c.loadWeights(resource("optfrozen.weights.h5"));
        assertThat(c.optimizer().iterations()).as("Keras's iteration count, not a skipped state").isEqualTo(4);
        assertClose("optimizer.variables after load_weights", kerasVariables(c.optimizer(), c.weights()),
                want("opt_vars"));
        c.fit(tensor("x"), tensor("y"), ONCE);
        assertClose("weights after fitting on", flat(c.weights()), want("cont"));
        assertClose("optimizer.variables after fitting on", kerasVariables(c.optimizer(), c.weights()),
                want("cont_vars"));
    }

    @Test
    void aModelLoadedWholeSkipsTheStateAsKerasDoes() throws IOException {
        Sequential back = Models.load(resource("optfrozen.keras"), true).sequential();
        assertThat(back.layers().get(0).trainable()).isFalse();
        assertThat(back.optimizer().iterations()).as("Keras skips the 10 variables for a new optimizer of 6")
                .isZero();
        back.fit(tensor("x"), tensor("y"), ONCE);
        assertClose("weights after fitting the reloaded model", flat(back.weights()), want("reload"));
    }
}
