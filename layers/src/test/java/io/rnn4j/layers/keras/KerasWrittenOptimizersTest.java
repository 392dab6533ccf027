package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.resource;
import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.optimizers.Lamb;
import io.rnn4j.layers.optimizers.Lion;
import io.rnn4j.layers.optimizers.Nadam;
import io.rnn4j.layers.optimizers.Optimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * .keras files written by Keras 3.15.1 (KERAS_BACKEND=jax; keras3151/make_optimizers.py and
 * make_lamb.py) of a small model compiled with Adamax, Nadam, Adadelta, Lion, Ftrl or Lamb (each
 * with its defaults, and with other options, a schedule, clipping or weight decay) and trained two epochs: loaded compiled, the model
 * predicts as Keras did, its optimizer is the file's (class, every get_config entry as Keras wrote
 * it when saved again) with the file's state (iteration 6, the slots, Nadam's u_product), and one
 * more epoch trains it as Keras's did; hand-written compile_configs (Keras's minimal form, a name)
 * do the same, and option values Keras refuses too are a file error. The bar is 1e-5 + 1e-5·|y|:
 * Keras computed with JAX on the CPU in float32, whose rounding differs from rnn4j's in the last
 * places.
 */
class KerasWrittenOptimizersTest {
    @TempDir
    Path tmp;

    static Stream<String> fixtures() throws IOException {
        return Stream.concat(Files.readAllLines(resource("manifest-optimizers.txt")).stream(),
                Files.readAllLines(resource("manifest-lamb.txt")).stream()).filter(l -> !l.isBlank());
    }

    /** The serialized optimizer of a .keras file's compile_config. */
    private static Object optimizerConfig(Path file) throws IOException {
        Map<String, Object> config = ModelReader.parse(file.toString(), "config.json", SaveTest.entry(file,
                "config.json"));
        return ((Map<?, ?>) config.get("compile_config")).get("optimizer");
    }

