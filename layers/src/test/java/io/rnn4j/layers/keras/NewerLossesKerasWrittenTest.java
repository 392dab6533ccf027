package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.losses.Loss;
import io.rnn4j.layers.losses.Losses;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * BinaryFocalCrossentropy, CategoricalFocalCrossentropy, Dice, Tversky and
 * CategoricalGeneralizedCrossEntropy against Keras 3.15.1 (keras3151/make_ctc.py, ctc_losses.json):
 * each case is rebuilt from the config Keras's get_config wrote (as a compile_config holds it),
 * writes that config back key for key, and gives Keras's unreduced losses and its default
 * reduction with sample weights (bar 1e-5 + 1e-5·|y|).
 */
class NewerLossesKerasWrittenTest {
    @SuppressWarnings("unchecked")
    private static Map<String, Object> manifest() throws IOException {
        return (Map<String, Object>) Json.parse(Files.readString(resource("ctc_losses.json")));
    }

    static Stream<String> cases() throws IOException {
        return manifest().keySet().stream();
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rebuiltFromKerasConfigItComputesAndWritesAsKeras(String name) throws IOException {
        Map<String, Object> c = (Map<String, Object>) manifest().get(name);
        String cls = (String) c.get("class_name");
        Map<String, Object> config = (Map<String, Object>) c.get("config");
        Loss loss = NewerLosses.read(name, cls, config);
        assertThat(loss.kerasConfig().orElseThrow().className()).isEqualTo(cls);
        assertThat(normalized(loss.kerasConfig().orElseThrow().config())).as("%s config written back", name)
                .isEqualTo(normalized(config));

        Tensor yTrue = Npy.read(resource("ctc_loss." + c.get("y_true") + ".npy")).tensor();
        Tensor yPred = Npy.read(resource("ctc_loss." + c.get("y_pred") + ".npy")).tensor();
        assertClose(name + " unreduced", loss.perSample(Variable.constant(yTrue), Variable.constant(yPred)).value()
                .toArray(), Npy.read(resource("ctc_loss." + name + ".none.npy")).values());
        Tensor sw = Boolean.TRUE.equals(c.get("weighted")) ? Npy.read(resource("ctc_loss.sw.npy")).tensor() : null;
        assertClose(name + " reduced" + (sw != null ? " with sample weights" : ""),
                loss.compute(Variable.constant(yTrue), Variable.constant(yPred), sw).value().toArray(),
                Npy.read(resource("ctc_loss." + name + ".mean.npy")).values());
    }

    /** Numbers compared by value (JSON's 2.0 and Java's 2 alike), lists of one axis as that axis. */
    private static Map<String, Object> normalized(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v instanceof Number n ? (Object) n.doubleValue() : v));
        return out;
    }

    @Test
    void namesAndRefusedOptions() {
        assertThat(Losses.get("binary_focal_crossentropy").name()).isEqualTo("binary_focal_crossentropy");
        assertThat(Losses.get("CategoricalFocalCrossentropy").name()).isEqualTo("categorical_focal_crossentropy");
        assertThat(Losses.get("dice").name()).isEqualTo("dice");
        assertThat(Losses.get("Tversky").name()).isEqualTo("tversky");
        assertThat(Losses.get("CategoricalGeneralizedCrossEntropy").name())
                .isEqualTo("categorical_generalized_cross_entropy");
        assertThatThrownBy(() -> NewerLosses.read("model", "Dice", Map.of("axis", List.of(1, 2))))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("Dice with axis [1, 2]");
        assertThatThrownBy(() -> NewerLosses.read("model", "CategoricalFocalCrossentropy",
                Map.of("alpha", List.of(0.2, 0.3)))).hasMessageContaining("alpha must be a number");
        assertThatThrownBy(() -> NewerLosses.read("model", "CategoricalGeneralizedCrossEntropy", Map.of("q", 1.5)))
                .hasMessageContaining("q must be in (0, 1), got 1.5");
        assertThatThrownBy(() -> Losses.categoricalGeneralizedCrossEntropy(0.5).perSample(
                Variable.constant(Tensor.of(new float[] {0, 1}, 2, 1)), Variable.constant(Tensor.of(new float[6], 2, 3))))
                .hasMessageContaining("class ids of shape (2,)").hasMessageContaining("got (2, 1)");
        assertThatThrownBy(() -> Losses.binaryFocalCrossentropy(false, 0.25, 2, false, 1.5))
                .hasMessageContaining("label_smoothing must be in [0, 1], got 1.5");
    }
}
