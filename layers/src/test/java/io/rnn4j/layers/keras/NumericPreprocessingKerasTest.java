package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.TestTensors.call;
import static io.rnn4j.layers.keras.TestTensors.nested;
import static io.rnn4j.layers.keras.TestTensors.numbers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CategoryEncoding;
import io.rnn4j.layers.Discretization;
import io.rnn4j.layers.IntegerLookup;
import io.rnn4j.layers.Layer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * IntegerLookup, CategoryEncoding and Discretization against Keras 3.15.1's own outputs
 * (keras3151/make_numeric_preprocessing.py): each option set, read from Keras's config and adapted
 * on the same data (or given Keras's vocabulary / boundaries), has Keras's vocabulary in Keras's
 * order or Keras's bin boundaries to the bit, gives exactly Keras's ids / vectors (tf_idf within 2
 * float32 ulps), raises where Keras raised, and writes back Keras's config; .keras models with these
 * layers between an Input and Embedding/LSTM/Dense layers predict as Keras does (bar 1e-6 + 1e-6·|y|),
 * and to the bit after rnn4j saves and loads them.
 */
class NumericPreprocessingKerasTest {
    private static Map<String, Object> fixture;

    @SuppressWarnings("unchecked")
    private static synchronized Map<String, Object> cases() throws IOException {
        if (fixture == null) {
            try (var in = NumericPreprocessingKerasTest.class.getResourceAsStream("keras3151/numprep_cases.json")) {
                fixture = (Map<String, Object>) ((Map<String, Object>) Json.parse(
                        new String(in.readAllBytes(), StandardCharsets.UTF_8))).get("cases");
            }
        }
        return fixture;
    }

    static Stream<String> names() throws IOException {
        return cases().keySet().stream();
    }

    private static Layer read(String cls, Map<String, Object> config) {
        Options o = new Options((String) config.get("name"), cls, config);
        return switch (cls) {
            case "IntegerLookup" -> NumericPreprocessingLayers.integerLookup(o);
            case "CategoryEncoding" -> NumericPreprocessingLayers.categoryEncoding(o);
            default -> NumericPreprocessingLayers.discretization(o);
        };
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}: Keras 3.15.1's vocabulary / boundaries, outputs, errors and config")
    @MethodSource("names")
    void matchesKeras(String name) throws IOException {
        Map<String, Object> c = (Map<String, Object>) cases().get(name);
        String cls = (String) c.get("layer");
        Map<String, Object> config = new LinkedHashMap<>((Map<String, Object>) c.get("config"));
        Map<String, Object> fresh = new LinkedHashMap<>(config);
        if (c.get("adapt") != null) { // the layer as it was before adapt: no vocabulary, no boundaries
            fresh.put(cls.equals("Discretization") ? "bin_boundaries" : "vocabulary_size", null);
        }
        Layer layer = read(cls, fresh);
        if (c.get("adapt") != null) {
            if (layer instanceof IntegerLookup l) {
                l.adapt(nested(c.get("adapt")));
            } else {
                ((Discretization) layer).adapt(nested(c.get("adapt")));
            }
        }
        if (layer instanceof IntegerLookup l) {
            assertThat(l.vocabulary()).as("%s: vocabulary", name)
                    .isEqualTo(((List<Double>) c.get("vocabulary")).stream().map(Double::longValue).toList());
        }
        if (layer instanceof Discretization d) {
            assertThat(d.binBoundaries()).as("%s: bin boundaries, to the bit", name)
                    .containsExactly(numbers(config.get("bin_boundaries")).stream().mapToDouble(x -> x).toArray());
        }
        Tensor x = nested(c.get("x"));
        if (c.get("error") != null) {
            assertThatThrownBy(() -> call(layer, x)).as("%s: Keras raised %s", name, c.get("error"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(layer.name());
        } else {
            Tensor y = call(layer, x);
            List<Double> want = numbers(c.get("output"));
            assertThat(y.shape()).as("%s: shape", name).isEqualTo(nested(c.get("output")).shape());
            float[] got = y.toArray();
            boolean tfIdf = layer instanceof IntegerLookup l && l.outputMode() == IntegerLookup.OutputMode.TF_IDF;
            for (int i = 0; i < got.length; i++) {
                double bar = tfIdf ? 2 * Math.ulp((float) (double) want.get(i)) : 0;
                assertThat((double) got[i]).as("%s: value %d (bar %s)", name, i, tfIdf ? "2 ulp" : "exact")
                        .isCloseTo(want.get(i), org.assertj.core.data.Offset.offset(bar));
            }
        }
        Map<String, Object> written = new LinkedHashMap<>(base(layer));
        NumericPreprocessingLayers.write(layer, written);
        written.remove("dtype");
        config.remove("dtype");
        assertThat(Json.write(Json.parse(Json.write(written)))).as("%s: the config rnn4j writes is Keras's", name)
                .isEqualTo(Json.write(config));
    }

    private static Map<String, Object> base(Layer l) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", l.name());
        c.put("trainable", l.trainable());
        c.put("dtype", "float32");
        return c;
    }

    static Stream<String> models() {
        return Stream.of("lookup_lstm", "discretize_dense", "lookup_tf_idf", "lookup_given_one_hot", "nested",
                "lookup_given_tf_idf");
    }

    @ParameterizedTest(name = "{0}: predicts as Keras 3.15.1, and to the bit after rnn4j saves and loads it")
    @MethodSource("models")
    void modelsPredictAsKeras(String name) throws IOException {
        Tensor x = Npy.read(Keras3151.resource("numprep_" + name + ".x.npy")).tensor();
        double[] want = Npy.read(Keras3151.resource("numprep_" + name + ".y.npy")).values();
        KerasModel m = Models.load(Keras3151.resource("numprep_" + name + ".keras"));
        float[] y = m.predict(x).toArray();
        assertThat(y).hasSize(want.length);
        for (int i = 0; i < y.length; i++) {
            assertThat((double) y[i]).as("%s: output %d (bar 1e-6 + 1e-6·|y|)", name, i)
                    .isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-6 + 1e-6 * Math.abs(want[i])));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Models.save(m, out);
        KerasModel back = Models.load(new ByteArrayInputStream(out.toByteArray()), name + "-rnn4j.keras");
        assertThat(back.predict(x).toArray()).as("%s: after save and load, to the bit", name).isEqualTo(y);
    }

    @Test
    void theAdaptedVocabularyAndIdfWeightsTravelAsKerasSavesThem() throws IOException {
        KerasModel m = Models.load(Keras3151.resource("numprep_lookup_tf_idf.keras"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Models.save(m, out);
        try (ArchiveEntries zip = ArchiveEntries.read("saved.keras", out.toByteArray())) {
            assertThat(new String(zip.get("assets/layers/integer_lookup/vocabulary.txt"), StandardCharsets.UTF_8))
                    .as("Keras's save_assets: the special tokens, then by frequency, one per line")
                    .isEqualTo("-1\n12\n40\n7\n99\n5");
            assertThat(Json.write(Json.parse(new String(zip.get("config.json"), StandardCharsets.UTF_8))))
                    .contains("\"vocabulary\": null").contains("\"vocabulary_size\": 6");
        }
    }

    @Test
    void refusalsNameTheLayerAndTheOption(@TempDir Path tmp) throws IOException {
        Path file = Keras3151.resource("numprep_lookup_lstm.keras");
        for (String[] edit : new String[][] {
                {"\"num_oov_indices\": 1", "\"num_oov_indices\": -1", "`num_oov_indices` must be greater than or "
                        + "equal to 0"},
                {"\"sparse\": false, \"pad", "\"sparse\": true, \"pad", "unsupported option sparse=true"},
                {"\"output_mode\": \"int\"", "\"output_mode\": \"dense\"", "unsupported option output_mode='dense'"},
                {"\"oov_method\": \"floormod\", \"salt\": null", "\"oov_method\": \"floormod\", \"salt\": 3",
                        "`salt` can only be used when `oov_method='farmhash'`"},
                {"\"oov_method\": \"floormod\", \"salt\": null", "\"oov_method\": \"modulo\", \"salt\": null",
                        "must be one of 'floormod', 'farmhash'"}}) {
            Path edited = Archives.copy(file, tmp.resolve(Math.abs(edit[2].hashCode()) + ".keras"),
                    Map.of("config.json", c -> c.replace(edit[0], edit[1])));
            assertThatThrownBy(() -> Models.load(edited)).isInstanceOf(KerasFileException.class)
                    .hasMessageContaining(edit[2]).hasMessageContaining("(IntegerLookup)");
        }
        Path noAsset = Archives.copy(file, tmp.resolve("no-asset.keras"),
                Map.of("assets/layers/integer_lookup/vocabulary.txt", c -> "-1\n0\nx"));
        assertThatThrownBy(() -> Models.load(noAsset)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("IntegerLookup '").hasMessageContaining("holds 'x', expected one integer per line");
        Path d = Keras3151.resource("numprep_discretize_dense.keras");
        Path unsorted = Archives.copy(d, tmp.resolve("unsorted.keras"), Map.of("config.json",
                c -> c.replaceFirst("\"bin_boundaries\": \\[", "\"bin_boundaries\": [5.0, ")));
        assertThatThrownBy(() -> Models.load(unsorted)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("(Discretization)").hasMessageContaining("Expected sorted boundaries");
    }

    @Test
    void aRefusedEntryIsNamedOnceByItsNameInTheFile() {
        for (String[] c : new String[][] {
                {"CategoryEncoding", "\"num_tokens\": 0", "`num_tokens` must be >= 1. Received: num_tokens=0."},
                {"Discretization", "\"bin_boundaries\": [1.0, 0.0]", "bin_boundaries must be sorted numbers "
                        + "(TensorFlow's Bucketize: Expected sorted boundaries), got [1.0, 0.0]"},
                {"Discretization", "\"num_bins\": -1", "`num_bins` must be greater than or equal to 0. Received: "
                        + "`num_bins=-1`"},
                {"IntegerLookup", "\"vocabulary\": [1, 2, 1]", "The passed vocabulary has at least one repeated "
                        + "term. Please uniquify your dataset. The repeated terms are: [1]"}}) {
            String json = "{\"class_name\": \"" + c[0] + "\", \"config\": {\"name\": \"mine\", " + c[1] + "}}";
            assertThatThrownBy(() -> new LayerReader(false).read(ModelReader.parse("test", "layer", json)))
                    .as("%s {%s}", c[0], c[1]).isInstanceOf(KerasFileException.class)
                    .hasMessage("layer 'mine' (" + c[0] + "): " + c[2]);
        }
        String twoOov = "{\"class_name\": \"IntegerLookup\", \"config\": {\"name\": \"mine\", "
                + "\"num_oov_indices\": -1}}";
        assertThatThrownBy(() -> new LayerReader(false).read(ModelReader.parse("test", "layer", twoOov)))
                .isInstanceOf(KerasFileException.class)
                .hasMessage("layer 'mine' (IntegerLookup): `num_oov_indices` must be greater than or equal to 0. "
                        + "Received: num_oov_indices=-1");
    }

    @Test
    void aHandWrittenKeras3ConfigLoads() {
        String json = """
                {"class_name": "Sequential", "config": {"name": "hand", "layers": [
                  {"class_name": "InputLayer", "config": {"batch_shape": [null, 4], "dtype": "float32", "name": "in"}},
                  {"module": "keras.layers", "class_name": "Discretization", "config": {"name": "d",
                    "bin_boundaries": [0.0, 1.0], "num_bins": 3, "epsilon": 0.01, "output_mode": "int",
                    "sparse": false, "dtype": "float32"}},
                  {"module": "keras.layers", "class_name": "IntegerLookup", "config": {"name": "ids",
                    "vocabulary": [2, 1], "output_mode": "binary", "mask_token": 0, "num_oov_indices": 0}},
                  {"module": "keras.layers", "class_name": "CategoryEncoding", "config": {"name": "ce",
                    "num_tokens": 3, "output_mode": "count"}}]}}""";
        KerasModel m = new ModelReader("hand.json", false).read(ModelReader.parse("hand.json", "the config", json),
                "3.15.1", null);
        // bins 0, 1, 1, 2 -> multi_hot over the vocabulary [2, 1] (the mask 0 dropped): [1, 1] -> two 1s counted
        // (what Keras 3.15.1 gives for this config)
        Tensor y = m.predict(Tensor.of(new float[] {-1, 0.5f, 0.7f, 3}, 1, 4));
        assertThat(y.shape()).isEqualTo(Shape.of(1, 3));
        assertThat(y.toArray()).as("Keras's [[0, 2, 0]]").containsExactly(0, 2, 0);
    }

    @Test
    void layersBuiltFromShapesGiveKerasShapes() {
        IntegerLookup oneHot = new IntegerLookup().outputMode(IntegerLookup.OutputMode.ONE_HOT);
        oneHot.setVocabulary(List.of(4L, 5L), null);
        oneHot.build(Shape.of(3, 1));
        assertThat(oneHot.outputShape()).isEqualTo(Shape.of(3, 3));
        CategoryEncoding counts = new CategoryEncoding(5, CategoryEncoding.OutputMode.COUNT);
        counts.build(Shape.withUnknown(Shape.UNKNOWN));
        assertThat(counts.outputShape()).as("None ids per row still give (batch, num_tokens)").isEqualTo(Shape.of(5));
        Discretization d = Discretization.withBins(4);
        d.build(Shape.of(6));
        assertThat(d.outputShape()).isEqualTo(Shape.of(6));
    }
}
