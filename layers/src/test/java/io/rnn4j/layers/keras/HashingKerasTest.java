package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.HashedCrossing;
import io.rnn4j.layers.Hashing;
import io.rnn4j.layers.IntegerLookup;
import io.rnn4j.layers.Layer;
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

    /** Nested lists of numbers as a float32 tensor of their shape. */
    private static Tensor tensor(Object v) {
        List<Integer> dims = new ArrayList<>();
        for (Object e = v; e instanceof List<?> l; e = l.get(0)) {
            dims.add(l.size());
        }
        List<Object> flat = flat(v);
        float[] f = new float[flat.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (double) (Double) flat.get(i);
        }
        return Tensor.of(f, dims.stream().mapToInt(Integer::intValue).toArray());
    }

    private static List<Object> flat(Object v) {
        List<Object> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            l.forEach(x -> out.addAll(flat(x)));
        } else {
            out.add(v);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<List<String>> rows(Object x) {
        return (List<List<String>>) x;
    }

    private static Tensor call(Layer l, Tensor x) {
        l.build(x.shape().tail());
        return l.call(Variable.constant(x), null, CallContext.inference()).value();
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
                y = Boolean.TRUE.equals(c.get("strings")) ? h.applyStrings(rows(c.get("x"))) : call(h, tensor(c.get("x")));
                HashingLayers.write(h, written);
            }
            case "HashedCrossing" -> {
                HashedCrossing x = (HashedCrossing) HashingLayers.hashedCrossing(o);
                List<?> cols = (List<?>) c.get("x");
                boolean text = cols.stream().anyMatch(col -> flat(col).get(0) instanceof String);
                if (text) {
                    y = x.applyColumns(columns(cols));
                } else {
                    List<Tensor> xs = cols.stream().map(HashingKerasTest::tensor).toList();
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
                    l.adapt(tensor(c.get("adapt")));
                }
                assertThat(l.vocabulary()).as("%s: vocabulary", name).isEqualTo(
                        ((List<Double>) c.get("vocabulary")).stream().map(Double::longValue).toList());
                y = call(l, tensor(c.get("x")));
                NumericPreprocessingLayers.write(l, written);
            }
        }
        Tensor want = tensor(c.get("output"));
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

    private static List<Tensor> inputs(String name, int n) throws IOException {
        List<Tensor> xs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            xs.add(Npy.read(resource(name + ".x" + i + ".npy")).tensor());
        }
        return xs;
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

    @Test
    void aModelWithHashingTrainsOneEpochOfSgdAsKeras() throws IOException {
        KerasModel m = Models.load(resource("hashing_trained.keras"), true);
        Tensor fx = Npy.read(resource("hashing_trained.fit_x.npy")).tensor();
        Tensor fy = Npy.read(resource("hashing_trained.fit_y.npy")).tensor();
        m.fit(fx, fy, Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        assertClose("hashing_trained after one epoch", m.predict(Npy.read(resource("hashing_trained.x0.npy"))
                .tensor()).toArray(), Npy.read(resource("hashing_trained.y_after.npy")).values());
    }
}
