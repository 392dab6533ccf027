package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.allWeights;
import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.assertWeightsAsKeras;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static io.rnn4j.layers.keras.Keras3151.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.model.Fit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GroupNormalization, SpectralNormalization, ActivityRegularization and ReversibleEmbedding (a tied
 * and an untied soft-capped LSTM language model, the layer called forward on ids and in reverse on
 * the LSTM's states) in files Keras 3.15.1 wrote (keras3151/make_normreg.py, TensorFlow on the CPU),
 * each next to an LSTM: rnn4j predicts Keras's
 * outputs, evaluates Keras's loss (ActivityRegularization's activity losses included) and after one
 * epoch of SGD (two steps) holds Keras's weights (SpectralNormalization's normalised kernels and
 * vector_u included), all within {@code 1e-5 + 1e-5·|y|}; saved back, the layers' entries carry
 * Keras's config keys, the weights sit at Keras's paths, and rnn4j reads its own file to the same bits.
 */
class NormRegFilesTest {
    @TempDir
    Path tmp;

    static Stream<String> fixtures() throws IOException {
        return Files.readAllLines(resource("manifest-normreg.txt")).stream().filter(l -> !l.isBlank());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void aKerasWrittenModelPredictsEvaluatesAndTrainsAsKeras(String line) throws IOException {
        String[] f = line.trim().split(" ");
        String name = f[0];
        KerasModel m = Models.load(resource(name + ".keras"), true);
        Tensor x = Npy.read(resource(name + ".x0.npy")).tensor();
        float[] y = m.predict(List.of(x)).get(0).toArray();
        assertClose(name + " predict", y, Npy.read(resource(name + ".y.npy")).values());

        Path back = tmp.resolve(name + ".keras");
        Models.save(m, back);
        assertThat(entries(back).keySet()).as("classes rnn4j writes back").containsExactlyElementsOf(
                entries(resource(name + ".keras")).keySet());
        for (Map.Entry<String, Map<String, Object>> e : entries(resource(name + ".keras")).entrySet()) {
            assertThat(entries(back).get(e.getKey()).keySet()).as("%s get_config keys in Keras's order", e.getKey())
                    .containsExactlyElementsOf(e.getValue().keySet());
        }
        assertThat(datasets(back)).as("weight paths, dtypes and shapes in model.weights.h5")
                .isEqualTo(datasets(resource(name + ".keras")));
        assertThat(Models.load(back).predict(List.of(x)).get(0).toArray()).as("rnn4j's own file, bit for bit")
                .isEqualTo(y);

        Tensor fx = Npy.read(resource(name + ".fit_x.npy")).tensor();
        Tensor fy = Npy.read(resource(name + ".fit_y.npy")).tensor();
        assertClose(name + " evaluate loss", new float[] {(float) m.evaluate(fx, fy).loss()},
                Npy.read(resource(name + ".loss.npy")).values());
        List<Weight> weights = allWeights(m);
        List<float[]> before = values(weights);
        m.fit(fx, fy, Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        assertThat(weights).hasSize(Integer.parseInt(f[1]));
        double moved = assertWeightsAsKeras(name, "after two SGD steps", weights, before);
        // The steps move the weights 100 times the bar or more, so the comparison says that rnn4j trained as Keras.
        assertThat(moved).as("the largest change of a weight in the two steps").isGreaterThan(1e-3);
    }

    /** Each GroupNormalization / SpectralNormalization / ActivityRegularization entry's config, by layer name. */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> entries(Path file) throws IOException {
        Map<String, Object> root = ModelReader.parse(file.toString(), "config.json", SaveTest.entry(file,
                "config.json"));
        Map<String, Map<String, Object>> out = new java.util.LinkedHashMap<>();
        for (Object l : (List<Object>) ((Map<String, Object>) root.get("config")).get("layers")) {
            Map<String, Object> layer = (Map<String, Object>) l;
            String cls = String.valueOf(layer.get("class_name"));
            if (List.of("GroupNormalization", "SpectralNormalization", "ActivityRegularization",
                    "ReversibleEmbedding").contains(cls)) {
                Map<String, Object> c = (Map<String, Object>) layer.get("config");
                out.put(c.get("name") + " " + cls, c);
            }
        }
        return out;
    }

    /** The weight datasets (path and "dtype shape") of a .keras file's model.weights.h5 under layers/. */
    private static Map<String, String> datasets(Path keras) throws IOException {
        Map<String, String> out = new java.util.TreeMap<>(H5Listing.of(Archives.bytes(keras, "model.weights.h5")));
        out.keySet().removeIf(p -> !p.startsWith("layers/"));
        return out;
    }
}
