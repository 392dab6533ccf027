package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.StringLookup;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * StringLookup against Keras 3.15.1's own outputs (keras3151/make_stringlookup.py): each option set
 * read from Keras's config and adapted on the same rows (or given Keras's vocabulary) has Keras's
 * vocabulary in Keras's order and gives exactly Keras's ids / one_hot / multi_hot / count vectors on
 * rows holding the empty string, "[UNK]", case variants and characters outside the BMP, tf_idf within
 * float32 rounding, and writes back Keras's config; models whose string input goes into a StringLookup
 * predict from tokens as Keras does (bar 1e-6 + 1e-6·|y|), and again after save and load.
 */
class StringLookupKerasTest {
    private static Map<String, Object> fixture;

    @SuppressWarnings("unchecked")
    private static synchronized Map<String, Object> fixture() throws IOException {
        if (fixture == null) {
            try (var in = StringLookupKerasTest.class.getResourceAsStream("keras3151/stringlookup_cases.json")) {
                fixture = (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return fixture;
    }

    @SuppressWarnings("unchecked")
    private static List<List<String>> rows(String key) throws IOException {
        return (List<List<String>>) fixture().get(key);
    }

    @SuppressWarnings("unchecked")
    static Stream<String> cases() throws IOException {
        return ((Map<String, Object>) fixture().get("cases")).keySet().stream();
    }

    /** Keras's nested output lists, flattened row-major. */
    private static List<Double> flat(Object v) {
        List<Double> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            l.forEach(x -> out.addAll(flat(x)));
        } else {
            out.add((Double) v);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}: Keras 3.15.1's vocabulary and exact outputs")
    @MethodSource("cases")
    void matchesKeras(String name) throws IOException {
        Map<String, Object> c = (Map<String, Object>) ((Map<String, Object>) fixture().get("cases")).get(name);
        Map<String, Object> config = new LinkedHashMap<>((Map<String, Object>) c.get("config"));
        StringLookup s = StringLookupConfig.read((String) config.get("name"), config);
        if (s.vocabularyArgument() == null) {
            s.adapt(rows("corpus"));
        }
        assertThat(s.vocabulary()).as("%s: vocabulary", name).isEqualTo(c.get("vocabulary"));
        List<List<String>> rows = rows("rows");
        if (Boolean.TRUE.equals(c.get("column"))) {
            rows = rows.stream().map(r -> r.subList(0, 1)).toList();
        }
        Tensor y = s.apply(rows);
        List<Double> want = flat(c.get("output"));
        float[] got = y.toArray();
        assertThat(got).as("%s: output size", name).hasSize(want.size());
        boolean tfIdf = s.outputMode() == StringLookup.OutputMode.TF_IDF;
        for (int i = 0; i < got.length; i++) {
            double bar = tfIdf ? 2 * Math.ulp((float) (double) want.get(i)) : 0;
            assertThat((double) got[i]).as("%s: value %d (bar %s)", name, i, tfIdf ? "2 ulp" : "exact")
                    .isCloseTo(want.get(i), org.assertj.core.data.Offset.offset(bar));
        }
        Map<String, Object> written = StringLookupConfig.write(s, true);
        written.remove("dtype");
        assertThat(Json.write(Json.parse(Json.write(written)))).as("%s: the config rnn4j writes is Keras's", name)
                .isEqualTo(Json.write(c.get("config")));
    }

    static Stream<String> models() {
        return Stream.of("seq_embedding", "functional_multi_hot", "seq_column");
    }

    @ParameterizedTest(name = "{0}: predicts from tokens as Keras 3.15.1, and again after save and load")
    @MethodSource("models")
    void modelsPredictFromTokensAsKeras(String name) throws IOException {
        boolean column = name.equals("seq_column");
        List<List<String>> rows = rows("rows");
        double[] want = Npy.read(Keras3151.resource("stringlookup_" + name + ".y.npy")).values();
        KerasModel m = Models.load(Keras3151.resource("stringlookup_" + name + ".keras"));
        assertThat(m.stringLookup()).isPresent();
        assertThat(m.textVectorization()).isEmpty();
        float[] y = column ? m.predictText(rows.stream().map(r -> r.get(0)).toList()).toArray()
                : m.predictTokens(rows).toArray();
        assertThat(y).hasSize(want.length);
        for (int i = 0; i < y.length; i++) {
            assertThat((double) y[i]).as("%s: output %d (bar 1e-6 + 1e-6·|y|)", name, i)
                    .isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-6 + 1e-6 * Math.abs(want[i])));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Models.save(m, out);
        KerasModel back = Models.load(new ByteArrayInputStream(out.toByteArray()), name + "-rnn4j.keras");
        assertThat(back.stringLookup().orElseThrow().vocabulary())
                .isEqualTo(m.stringLookup().orElseThrow().vocabulary());
        float[] again = column ? back.predictText(rows.stream().map(r -> r.get(0)).toList()).toArray()
                : back.predictTokens(rows).toArray();
        assertThat(again).as("%s: after save and load, to the bit", name).isEqualTo(y);
    }

    @Test
    void rowsOfTheWrongLengthAndUnsupportedOptionsAreRefused(@TempDir Path tmp) throws IOException {
        KerasModel m = Models.load(Keras3151.resource("stringlookup_seq_embedding.keras"));
        assertThatThrownBy(() -> m.predictTokens(List.of(List.of("red", "green", "blue"), List.of("red"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes rows of 3 tokens (its string input's shape), row 1 has 1");
        assertThatThrownBy(() -> m.predictText(List.of("red"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes rows of 3 tokens");
        Path file = Keras3151.resource("stringlookup_seq_embedding.keras");
        for (String[] edit : new String[][] {
                {"\"invert\": false", "\"invert\": true", "unsupported option invert=true"},
                {"\"num_oov_indices\": 1", "\"num_oov_indices\": -1", "`num_oov_indices` must be greater than or "
                        + "equal to 0"},
                {"\"output_mode\": \"int\"", "\"output_mode\": \"dense\"", "unsupported option output_mode='dense'"}}) {
            Path edited = Archives.copy(file, tmp.resolve(edit[2].hashCode() + ".keras"),
                    Map.of("config.json", c -> c.replace(edit[0], edit[1])));
            assertThatThrownBy(() -> Models.load(edited)).isInstanceOf(KerasFileException.class)
                    .hasMessageContaining(edit[2]).hasMessageContaining("(StringLookup)");
        }
        StringLookup strict = new StringLookup().numOovIndices(0).named("strict");
        strict.setVocabulary(List.of("a", "b"), null);
        assertThat(strict.apply(List.of(List.of("b", "a"))).toArray()).containsExactly(1, 0);
        assertThatThrownBy(() -> strict.apply(List.of(List.of("c")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("strict: When `num_oov_indices=0` all inputs should be in vocabulary, found OOV "
                        + "value 'c'");
    }
}
