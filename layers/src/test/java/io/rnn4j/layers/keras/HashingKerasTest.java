package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.inputs;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static io.rnn4j.layers.keras.TestTensors.call;
import static io.rnn4j.layers.keras.TestTensors.flat;
import static io.rnn4j.layers.keras.TestTensors.nested;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.HashedCrossing;
import io.rnn4j.layers.Hashing;
import io.rnn4j.layers.IntegerLookup;
import io.rnn4j.layers.StringLookup;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Fit;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hashing, HashedCrossing and StringLookup / IntegerLookup with several OOV indices against Keras
 * 3.15.1 on TensorFlow 2.21 (keras3151/make_hashing.py): each case, read from Keras's config (and
 * adapted on the same data), gives exactly Keras's ids / vectors (the vocabulary too, in Keras's
 * order) and writes back Keras's config; the .keras models with these layers on integer inputs
 * predict as Keras (bar 1e-5 + 1e-5·|y|), to the bit after rnn4j saves and loads them, and one with
 * Hashing trains one epoch of SGD as Keras did.
 */
class HashingKerasTest {
    private static Map<String, Object> fixture;

    @SuppressWarnings("unchecked")
    private static synchronized Map<String, Object> cases() throws IOException {
        if (fixture == null) {
            fixture = (Map<String, Object>) ((Map<String, Object>) Json.parse(Files.readString(
                    resource("hashing_cases.json"), StandardCharsets.UTF_8))).get("cases");
        }
        return fixture;
    }

    static Stream<String> names() throws IOException {
        return cases().keySet().stream();
    }

    @SuppressWarnings("unchecked")
    private static List<List<String>> rows(Object x) {
        return (List<List<String>>) x;
    }

    /** HashedCrossing's columns: strings or numbers (as longs), a (batch, 1) column flattened. */
    private static List<List<Object>> columns(List<?> cols) {
        List<List<Object>> out = new ArrayList<>();
        for (Object c : cols) {
            out.add(flat(c).stream().map(v -> v instanceof Double d ? (Object) d.longValue() : v).toList());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}: Keras 3.15.1's outputs, vocabulary and config")
    @MethodSource("names")
    void matchesKeras(String name) throws IOException {
        Map<String, Object> c = (Map<String, Object>) cases().get(name);
        String cls = (String) c.get("layer");
        Map<String, Object> config = new LinkedHashMap<>((Map<String, Object>) c.get("config"));
        assertThat(c.get("error")).as("%s: Keras raised", name).isNull();
        Map<String, Object> fresh = new LinkedHashMap<>(config);
        if (c.get("adapt") != null) {
            fresh.put("vocabulary_size", null); // the layer as it was before adapt
        }
        Options o = new Options(name, cls, fresh);
        Tensor y;
        Map<String, Object> written = new LinkedHashMap<>();
        written.put("name", config.get("name"));
        written.put("trainable", true);
        switch (cls) {
            case "Hashing" -> {
                Hashing h = (Hashing) HashingLayers.hashing(o);
                y = Boolean.TRUE.equals(c.get("strings")) ? h.applyStrings(rows(c.get("x"))) : call(h, nested(c.get("x")));
                HashingLayers.write(h, written);
            }
            case "HashedCrossing" -> {
                HashedCrossing x = (HashedCrossing) HashingLayers.hashedCrossing(o);
                List<?> cols = (List<?>) c.get("x");
                boolean text = cols.stream().anyMatch(col -> flat(col).get(0) instanceof String);
                if (text) {
                    y = x.applyColumns(columns(cols));
                } else {
                    List<Tensor> xs = cols.stream().map(TestTensors::nested).toList();
                    x.build(xs.stream().map(t -> t.shape().tail()).toList(), xs.get(0).device(), new java.util.Random(1));
                    y = x.callAll(xs.stream().map(Variable::constant).toList(),
                            java.util.Arrays.asList(new Tensor[xs.size()]), CallContext.inference()).get(0).value();
                }
                HashingLayers.write(x, written);
            }
            case "StringLookup" -> {
                StringLookup s = StringLookupConfig.read((String) config.get("name"), fresh);
                if (c.get("adapt") != null) {
                    s.adapt(rows(c.get("adapt")));
                }
                assertThat(s.vocabulary()).as("%s: vocabulary", name).isEqualTo(c.get("vocabulary"));
                y = s.apply(rows(c.get("x")));
                written = StringLookupConfig.write(s, true);
            }
            default -> {
                IntegerLookup l = (IntegerLookup) NumericPreprocessingLayers.integerLookup(o);
                if (c.get("adapt") != null) {
                    l.adapt(nested(c.get("adapt")));
                }
                assertThat(l.vocabulary()).as("%s: vocabulary", name).isEqualTo(
                        ((List<Double>) c.get("vocabulary")).stream().map(Double::longValue).toList());
                y = call(l, nested(c.get("x")));
                NumericPreprocessingLayers.write(l, written);
            }
        }
        Tensor want = nested(c.get("output"));
        assertThat(y.shape()).as("%s: shape", name).isEqualTo(want.shape());
        assertThat(y.toArray()).as("%s: Keras's ids / vectors, exactly", name).containsExactly(want.toArray());
        written.remove("dtype");
        config.remove("dtype");
        assertThat(Json.write(Json.parse(Json.write(written)))).as("%s: the config rnn4j writes is Keras's", name)
                .isEqualTo(Json.write(config));
    }

    static Stream<String> models() throws IOException {
        return Files.readAllLines(resource("manifest-hashing.txt")).stream().filter(l -> !l.isBlank());
    }

    @ParameterizedTest(name = "{0}: predicts as Keras 3.15.1, and to the bit after rnn4j saves and loads it")
    @MethodSource("models")
    void modelsPredictAsKeras(String line) throws IOException {
        String[] f = line.trim().split(" ");
        String name = f[0];
        List<Tensor> xs = inputs(name, Integer.parseInt(f[1]));
        KerasModel m = Models.load(resource(name + ".keras"));
        float[] y = m.predict(xs).get(0).toArray();
        assertClose(name, y, Npy.read(resource(name + ".y.npy")).values());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Models.save(m, out);
        KerasModel back = Models.load(new ByteArrayInputStream(out.toByteArray()), name + "-rnn4j.keras");
        assertThat(back.predict(xs).get(0).toArray()).as("%s: after save and load, to the bit", name).isEqualTo(y);
    }

    /** Keras's HashedCrossing refuses float32 tensors, so the inputs feeding it are written int64 (Keras loads it). */
    @Test
    @SuppressWarnings("unchecked")
    void inputsFeedingHashedCrossingAreWrittenAsInt64() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Models.save(Models.load(resource("hashing_cross.keras")), out);
        try (ArchiveEntries zip = ArchiveEntries.read("saved.keras", out.toByteArray())) {
            Map<String, Object> model = (Map<String, Object>) Json.parse(new String(zip.get("config.json"),
                    StandardCharsets.UTF_8));
            List<String> dtypes = new ArrayList<>();
            for (Object e : (List<Object>) ((Map<String, Object>) model.get("config")).get("layers")) {
                if (LayerReader.className((Map<String, Object>) e).equals("InputLayer")) {
                    dtypes.add((String) LayerReader.config((Map<String, Object>) e).get("dtype"));
                }
            }
            assertThat(dtypes).as("the three inputs, each feeding a HashedCrossing").containsExactly("int64", "int64",
                    "int64");
        }
    }

