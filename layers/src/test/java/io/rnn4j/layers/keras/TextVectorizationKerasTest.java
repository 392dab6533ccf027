package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.TextVectorization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TextVectorization against Keras 3.15.1's own outputs (keras3151/make_textvec.py →
 * textvec_cases.json): for each option set, the layer read from Keras's config and adapted on the
 * same corpus (or given Keras's vocabulary argument) must have Keras's vocabulary, in Keras's order,
 * give exactly Keras's ids / multi_hot / count vectors on texts of punctuation, case, digits,
 * non-ASCII letters and whitespace, characters outside the BMP, empty and long strings, tf_idf within
 * float32 rounding, and write back Keras's config.
 */
class TextVectorizationKerasTest {
    private static Map<String, Object> fixture;

    @SuppressWarnings("unchecked")
    static synchronized Map<String, Object> fixture() throws IOException {
        if (fixture == null) {
            try (var in = TextVectorizationKerasTest.class.getResourceAsStream("keras3151/textvec_cases.json")) {
                fixture = (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return fixture;
    }

    @SuppressWarnings("unchecked")
    static List<String> strings(String key) throws IOException {
        return (List<String>) fixture().get(key);
    }

    @SuppressWarnings("unchecked")
    static Stream<String> cases() throws IOException {
        return ((Map<String, Object>) fixture().get("cases")).keySet().stream();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> theCase(String name) throws IOException {
        return (Map<String, Object>) ((Map<String, Object>) fixture().get("cases")).get(name);
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}: Keras 3.15.1's vocabulary and exact outputs")
    @MethodSource("cases")
    void matchesKeras(String name) throws IOException {
        Map<String, Object> c = theCase(name);
        Map<String, Object> config = new LinkedHashMap<>((Map<String, Object>) c.get("config"));
        TextVectorization tv = TextVectorizationConfig.read((String) config.get("name"), config);
        if (tv.vocabularyArgument() == null) {
            tv.adapt(strings("corpus"));
        }
        assertThat(tv.vocabulary()).as("%s: vocabulary (Keras's get_vocabulary())", name)
                .isEqualTo(c.get("vocabulary"));
        Tensor y = tv.apply(strings("texts"));
        List<List<Double>> want = (List<List<Double>>) c.get("output");
        assertThat(y.shape().dims()).as("%s: output shape", name)
                .containsExactly(want.size(), want.get(0).size());
        float[] got = y.toArray();
        boolean tfIdf = tv.outputMode() == TextVectorization.OutputMode.TF_IDF;
        for (int r = 0; r < want.size(); r++) {
            for (int k = 0; k < want.get(r).size(); k++) {
                double w = want.get(r).get(k);
                float g = got[r * want.get(r).size() + k];
                if (tfIdf) {
                    // count × idf in float32; the OOV weight is a float32 mean, which may differ in its last bit
                    assertThat((double) g).as("%s: text %d, index %d (bar 2 ulp of float32)", name, r, k)
                            .isCloseTo(w, org.assertj.core.data.Offset.offset(2 * Math.ulp((float) w) + 1e-30));
                } else {
                    assertThat((double) g).as("%s: text %d, index %d exactly", name, r, k).isEqualTo(w);
                }
            }
        }
        if (tfIdf) {
            List<Double> idf = (List<Double>) c.get("idf");
            float[] mine = tv.idfWeights();
            assertThat(mine).as("%s: idf weights", name).hasSize(idf.size());
            for (int i = 0; i < idf.size(); i++) {
                // a token's weight is exact; the OOV one (0) is TensorFlow's float32 mean, summed in its order
                double bar = i == 0 ? 2 * Math.ulp(mine[i]) : 0;
                assertThat((double) mine[i]).as("%s: idf weight %d (bar %s)", name, i, i == 0 ? "2 ulp" : "exact")
                        .isCloseTo(idf.get(i), org.assertj.core.data.Offset.offset(bar));
            }
        }
        Map<String, Object> written = TextVectorizationConfig.write(tv, true);
        written.remove("dtype");
        assertThat(Json.write(Json.parse(Json.write(written)))).as("%s: the config rnn4j writes is Keras's", name)
                .isEqualTo(Json.write(c.get("config")));
    }
}
