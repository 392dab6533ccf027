package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The keras3151/ fixtures that Keras 3.15.1 wrote, and the bar the tests hold rnn4j's outputs to. */
final class Keras3151 {
    private Keras3151() {
    }

    /** A file of the keras3151/ test resources. */
    static Path resource(String name) {
        try {
            return Path.of(Keras3151.class.getResource("keras3151/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** rnn4j's outputs against Keras's, each within 1e-5 + 1e-5·|y|. */
    static void assertClose(String what, float[] y, double[] want) {
        assertThat(y).as("%s: output size", what).hasSize(want.length);
        for (int i = 0; i < y.length; i++) {
            assertThat(Math.abs(y[i] - want[i]))
                    .as("%s output %d: rnn4j %s, Keras 3.15.1 %s (bar 1e-5 + 1e-5·|y|)", what, i, y[i], want[i])
                    .isLessThanOrEqualTo(1e-5 + 1e-5 * Math.abs(want[i]));
        }
    }

    /** The config of each layer of a .keras file whose class_name {@code classes} accepts, in order. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> layerConfigs(Path file, Predicate<String> classes) throws IOException {
        Map<String, Object> root = ModelReader.parse(file.toString(), "config.json", SaveTest.entry(file,
                "config.json"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object l : (List<Object>) ((Map<String, Object>) root.get("config")).get("layers")) {
            Map<String, Object> layer = (Map<String, Object>) l;
            if (classes.test(String.valueOf(layer.get("class_name")))) {
                out.add((Map<String, Object>) layer.get("config"));
            }
        }
        return out;
    }

    /** The outputs of a model loaded back from rnn4j's own file, each bit for bit the ones it saved. */
    static void assertSameOutputs(String what, List<Tensor> again, List<Tensor> saved) {
        for (int i = 0; i < saved.size(); i++) {
            assertThat(again.get(i).toArray()).as("%srnn4j's own file, output %d, bit for bit", what, i)
                    .isEqualTo(saved.get(i).toArray());
        }
    }
}
