package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.keras.KerasFileException;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Defects found reviewing the Keras 3 activations, elementwise operations and adaptive poolings
 * against Keras 3.15.1's source; each test of what Keras accepts failed before its fix, the
 * refusals pin what Keras refuses too and the message. Seed 1315.
 *
 * <p>Activations: Keras 3's deserialize_keras_object (saving/serialization_lib.py) resolves a
 * built-in activation from the dict serialize_keras_object writes for the function,
 * {@code {"module": "builtins", "class_name": "function", "config": "gelu", "registered_name":
 * "function"}}, and from {@code {"module": "keras.activations", "class_name": "function" | "gelu",
 * ...}}; rnn4j read only the last form with no registered_name. Checked on act_layers.keras
 * (written by Keras 3.15.1, whose own load_model reads each rewritten form to the same predictions).
 *
 * <p>Adaptive poolings (layers/pooling/base_adaptive_pooling.py): Keras's compute_output_shape
 * gives {@code (batch, output_size, channels)} whatever the steps, and the layer computes its
 * windows at each call from the length that comes, so a shared layer pools inputs of different
 * lengths and a model on None steps builds (and runs at any length on JAX and torch, and on
 * TensorFlow whenever the traced length is static); rnn4j bound the steps of its first input.
 */
class Keras3ActivationsReviewTest {
    private final Random r = new Random(1315);