    /** A string input into a StringLookup with three OOV indices and a salt: rnn4j's text front, as Keras. */
    @Test
    @SuppressWarnings("unchecked")
    void aStringInputModelWithSeveralSaltedOovIndicesPredictsAsKeras() throws IOException {
        List<List<String>> rows = rows(((Map<String, Object>) cases().get("s_oov3")).get("x"));
        KerasModel m = Models.load(resource("hashing_str_oov.keras"));
        StringLookup lookup = m.stringLookup().orElseThrow();
        assertThat(lookup.numOovIndices()).isEqualTo(3);
        assertThat(lookup.salt()).containsExactly(5, 6);
        float[] y = m.predictTokens(rows).toArray();
        assertClose("hashing_str_oov", y, Npy.read(resource("hashing_str_oov.y.npy")).values());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Models.save(m, out);
        KerasModel back = Models.load(new ByteArrayInputStream(out.toByteArray()), "str_oov-rnn4j.keras");
        assertThat(back.stringLookup().orElseThrow().vocabulary()).isEqualTo(lookup.vocabulary());
        assertThat(back.predictTokens(rows).toArray()).as("after save and load, to the bit").isEqualTo(y);
    }

    @Test
    void aModelWithHashingTrainsOneEpochOfSgdAsKeras() throws IOException {
        KerasModel m = Models.load(resource("hashing_trained.keras"), true);
        Tensor fx = Npy.read(resource("hashing_trained.fit_x.npy")).tensor();
        Tensor fy = Npy.read(resource("hashing_trained.fit_y.npy")).tensor();
        m.fit(fx, fy, Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        assertClose("hashing_trained after one epoch", m.predict(Npy.read(resource("hashing_trained.x0.npy"))
                .tensor()).toArray(), Npy.read(resource("hashing_trained.y_after.npy")).values());
    }

    /** A hand-written Keras 3 model config with both layers on int64 inputs loads and predicts. */
    @Test
    void aHandWrittenKeras3ConfigLoads() {
        String json = """
                {"class_name": "Functional", "config": {"name": "hand", "layers": [
                  {"class_name": "InputLayer", "config": {"batch_shape": [null, 1], "dtype": "int64", "name": "a"},
                   "name": "a", "inbound_nodes": []},
                  {"class_name": "InputLayer", "config": {"batch_shape": [null, 1], "dtype": "int64", "name": "b"},
                   "name": "b", "inbound_nodes": []},
                  {"class_name": "Hashing", "config": {"name": "h", "dtype": {"module": "keras", "class_name":
                   "DTypePolicy", "config": {"name": "int64"}, "registered_name": null}, "num_bins": 5, "salt": 133,
                   "mask_value": null, "output_mode": "int", "sparse": false}, "name": "h",
                   "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 1],
                   "dtype": "int64", "keras_history": ["a", 0, 0]}}], "kwargs": {}}]},
                  {"class_name": "HashedCrossing", "config": {"num_bins": 7, "output_mode": "int", "sparse": false,
                   "name": "x", "dtype": "int64"}, "name": "x",
                   "inbound_nodes": [{"args": [[{"class_name": "__keras_tensor__", "config": {"shape": [null, 1],
                   "dtype": "int64", "keras_history": ["h", 0, 0]}}, {"class_name": "__keras_tensor__", "config":
                   {"shape": [null, 1], "dtype": "int64", "keras_history": ["b", 0, 0]}}]], "kwargs": {}}]}],
                  "input_layers": [["a", 0, 0], ["b", 0, 0]], "output_layers": [["x", 0, 0]]}}
                """;
        KerasModel m = new ModelReader("hand.json", false).read(ModelReader.parse("hand.json", "the config", json),
                "3.15.1", null);
        Hashing h = (Hashing) m.layer("h");
        assertThat(h.salt()).as("salt=133 is [133, 133]").containsExactly(133, 133);
        Tensor a = Tensor.of(new float[] {1, 2, 3}, 3, 1);
        Tensor b = Tensor.of(new float[] {7, 8, 9}, 3, 1);
        float[] y = m.predict(List.of(a, b)).get(0).toArray();
        HashedCrossing x = (HashedCrossing) m.layer("x");
        for (int i = 0; i < 3; i++) {
            long bin = io.rnn4j.layers.internal.StringHashes.strongBucket(Integer.toString(i + 1), 5, 133, 133);
            assertThat(y[i]).isEqualTo(x.applyColumns(List.of(List.of(bin), List.of(7L + i))).toArray()[0]);
        }
    }

    @Test
    void refusalsNameTheLayerAndTheOption() {
        for (String[] c : new String[][] {
                {"Hashing", "\"num_bins\": 0", "The `num_bins` for `Hashing` cannot be `None` or non-positive "
                        + "values. Received: num_bins=0."},
                {"Hashing", "\"num_bins\": 3, \"salt\": [1, 2, 3]", "The `salt` argument for `Hashing` can only be "
                        + "a tuple of size 2 integers, or a single integer. Received: salt=[1, 2, 3]."},
                {"Hashing", "\"num_bins\": 3, \"salt\": [1, 4611686018427400192]", "option 'salt' must be "
                        + "integers within ±2^53"},
                {"Hashing", "\"num_bins\": 3, \"sparse\": true", "unsupported option sparse=true"},
                {"Hashing", "\"num_bins\": 3, \"output_mode\": \"tf_idf\"", "Invalid value for argument "
                        + "`output_mode`. Expected one of ('int', 'one_hot', 'multi_hot', 'count'). Received: "
                        + "output_mode='tf_idf'"},
                {"HashedCrossing", "\"num_bins\": 3, \"output_mode\": \"count\"", "must be one of 'int', "
                        + "'one_hot'"},
                {"HashedCrossing", "\"num_bins\": null", "option 'num_bins' must be a positive whole number"},
                {"StringLookup", "\"salt\": \"x\"", "The `salt` argument for `IndexLookup` can only be a tuple of 2 "
                        + "integers, or a single integer. Received: salt='x'."},
                {"Dense", "\"units\": 2, \"dtype\": \"int64\"", "unsupported dtype 'int64'"}}) {
            String json = "{\"class_name\": \"" + c[0] + "\", \"config\": {\"name\": \"mine\", " + c[1] + "}}";
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
                if (c[0].equals("StringLookup")) {
                    StringLookupConfig.read("mine", LayerReader.config(ModelReader.parse("test", "layer", json)));
                } else {
                    new LayerReader(false).read(ModelReader.parse("test", "layer", json));
                }
            }).as("%s {%s}", c[0], c[1]).isInstanceOf(KerasFileException.class).hasMessageContaining(c[2])
                    .hasMessageContaining("'mine' (" + c[0] + ")");
        }
    }
}
