package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.IntegerLookup;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.StringLookup;
import io.rnn4j.layers.autograd.Variable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * StringLookup and IntegerLookup with invert=True against Keras 3.15.1 (keras3151/make_lookup_invert.py):
 * read from Keras's config, adapted on the same rows or given Keras's vocabulary (and again from the
 * vocabulary asset Keras's save_assets writes), each has Keras's vocabulary and gives exactly Keras's
 * tokens for id 0, the OOV ids, every token's id, ids past the vocabulary and negatives; writes back
 * Keras's config and asset; refuses what Keras refuses with Keras's message.
 */
class LookupInvertKerasTest {
    private static Map<String, Object> fixture;

    @SuppressWarnings("unchecked")
    private static synchronized Map<String, Object> fixture() throws IOException {
        if (fixture == null) {
            try (var in = LookupInvertKerasTest.class.getResourceAsStream("keras3151/lookup_invert_cases.json")) {
                fixture = (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return fixture;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> list(Object o) {
        return (List<T>) o;
    }

    static Stream<String> cases() throws IOException {
        return map(fixture().get("cases")).keySet().stream();
    }

    private static Tensor ids() throws IOException {
        List<List<Double>> rows = list(fixture().get("ids"));
        float[] v = new float[rows.size() * rows.get(0).size()];
        for (int b = 0; b < rows.size(); b++) {
            for (int t = 0; t < rows.get(b).size(); t++) {
                v[b * rows.get(b).size() + t] = rows.get(b).get(t).floatValue();
            }
        }
        return Tensor.of(v, rows.size(), rows.get(0).size());
    }

    private static List<Long> longs(Object o) {
        return TestTensors.numbers(o).stream().map(Double::longValue).toList();
    }

    private static Tensor call(Layer l, Tensor x) {
        if (!l.isBuilt()) {
            l.build(x.shape().tail());
        }
        return l.call(Variable.constant(x), null, CallContext.inference()).value();
    }

    /** The layer's output on the ids, as Keras's nested list: strings, or integer tokens. */
    private static Object output(Object layer) throws IOException {
        if (layer instanceof StringLookup s) {
            return s.applyIds(ids());
        }
        float[] y = call((IntegerLookup) layer, ids()).toArray();
        List<Long> out = new ArrayList<>();
        for (float v : y) {
            out.add((long) v);
        }
        return out;
    }

    private static Object read(String cls, Map<String, Object> config) {
        return cls.equals("StringLookup") ? StringLookupConfig.read((String) config.get("name"), config)
                : NumericPreprocessingLayers.integerLookup(new Options((String) config.get("name"), cls, config));
    }

    private static List<String> vocabulary(Object layer) {
        return layer instanceof StringLookup s ? s.vocabulary()
                : ((IntegerLookup) layer).vocabulary().stream().map(String::valueOf).toList();
    }

    private static Map<String, Object> written(Object layer) {
        Map<String, Object> c;
        if (layer instanceof StringLookup s) {
            c = StringLookupConfig.write(s, true);
        } else {
            IntegerLookup l = (IntegerLookup) layer;
            c = new LinkedHashMap<>();
            c.put("name", l.name());
            c.put("trainable", true);
            NumericPreprocessingLayers.write(l, c);
        }
        c.remove("dtype");
        return c;
    }

    @ParameterizedTest(name = "{0}: Keras 3.15.1's vocabulary, tokens, config and asset")
    @MethodSource("cases")
    void matchesKeras(String name) throws IOException {
        Map<String, Object> c = map(map(fixture().get("cases")).get(name));
        String cls = (String) c.get("class");
        boolean strings = cls.equals("StringLookup");
        Map<String, Object> config = new LinkedHashMap<>(map(c.get("config")));
        List<String> wantVocabulary = strings ? list(c.get("vocabulary"))
                : longs(c.get("vocabulary")).stream().map(String::valueOf).toList();
        Object wantOutput = strings ? c.get("output") : longs(c.get("output"));
        Map<String, Object> fresh = new LinkedHashMap<>(config);
        fresh.put("vocabulary_size", null); // the layer as it was before adapt
        Object layer = read(cls, fresh);
        if (config.get("vocabulary") == null) {
            if (layer instanceof StringLookup s) {
                s.adapt(list(fixture().get("corpus")));
            } else {
                ((IntegerLookup) layer).adapt(TestTensors.nested(fixture().get("int_corpus")));
            }
        }
        assertThat(vocabulary(layer)).as("%s: vocabulary", name).isEqualTo(wantVocabulary);
        assertThat(output(layer)).as("%s: tokens of the ids %s", name, fixture().get("ids")).isEqualTo(wantOutput);
        assertThat(Json.write(Json.parse(Json.write(written(layer))))).as("%s: the config rnn4j writes is Keras's",
                name).isEqualTo(Json.write(config));
        if (c.get("asset") != null) {
            String asset = (String) c.get("asset");
            assertThat(TextInputs.vocabularyAsset(vocabulary(layer))).as("%s: the asset rnn4j writes", name)
                    .isEqualTo(asset);
            Object loaded = read(cls, new LinkedHashMap<>(config)); // Keras's load: config, then load_assets
            List<String> lines = TextInputs.vocabularyLines(asset);
            if (loaded instanceof StringLookup s) {
                s.setVocabulary(lines, null);
            } else {
                ((IntegerLookup) loaded).setVocabulary(lines.stream().map(Long::valueOf).toList(), null);
            }
            assertThat(vocabulary(loaded)).as("%s: vocabulary from Keras's asset", name).isEqualTo(wantVocabulary);
            assertThat(output(loaded)).as("%s: tokens after loading Keras's asset", name).isEqualTo(wantOutput);
        }
    }

    @Test
    void refusesWhatKerasRefusesWithKerasMessage() throws IOException {
        Map<String, Object> errors = map(fixture().get("errors"));
        assertThatThrownBy(() -> new StringLookup().named("s").outputMode(StringLookup.OutputMode.ONE_HOT)
                .invert(true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("s: " + errors.get("string_one_hot"));
        assertThatThrownBy(() -> new StringLookup().named("s").invert(true)
                .outputMode(StringLookup.OutputMode.ONE_HOT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("s: " + errors.get("string_one_hot"));
        assertThatThrownBy(() -> new IntegerLookup().named("i").outputMode(IntegerLookup.OutputMode.COUNT)
                .invert(true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith(": " + errors.get("integer_count"));
        String keras = (String) errors.get("string_oov_in_vocabulary");
        assertThatThrownBy(() -> new StringLookup().named("s").invert(true).vocabularyArgument(List.of("a", "[UNK]"),
                null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("s: " + keras.substring(0, keras.indexOf("precisely this order")))
                .hasMessageEndingWith("Received: oov_token=[UNK] at vocabulary index [1]");
        keras = (String) errors.get("integer_oov_in_vocabulary");
        assertThatThrownBy(() -> new IntegerLookup().named("i").invert(true).setVocabulary(List.of(3L, -1L), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(keras.substring(0, keras.indexOf("precisely this order")))
                .hasMessageEndingWith("Received: oov_token=-1 at vocabulary index [1]");
        // Not inverted, the OOV token is an ordinary token, as in Keras.
        assertThat(new StringLookup().vocabularyArgument(List.of("a", "[UNK]"), null).vocabulary())
                .containsExactly("[UNK]", "a", "[UNK]");
    }

    @Test
    void badIdsAndTheWrongDirectionAreRefusedByName() {
        StringLookup inverse = new StringLookup().named("chars").invert(true);
        assertThatThrownBy(() -> inverse.applyIds(Tensor.of(new float[] {1}, 1, 1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("chars: the layer has no vocabulary");
        inverse.setVocabulary(List.of("a", "b"), null);
        assertThat(inverse.applyIds(Tensor.of(new float[] {1.9f, -0.5f, 2, 3}, 2, 2)))
                .as("float ids cast toward zero, as Keras's cast to int64").containsExactly(List.of("a", "[UNK]"),
                        List.of("b", "[UNK]"));
        assertThat(inverse.token(-1)).isEqualTo("[UNK]");
        assertThatThrownBy(() -> inverse.applyIds(Tensor.of(new float[] {Float.NaN}, 1, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("chars: expected integer ids, got NaN");
        assertThatThrownBy(() -> inverse.applyIds(Tensor.of(new float[] {1, 2}, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(batch, n), got");
        assertThatThrownBy(() -> inverse.apply(List.of(List.of("a"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("give it ids with applyIds");
        StringLookup forward = new StringLookup().named("fwd").vocabularyArgument(List.of("a"), null);
        assertThatThrownBy(() -> forward.applyIds(Tensor.of(new float[] {1}, 1, 1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("fwd: ids to tokens needs invert=True");
        assertThatThrownBy(() -> forward.token(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anInvertedStringLookupInsideAModelIsRefusedSayingWhy() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", "chars");
        config.put("invert", true);
        config.put("vocabulary", List.of("a", "b"));
        assertThatThrownBy(() -> new LayerReader(false).read(Map.of("class_name", "StringLookup", "config", config)))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("(StringLookup, invert=True)")
                .hasMessageContaining("StringLookup.applyIds");
        assertThatThrownBy(() -> TextFront.read("StringLookup", "chars", config))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("takes no string input");
    }
}