    private static Path resource(String name) {
        try {
            return Path.of(Keras3ActivationsReviewTest.class.getResource("keras/keras3151/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A copy of a .keras archive whose config.json has each key of {@code edits} replaced by its value. */
    private static Path rewritten(Path keras, Path out, Map<String, String> edits) throws IOException {
        try (ZipFile in = new ZipFile(keras.toFile());
                ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            for (ZipEntry e : Collections.list(in.entries())) {
                byte[] b = in.getInputStream(e).readAllBytes();
                if (e.getName().equals("config.json")) {
                    String json = new String(b, StandardCharsets.UTF_8);
                    for (Map.Entry<String, String> edit : edits.entrySet()) {
                        assertThat(json).as("the fixture's config").contains(edit.getKey());
                        json = json.replace(edit.getKey(), edit.getValue());
                    }
                    b = json.getBytes(StandardCharsets.UTF_8);
                }
                zip.putNextEntry(new ZipEntry(e.getName()));
                zip.write(b);
                zip.closeEntry();
            }
        }
        return out;
    }

    @Test
    void everyDictFormKeras3151ResolvesToABuiltInActivationLoads(@TempDir Path dir) throws IOException {
        // act_layers.keras: Activation(gelu), Dense, Activation(hard_swish, written hard_silu),
        // Activation(squareplus), Dense, Activation(log_softmax)
        Path original = resource("act_layers.keras");
        Path forms = rewritten(original, dir.resolve("forms.keras"), Map.of(
                "\"activation\": \"gelu\"", "\"activation\": {\"module\": \"builtins\", \"class_name\": \"function\", "
                        + "\"config\": \"gelu\", \"registered_name\": \"function\"}",
                "\"activation\": \"hard_silu\"", "\"activation\": {\"module\": \"keras.activations\", "
                        + "\"class_name\": \"function\", \"config\": \"hard_silu\", \"registered_name\": null}",
                "\"activation\": \"squareplus\"", "\"activation\": {\"module\": \"keras.activations\", "
                        + "\"class_name\": \"squareplus\", \"config\": null, \"registered_name\": \"squareplus\"}",
                "\"activation\": \"log_softmax\"", "\"activation\": {\"module\": \"keras.activations\", "
                        + "\"class_name\": \"function\", \"config\": \"log_softmax\", "
                        + "\"registered_name\": \"function\"}"));
        Tensor x = GradCheck.uniform(r, -2, 2, 3, 6);
        assertThat(Models.load(forms).predict(x).toArray())
                .as("the dict forms predict bit for bit as the names Keras 3.15.1 wrote")
                .containsExactly(Models.load(original).predict(x).toArray());
    }

    /** What Keras 3.15.1's load_model refuses in those forms: an alias, a custom registration, another module. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{\"module\": \"builtins\", \"class_name\": \"function\", \"config\": \"swish\", "
            + "\"registered_name\": \"function\"}",
        "{\"module\": \"keras.activations\", \"class_name\": \"gelu\", \"config\": null, "
            + "\"registered_name\": \"my>gelu\"}",
        "{\"module\": \"keras.src.activations.activations\", \"class_name\": \"function\", \"config\": \"gelu\", "
            + "\"registered_name\": null}",
        "{\"module\": \"my_package\", \"class_name\": \"function\", \"config\": \"gelu\", "
            + "\"registered_name\": \"function\"}"})
    void theDictFormsKeras3151RefusesAreRefusedNamingTheLayer(String form, @TempDir Path dir) throws IOException {
        Path bad = rewritten(resource("act_layers.keras"), dir.resolve("bad.keras"),
                Map.of("\"activation\": \"gelu\"", "\"activation\": " + form));
        assertThatThrownBy(() -> Models.load(bad)).isInstanceOf(KerasFileException.class)
                .hasMessageContainingAll("unsupported option activation=", "(Activation)", "built-in activations");
    }

    /** Float64 adaptive pooling over the windows [floor(iL/O), ceil((i+1)L/O)), written here. */
    private static double[] pooled(Tensor x, int out, boolean max) {
        int batch = x.dim(0);
        int steps = x.dim(1);
        int channels = x.dim(2);
        float[] v = x.toArray();
        double[] y = new double[batch * out * channels];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < out; i++) {
                int start = (int) Math.floor((double) i * steps / out);
                int end = (int) Math.ceil((double) (i + 1) * steps / out);
                for (int c = 0; c < channels; c++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    for (int s = start; s < end; s++) {
                        double e = v[(b * steps + s) * channels + c];
                        acc = max ? Math.max(acc, e) : acc + e;
                    }
                    y[(b * out + i) * channels + c] = max ? acc : acc / (end - start);
                }
            }
        }
        return y;
    }

    private static void assertPooled(String what, Tensor y, double[] want) {
        float[] got = y.toArray();
        assertThat(got).as(what).hasSize(want.length);
        for (int i = 0; i < got.length; i++) {
            assertThat((double) got[i]).as("%s [%d] (bar 1e-6)", what, i).isCloseTo(want[i], within(1e-6));
        }
    }

    @Test
    void aSharedAdaptivePoolingLayerPoolsInputsOfDifferentLengthsAsKeras() {
        for (boolean max : new boolean[] {false, true}) {
            Layer pool = max ? new AdaptiveMaxPooling1D(4) : new AdaptiveAveragePooling1D(4);
            Input a = Input.shape(6, 3);
            Input b = Input.shape(9, 3);
            Model m = Model.of(List.of(a, b), List.of(pool.apply(a), pool.apply(b)));
            Tensor xa = GradCheck.uniform(r, -2, 2, 2, 6, 3);
            Tensor xb = GradCheck.uniform(r, -2, 2, 2, 9, 3);
            List<Tensor> y = m.predict(List.of(xa, xb));
            assertPooled(pool.className() + " on 6 steps", y.get(0), pooled(xa, 4, max));
            assertPooled(pool.className() + " shared, on 9 steps", y.get(1), pooled(xb, 4, max));
        }
    }

    @Test
    void adaptivePoolingOnNoneStepsPoolsEachBatchAtItsLengthAndSavesAsKeras(@TempDir Path dir) throws IOException {
        Sequential m = Sequential.of(Input.shape(Input.NONE, 3), new AdaptiveMaxPooling1D(4),
                new AdaptiveAveragePooling1D(3));
        assertThat(m.outputShape()).as("Keras's compute_output_shape: (None, 3, 3)")
                .isEqualTo(Shape.withUnknown(3, 3));
        for (int steps : new int[] {10, 7, 4, 2}) {
            Tensor x = GradCheck.uniform(r, -2, 2, 2, steps, 3);
            Tensor four = Tensor.of(toFloats(pooled(x, 4, true)), 2, 4, 3);
            assertPooled("max then average on " + steps + " steps", m.predict(x), pooled(four, 3, false));
        }
        Path file = dir.resolve("none_steps.keras");
        Models.save(m, file);
        KerasModel back = Models.load(file);
        Tensor x = GradCheck.uniform(r, -2, 2, 2, 11, 3);
        assertThat(back.predict(x).toArray()).as("loaded back, on 11 steps, bit for bit")
                .containsExactly(m.predict(x).toArray());
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
