package io.rnn4j.layers.optimizers;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.flat;
import static io.rnn4j.layers.keras.Keras3151.npy;
import static io.rnn4j.layers.keras.Keras3151.npyValues;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static io.rnn4j.layers.keras.Keras3151.setFlat;
import static io.rnn4j.layers.optimizers.OptimizerVariables.kerasVariables;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Gradients;
import io.rnn4j.layers.model.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link Optimizer#apply(List, List)} builds and refuses, against Keras 3.15.1 (TensorFlow
 * backend; keras3151/make_optimizer_apply.py writes {@code optapply_*}): the first call builds slots
 * for every weight given, a null gradient's too; a weight it was not built with is refused, in a
 * hand-written loop and in fit after a layer is unfrozen and the model compiled again with the
 * same optimizer.
 */
class OptimizerApplyKerasTest {
    @TempDir
    Path tmp;

    private static double[] want(String name) throws IOException {
        return npyValues("optapply_" + name + ".npy");
    }

    private static Tensor tensor(String name) throws IOException {
        return npy("optapply_" + name + ".npy");
    }

    private static Tensor ones(Weight w) {
        float[] v = new float[Math.toIntExact(w.value().size())];
        Arrays.fill(v, 1f);
        return Tensor.of(v, w.shape().dims());
    }

    private static String kerasTail(String line) {
        return line.substring(line.indexOf(">.") + 1);
    }

    @Test
    void aNullGradientAtTheFirstStepStillBuildsItsSlots() throws IOException {
        Sequential m = Sequential.of(Input.shape(3), new Dense(2));
        setFlat(m.weights(), want("nullbias.w0"));
        Optimizer opt = Optimizers.adam(0.1);
        m.compile(opt, Losses.meanSquaredError());
        Tensor x = tensor("x");
        Tensor y = tensor("y");
        for (int step = 0; step < 3; step++) {
            Variable loss = Losses.meanSquaredError().compute(Variable.constant(y),
                    m.call(Variable.constant(x), CallContext.training(io.rnn4j.layers.Seeds.of(1))));
            List<Tensor> grads = new ArrayList<>(Gradients.of(loss, m.trainableWeights()));
            if (step == 0) {
                grads.set(1, null);  // the bias gets no gradient at the first step
                opt.apply(grads, m.trainableWeights());
                assertThat(opt.kerasVariableCount()).as("Keras: iteration, learning_rate, m and v of both weights")
                        .isEqualTo(18);
            } else {
                opt.apply(grads, m.trainableWeights());
            }
        }
        assertThat((double) opt.kerasVariableCount()).isEqualTo(want("nullbias.opt_count")[0]);
        assertClose("weights after the loop", flat(m.weights()), want("nullbias.after"));
        assertClose("optimizer.variables after the loop", kerasVariables(opt, m.weights()), want("nullbias.opt_vars"));

        Sequential keras = Models.load(resource("optapply_nullbias.keras"), true).sequential();
        assertThat(keras.optimizer().kerasVariableCount()).isEqualTo(18);
        assertClose("optimizer.variables Keras saved", kerasVariables(keras.optimizer(), keras.weights()),
                want("nullbias.opt_vars"));
        Path file = tmp.resolve("nullbias.keras");
        Models.save(m, file);
        Sequential back = Models.load(file, true).sequential();
        assertClose("optimizer.variables rnn4j saved", kerasVariables(back.optimizer(), back.weights()),
                want("nullbias.opt_vars"));
    }

    @Test
    void refusesWeightsItWasNotBuiltWith() throws IOException {
        List<String> keras = Files.readAllLines(resource("optapply_unknown.txt"));
        Sequential m = Sequential.of(Input.shape(3), new Dense(2));
        Sequential other = Sequential.of(Input.shape(3), new Dense(2).named("other"));
        Optimizer opt = Optimizers.adam(0.1);
        List<Tensor> ones = m.trainableWeights().stream().map(OptimizerApplyKerasTest::ones).toList();
        opt.apply(ones, m.trainableWeights());
        float[] before = m.trainableWeights().get(0).value().toArray();
        assertThatThrownBy(() -> opt.apply(ones, other.trainableWeights()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown variable: " + other.trainableWeights().get(0).path())
                .hasMessageEndingWith(kerasTail(keras.get(0)));
        Weight otherBias = other.trainableWeights().get(1);
        assertThatThrownBy(() -> opt.apply(Arrays.asList(ones.get(0), null), List.of(m.trainableWeights().get(0),
                otherBias))).as("Keras checks the weights given before it drops those without a gradient")
                .hasMessageContaining("Unknown variable: " + otherBias.path())
                .hasMessageEndingWith(kerasTail(keras.get(1)));
        assertThat(opt.iterations()).isEqualTo(1);
        assertThat(m.trainableWeights().get(0).value().toArray()).isEqualTo(before);
        opt.apply(List.of(ones.get(1)), List.of(m.trainableWeights().get(1)));  // a subset it knows is fine
        assertThat(opt.iterations()).isEqualTo(2);
    }

    private static Sequential twoDense() {
        return Sequential.of(Input.shape(3), new Dense(2).named("a"), new Dense(1).named("b"));
    }

    @Test
    void fitRefusesALayerUnfrozenAfterTheOptimizerWasBuilt() throws IOException {
        Tensor x = tensor("x");
        float[] yv = tensor("y").toArray();
        Tensor y = Tensor.of(new float[] {yv[0], yv[2], yv[4], yv[6]}, 4, 1);
        double[] counts = want("fit_count");
        Fit once = Fit.defaults().batchSize(4).epochs(1).verbose(0);

        Sequential m = twoDense();
        m.layers().get(0).trainable(false);
        Optimizer opt = Optimizers.adam(0.01);
        m.compile(opt, Losses.meanSquaredError());
        m.fit(x, y, once);
        assertThat((double) opt.kerasVariableCount()).as("built with b only").isEqualTo(counts[0]);
        m.layers().get(0).trainable(true);
        m.compile(opt, Losses.meanSquaredError());
        String keras = Files.readAllLines(resource("optapply_fit_unknown.txt")).get(0);
        assertThatThrownBy(() -> m.fit(x, y, once)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown variable: " + m.layers().get(0).weights().get(0).path())
                .hasMessageEndingWith(kerasTail(keras));

        Sequential f = twoDense();
        Optimizer all = Optimizers.adam(0.01);
        f.compile(all, Losses.meanSquaredError());
        f.fit(x, y, once);
        float[] a = f.layers().get(0).weights().get(0).value().toArray();
        f.layers().get(0).trainable(false);
        f.compile(all, Losses.meanSquaredError());
        f.fit(x, y, once);
        assertThat(f.layers().get(0).weights().get(0).value().toArray()).as("frozen since").isEqualTo(a);
        assertThat((double) all.kerasVariableCount()).as("the slots of a stay").isEqualTo(counts[1]);
        assertThat(all.iterations()).isEqualTo(2);
    }
}