    @ParameterizedTest(name = "opt_{0}")
    @MethodSource("fixtures")
    void aModelKerasTrainedWithTheOptimizerLoadsItsStateAndTrainsOnAsKeras(String name) throws IOException {
        Path file = resource("opt_" + name + ".keras");
        KerasModel m = Models.load(file, true);
        assertThat(m.hasOptimizerState()).as("the optimizer's state after two epochs").isTrue();
        Optimizer opt = m.sequential().optimizer();
        assertThat(opt.kerasName()).as("the optimizer").isEqualTo(name.replace("_options", ""));
        assertThat(opt.iterations()).as("iterations: 2 epochs of 3 batches").isEqualTo(6);
        Tensor x = Npy.read(resource("opt.x0.npy")).tensor();
        assertClose(name, m.predict(x).toArray(), Npy.read(resource("opt_" + name + ".y.npy")).values());

        // Saved again before training on, its compile_config's optimizer is the one Keras wrote.
        Path again = tmp.resolve(name + ".keras");
        Models.save(m, again);
        assertThat(optimizerConfig(again)).as("the optimizer's config as rnn4j writes it back")
                .isEqualTo(optimizerConfig(file));

        Tensor fx = Npy.read(resource("opt.fit_x.npy")).tensor();
        Tensor fy = Npy.read(resource("opt.fit_y.npy")).tensor();
        m.fit(fx, fy, Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        assertThat(opt.iterations()).isEqualTo(9);
        assertClose(name + " after one more epoch", m.predict(x).toArray(),
                Npy.read(resource("opt_" + name + ".y_after.npy")).values());
    }

    /** A copy of fixture {@code name} whose compile_config's optimizer entry is {@code optimizer} (JSON). */
    private Path withOptimizer(String name, String optimizer) throws IOException {
        return Archives.copy(resource("opt_" + name + ".keras"), tmp.resolve("edited_" + name + ".keras"),
                Map.of("config.json", c -> {
                    int at = c.indexOf("{\"optimizer\": ") + "{\"optimizer\": ".length();
                    int end = c.indexOf(", \"loss\": ", at);
                    return c.substring(0, at) + optimizer + c.substring(end);
                }));
    }

    private void trainsOnAsKeras(Path file, String fixture) throws IOException {
        KerasModel m = Models.load(file, true);
        Tensor x = Npy.read(resource("opt.x0.npy")).tensor();
        m.fit(Npy.read(resource("opt.fit_x.npy")).tensor(), Npy.read(resource("opt.fit_y.npy")).tensor(),
                Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        assertClose(file.getFileName() + " after one more epoch", m.predict(x).toArray(),
                Npy.read(resource("opt_" + fixture + ".y_after.npy")).values());
    }

    @Test
    void handWrittenKeras3CompileConfigsCompileWithKerasDefaults() throws IOException {
        // Keras 3's deserialize fills every option left out with the class's default.
        Path minimal = withOptimizer("nadam", "{\"module\": \"keras.optimizers\", \"class_name\": \"Nadam\", "
                + "\"config\": {\"name\": \"nadam\", \"learning_rate\": 0.02}, \"registered_name\": null}");
        assertThat(Models.load(minimal, true).sequential().optimizer()).isInstanceOf(Nadam.class);
        trainsOnAsKeras(minimal, "nadam");
        // compile(optimizer="lion"): Lion's defaults, then the file's state, its learning rate 0.005 included.
        Path named = withOptimizer("lion", "\"lion\"");
        KerasModel lion = Models.load(named, true);
        assertThat(lion.sequential().optimizer()).isInstanceOf(Lion.class);
        assertThat(lion.sequential().optimizer().learningRate()).isEqualTo((double) 0.005f);
        trainsOnAsKeras(named, "lion");
        Path lamb = withOptimizer("lamb", "{\"module\": \"keras.optimizers\", \"class_name\": \"Lamb\", "
                + "\"config\": {\"name\": \"lamb\", \"learning_rate\": 0.02}, \"registered_name\": null}");
        assertThat(Models.load(lamb, true).sequential().optimizer()).isInstanceOf(Lamb.class);
        trainsOnAsKeras(lamb, "lamb");
        Path lambNamed = withOptimizer("lamb", "\"lamb\"");
        assertThat(Models.load(lambNamed, true).sequential().optimizer().learningRate()).isEqualTo((double) 0.02f);
        trainsOnAsKeras(lambNamed, "lamb");
    }

    @Test
    void optionValuesKerasRefusesAreAFileErrorNamingThem() throws IOException {
        String lion = SaveTest.entry(resource("opt_lion_options.keras"), "config.json");
        Path zeroBeta = Archives.copy(resource("opt_lion_options.keras"), tmp.resolve("zero_beta.keras"),
                Map.of("config.json", c -> c.replace("\"beta_1\": 0.7", "\"beta_1\": 0.0")));
        assertThat(lion).contains("\"beta_1\": 0.7");
        assertThatThrownBy(() -> Models.load(zeroBeta, true)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("compile_config: optimizer Lion cannot be rebuilt: lion: beta_1 must be in "
                        + "(0, 1] (0 degenerates to SignSGD), got 0.0");
        Path positivePower = Archives.copy(resource("opt_ftrl_options.keras"), tmp.resolve("power.keras"),
                Map.of("config.json", c -> c.replace("\"learning_rate_power\": -0.7",
                        "\"learning_rate_power\": 0.5")));
        assertThatThrownBy(() -> Models.load(positivePower, true)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("optimizer Ftrl cannot be rebuilt: ftrl: learning_rate_power must be <= 0 "
                        + "and finite, got 0.5");
        Path unknown = Archives.copy(resource("opt_ftrl_options.keras"), tmp.resolve("unknown.keras"),
                Map.of("config.json", c -> c.replace("\"beta\": 0.2", "\"beta\": 0.2, \"gamma\": 1")));
        assertThatThrownBy(() -> Models.load(unknown, true)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("optimizer Ftrl option 'gamma' (1) is not one rnn4j has");
    }
}
