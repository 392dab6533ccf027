package io.rnn4j.layers.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.layers.Activation;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.keras.KerasFileException;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Sequential;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review of Adamax, Nadam, Adadelta, Lion and Ftrl against Keras 3.15.1 (keras/src/optimizers/*.py,
 * base_optimizer.py) and tf-keras's legacy optimizers (tf_keras/optimizers/legacy/*.py): each test
 * names the Keras behaviour it holds rnn4j to. The compile configs are put into a .keras file saved
 * here and loaded with {@code Models.load(file, true)}, as a user loads one.
 */
class OptimizersReviewTest {
    @TempDir
    Path tmp;

    /** A small model saved compiled, its compile_config then replaced by {@code json}. */
    private Path withCompileConfig(String json, String name) throws IOException {
        Sequential m = Sequential.of(Input.shape(3), new Dense(2, Activation.TANH), new Dense(1));
        m.compile(Optimizers.adam(), Losses.meanSquaredError());
        Path src = tmp.resolve("src-" + name);
        Models.save(m, src);
        Path out = tmp.resolve(name);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(src));
                ZipOutputStream zo = new ZipOutputStream(Files.newOutputStream(out))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] data = in.readAllBytes();
                if (e.getName().equals("config.json")) {
                    data = replaceCompileConfig(new String(data, StandardCharsets.UTF_8), json)
                            .getBytes(StandardCharsets.UTF_8);
                }
                zo.putNextEntry(new ZipEntry(e.getName()));
                zo.write(data);
                zo.closeEntry();
            }
        }
        return out;
    }

    private static String replaceCompileConfig(String c, String json) {
        String key = "\"compile_config\": ";
        int at = c.indexOf(key);
        assertThat(at).as("config.json has a compile_config").isNotNegative();
        at += key.length();
        int depth = 0;
        int end = at;
        for (; end < c.length(); end++) {
            char ch = c.charAt(end);
            if (ch == '{') {
                depth++;
            } else if (ch == '}' && --depth == 0) {
                break;
            }
        }
        return c.substring(0, at) + json + c.substring(end + 1);
    }

    /** A Keras 2 training_config (tf.keras 2.x .h5) whose optimizer_config is {@code optimizer}. */
    private static String keras2(String optimizer) {
        return "{\"optimizer_config\": " + optimizer + ", \"loss\": \"mse\", \"loss_weights\": null, "
                + "\"metrics\": null, \"weighted_metrics\": null, \"sample_weight_mode\": null}";
    }

    /** tf-keras's legacy Nadam get_config (tf_keras/optimizers/legacy/nadam.py) with {@code decay}. */
    private static String legacyNadam(String decayKey, double decay) {
        return "{\"class_name\": \"Nadam\", \"config\": {\"name\": \"Nadam\", \"learning_rate\": 0.001, \""
                + decayKey + "\": " + decay + ", \"beta_1\": 0.9, \"beta_2\": 0.999, \"epsilon\": 1e-07, "
                + "\"is_legacy_optimizer\": true}}";
    }

    @Test
    void aKeras2NadamsDecayIsItsMomentumScheduleSoOnlyDecay1ComputesKeras3sNadam() throws IOException {
        // tf-keras's legacy Nadam takes schedule_decay (0.004 by default) as `decay` and computes
        // u_t = beta_1 * (1 - 0.5 * 0.96^(decay * t)); Keras 3's Nadam computes 0.96^t. decay = 0 is
        // not "no decay" there: it freezes u_t at beta_1 / 2, so it cannot pass as Keras 3's Nadam.
        Path zero = withCompileConfig(keras2(legacyNadam("decay", 0.0)), "nadam0.keras");
        assertThatThrownBy(() -> Models.load(zero, true)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("optimizer Nadam with decay=0 is not supported")
                .hasMessageContaining("0.96^(decay");
        Path byDefault = withCompileConfig(keras2(legacyNadam("decay", 0.004)), "nadam004.keras");
        assertThatThrownBy(() -> Models.load(byDefault, true)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("optimizer Nadam with decay=0.004 is not supported")
                .hasMessageContaining("rnn4j computes decay=1 only");
        // Keras 2.2's own Nadam wrote the same value as schedule_decay
        Path keras22 = withCompileConfig(keras2(legacyNadam("schedule_decay", 0.004)), "nadam22.keras");
        assertThatThrownBy(() -> Models.load(keras22, true)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("optimizer Nadam with schedule_decay=0.004 is not supported");
        // decay = 1 is Keras 3's schedule: the model compiles with Nadam
        KerasModel one = Models.load(withCompileConfig(keras2(legacyNadam("decay", 1.0)), "nadam1.keras"), true);
        assertThat(one.sequential().optimizer()).isInstanceOf(Nadam.class);
        KerasModel one22 = Models.load(withCompileConfig(keras2(legacyNadam("schedule_decay", 1.0)),
                "nadam22one.keras"), true);
        assertThat(one22.sequential().optimizer()).isInstanceOf(Nadam.class);
    }

    @Test
    void theOtherKeras2OptimizersDecayIsTheLearningRatesTimeDecaySoOnly0Passes() throws IOException {
        // tf-keras's legacy Adamax, Adadelta and Ftrl divide the learning rate by 1 + decay * t
        // (optimizer_v2._decayed_lr): decay = 0 is Keras 3's update, anything else is refused
        Path adadelta = withCompileConfig(keras2("{\"class_name\": \"Adadelta\", \"config\": {\"name\": "
                + "\"Adadelta\", \"learning_rate\": 1.0, \"decay\": 0.0, \"rho\": 0.95, \"epsilon\": 1e-07}}"),
                "adadelta.keras");
        assertThat(Models.load(adadelta, true).sequential().optimizer()).isInstanceOf(Adadelta.class);
        Path decayed = withCompileConfig(keras2("{\"class_name\": \"Adamax\", \"config\": {\"name\": \"Adamax\", "
                + "\"learning_rate\": 0.001, \"decay\": 0.01, \"beta_1\": 0.9, \"beta_2\": 0.999, \"epsilon\": "
                + "1e-07}}"), "adamax.keras");
        assertThatThrownBy(() -> Models.load(decayed, true)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("optimizer Adamax with decay=0.01 is not supported")
                .hasMessageContaining("rnn4j computes decay=0 only");
    }

    @Test
    void optionsRnn4jDoesNotComputeAreRefusedSayingWhatIsSupported() throws IOException {
        // use_ema, loss_scale_factor and gradient_accumulation_steps change what Keras computes;
        // the refusal names the optimizer, the option, what came and what rnn4j computes
        String[][] cases = {
            {"\"use_ema\": true", "use_ema=true", "use_ema=false"},
            {"\"loss_scale_factor\": 128.0", "loss_scale_factor=128", "loss_scale_factor=null"},
            {"\"gradient_accumulation_steps\": 4", "gradient_accumulation_steps=4", "gradient_accumulation_steps=null"},
        };
        for (String[] c : cases) {
            Path file = withCompileConfig("{\"optimizer\": {\"module\": \"keras.optimizers\", \"class_name\": "
                    + "\"Lion\", \"config\": {\"name\": \"lion\", \"learning_rate\": 0.01, " + c[0] + "}, "
                    + "\"registered_name\": null}, \"loss\": \"mse\", \"loss_weights\": null, \"metrics\": null, "
                    + "\"weighted_metrics\": null}", "lion.keras");
            assertThatThrownBy(() -> Models.load(file, true)).as(c[0]).isInstanceOf(KerasFileException.class)
                    .hasMessageContaining("optimizer Lion with " + c[1] + " is not supported")
                    .hasMessageContaining("rnn4j computes " + c[2] + " only");
        }
    }

    @Test
    void aClassNameInAnyCaseIsTheOptimizerAsKeras3sDeserializeLowercasesIt() throws IOException {
        // keras/src/optimizers/__init__.py deserialize: config["class_name"].lower() is looked up in
        // {cls.__name__.lower(): cls}, so "ftrl" and "ADAMAX" are Ftrl and Adamax
        for (String[] c : new String[][] {{"ftrl", "Ftrl"}, {"ADAMAX", "Adamax"}, {"nadam", "Nadam"},
            {"adadelta", "Adadelta"}, {"lion", "Lion"}}) {
            Path file = withCompileConfig("{\"optimizer\": {\"module\": \"keras.optimizers\", \"class_name\": \""
                    + c[0] + "\", \"config\": {\"learning_rate\": 0.01}, \"registered_name\": null}, \"loss\": "
                    + "\"mse\", \"loss_weights\": null, \"metrics\": null, \"weighted_metrics\": null}",
                    c[0] + ".keras");
            Optimizer o = Models.load(file, true).sequential().optimizer();
            assertThat(o.getClass().getSimpleName()).as(c[0]).isEqualTo(c[1]);
            assertThat(o.learningRate()).isEqualTo((double) 0.01f);
        }
    }
}
