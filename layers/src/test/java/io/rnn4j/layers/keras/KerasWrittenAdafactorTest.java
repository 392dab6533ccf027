package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.optimizers.Adafactor;
import io.rnn4j.layers.optimizers.Optimizer;
import io.rnn4j.layers.optimizers.OptimizerState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * .keras files written by Keras 3.15.1 (KERAS_BACKEND=jax; keras3151/make_adafactor.py) of an
 * LSTM → Dense model (and a Conv1D → LSTM → Dense one, whose Conv1D kernel is of rank 3) compiled
 * with Adafactor — its defaults; every option of its own changed, with weight decay and clipnorm;
 * a schedule with global_clipnorm — and trained two epochs: loaded compiled, the model predicts as
 * Keras did, its optimizer is the file's (class, every get_config entry as Keras wrote it when
 * saved again) with the file's state (iteration 6; r, c and velocity weight by weight, scalar
 * placeholders for the biases), and one more epoch gives Keras's predictions and Keras's weights.
 * The bar is 1e-6 + 1e-6·|y| (the largest difference seen is 1.9e-7·(1 + |y|); an epoch moves the
 * defaults' weights by up to 2e-3): Keras computed with JAX on the CPU in float32, whose rounding
 * (of the LSTM's gradients, of the sums in Adafactor's means) differs from rnn4j's in the last places.
 * Hand-written compile_configs (a class name, Keras's minimal form, a name) compile Adafactor too,
 * and option values rnn4j refuses are a file error naming them.
 */
class KerasWrittenAdafactorTest {
    @TempDir
    Path tmp;

    static Stream<String> fixtures() throws IOException {
        return Files.readAllLines(resource("manifest-adafactor.txt")).stream().filter(l -> !l.isBlank());
    }

    private static void assertClose(String what, float[] y, double[] want) {
        assertThat(y).as("%s: size", what).hasSize(want.length);
        for (int i = 0; i < y.length; i++) {
            assertThat(Math.abs(y[i] - want[i]))
                    .as("%s %d: rnn4j %s, Keras 3.15.1 %s (bar 1e-6 + 1e-6·|y|)", what, i, y[i], want[i])
                    .isLessThanOrEqualTo(1e-6 + 1e-6 * Math.abs(want[i]));
        }
    }

    private static Object optimizerConfig(Path file) throws IOException {
        Map<String, Object> config = ModelReader.parse(file.toString(), "config.json", SaveTest.entry(file,
                "config.json"));
        return ((Map<?, ?>) config.get("compile_config")).get("optimizer");
    }

    /** The model's weights in Keras's get_weights() order, each flattened, concatenated. */
    private static float[] flatWeights(KerasModel m) {
        List<Weight> ws = m.sequential().weights();
        int n = ws.stream().mapToInt(w -> (int) w.shape().size()).sum();
        float[] out = new float[n];
        int at = 0;
        for (Weight w : ws) {
            float[] v = w.value().toArray();
            System.arraycopy(v, 0, out, at, v.length);
            at += v.length;
        }
        return out;
    }

    private static void trainOneEpoch(KerasModel m) throws IOException {
        m.fit(Npy.read(resource("adafactor.fit_x.npy")).tensor(), Npy.read(resource("adafactor.fit_y.npy")).tensor(),
                Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
    }

    private static Tensor x0() throws IOException {
        return Npy.read(resource("adafactor.x0.npy")).tensor();
    }

    @ParameterizedTest(name = "adafactor_{0}")
    @MethodSource("fixtures")
    void aModelKerasTrainedWithAdafactorLoadsItsStateAndTrainsOnAsKeras(String name) throws IOException {
        Path file = resource("adafactor_" + name + ".keras");
        KerasModel m = Models.load(file, true);
        assertThat(m.hasOptimizerState()).as("the optimizer's state after two epochs").isTrue();
        Optimizer opt = m.sequential().optimizer();
        assertThat(opt).isInstanceOf(Adafactor.class);
        assertThat(opt.iterations()).as("iterations: 2 epochs of 3 batches").isEqualTo(6);
        assertClose(name + " prediction", m.predict(x0()).toArray(),
                Npy.read(resource("adafactor_" + name + ".y.npy")).values());

        // The file's slots, in Keras's order: r, c, velocity per weight; a bias's r and c scalars.
        List<Weight> ws = m.sequential().weights();
        List<Shape> want = new ArrayList<>();
        for (Weight w : ws) {
            Shape s = w.shape();
            want.addAll(s.rank() >= 2 ? List.of(s.without(-1), s.without(-2), s) : List.of(Shape.of(), Shape.of(), s));
        }
        OptimizerState state = opt.state(ws);
        assertThat(state.kerasVariables().stream().map(Tensor::shape).toList()).isEqualTo(want);
        assertThat(state.kerasVariables().get(0).toArray()).as("r of the first kernel, as Keras trained it")
                .doesNotContain(0f);
        // Keras 3.15.1's model.summary() of the loaded files: "Optimizer params: 189 (756.00 B)", 224, 223
        // (the Conv1D models; the schedule's has no learning_rate variable)
        int kerasCount = Map.of("defaults", 189, "options", 224, "schedule", 223).get(name);
        assertThat(opt.kerasVariableCount()).as("optimizer values, as Keras counts them").isEqualTo(kerasCount);
        assertThat(m.summary()).contains("Optimizer params: " + kerasCount);

        // Saved again before training on: the optimizer's config is the one Keras wrote, and the state reads back.
        Path again = tmp.resolve(name + ".keras");
        Models.save(m, again);
        assertThat(optimizerConfig(again)).as("the optimizer's config as rnn4j writes it back")
                .isEqualTo(optimizerConfig(file));
        KerasModel back = Models.load(again, true);
        List<Tensor> saved = back.sequential().optimizer().state(back.sequential().weights()).kerasVariables();
        for (int i = 0; i < saved.size(); i++) {
            assertThat(saved.get(i).toArray()).as("optimizer variable %d saved by rnn4j", i + 2)
                    .containsExactly(state.kerasVariables().get(i).toArray());
        }

        trainOneEpoch(m);
        assertThat(opt.iterations()).isEqualTo(9);
        assertClose(name + " prediction after one more epoch", m.predict(x0()).toArray(),
                Npy.read(resource("adafactor_" + name + ".y_after.npy")).values());
        assertClose(name + " weight after one more epoch", flatWeights(m),
                Npy.read(resource("adafactor_" + name + ".w_after.npy")).values());
        // rnn4j's own file trains on to the same bits as the model it was saved from.
        trainOneEpoch(back);
        assertThat(flatWeights(back)).as("reloaded from rnn4j's file, one more epoch").containsExactly(flatWeights(m));
    }

    /** A copy of fixture {@code name} whose compile_config's optimizer entry is {@code optimizer} (JSON). */
    private Path withOptimizer(String name, String optimizer) throws IOException {
        return Archives.copy(resource("adafactor_" + name + ".keras"), tmp.resolve("edited_" + name + ".keras"),
                Map.of("config.json", c -> {
                    int at = c.indexOf("{\"optimizer\": ") + "{\"optimizer\": ".length();
                    int end = c.indexOf(", \"loss\": ", at);
                    return c.substring(0, at) + optimizer + c.substring(end);
                }));
    }

    private void trainsOnAsKeras(Path file, String fixture) throws IOException {
        KerasModel m = Models.load(file, true);
        assertThat(m.sequential().optimizer()).isInstanceOf(Adafactor.class);
        trainOneEpoch(m);
        assertClose(file.getFileName() + " after one more epoch", m.predict(x0()).toArray(),
                Npy.read(resource("adafactor_" + fixture + ".y_after.npy")).values());
    }

    @Test
    void handWrittenKeras3CompileConfigsCompileAdafactorWithKerasDefaults() throws IOException {
        // Keras 3's deserialize fills every option left out with Adafactor's default.
        trainsOnAsKeras(withOptimizer("defaults", "{\"module\": \"keras.optimizers\", \"class_name\": "
                + "\"Adafactor\", \"config\": {\"name\": \"adafactor\"}, \"registered_name\": null}"), "defaults");
        // compile(optimizer="adafactor") and the class name as a string: the defaults, then the file's state.
        trainsOnAsKeras(withOptimizer("defaults", "\"adafactor\""), "defaults");
        trainsOnAsKeras(withOptimizer("defaults", "\"Adafactor\""), "defaults");
        // Options by name, as Keras's minimal form gives them.
        trainsOnAsKeras(withOptimizer("options", "{\"module\": \"keras.optimizers\", \"class_name\": \"Adafactor\", "
                + "\"config\": {\"learning_rate\": 0.5, \"weight_decay\": 0.01, \"clipnorm\": 1.0, "
                + "\"beta_2_decay\": -0.5, \"epsilon_1\": 1e-20, \"epsilon_2\": 0.01, \"clip_threshold\": 0.5, "
                + "\"relative_step\": false}, \"registered_name\": null}"), "options");
    }

    @Test
    void optionValuesRnn4jRefusesAreAFileErrorNamingThem() throws IOException {
        assertThat(SaveTest.entry(resource("adafactor_options.keras"), "config.json"))
                .contains("\"beta_2_decay\": -0.5").contains("\"clip_threshold\": 0.5")
                .contains("\"relative_step\": false");
        Path positiveDecay = Archives.copy(resource("adafactor_options.keras"), tmp.resolve("decay.keras"),
                Map.of("config.json", c -> c.replace("\"beta_2_decay\": -0.5", "\"beta_2_decay\": 0.5")));
        assertThatThrownBy(() -> Models.load(positiveDecay, true)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("compile_config: optimizer Adafactor cannot be rebuilt: adafactor: beta_2_decay "
                        + "must be <= 0 and finite, got 0.5");
        Path zeroClip = Archives.copy(resource("adafactor_options.keras"), tmp.resolve("clip.keras"),
                Map.of("config.json", c -> c.replace("\"clip_threshold\": 0.5", "\"clip_threshold\": 0.0")));
        assertThatThrownBy(() -> Models.load(zeroClip, true)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("adafactor: clip_threshold must be > 0 and finite, got 0.0");
        Path notBoolean = Archives.copy(resource("adafactor_options.keras"), tmp.resolve("relative.keras"),
                Map.of("config.json", c -> c.replace("\"relative_step\": false", "\"relative_step\": \"no\"")));
        assertThatThrownBy(() -> Models.load(notBoolean, true)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("optimizer Adafactor option 'relative_step' must be true or false, got");
        Path unknown = Archives.copy(resource("adafactor_options.keras"), tmp.resolve("unknown.keras"),
                Map.of("config.json", c -> c.replace("\"relative_step\": false",
                        "\"relative_step\": false, \"decay_rate\": 0.8")));
        assertThatThrownBy(() -> Models.load(unknown, true)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("optimizer Adafactor option 'decay_rate' (0.8) is not one rnn4j has");
    }
}
