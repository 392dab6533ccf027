package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.model.Model;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build_config of a recurrent layer called with initial_state. Keras 3 records it as
 * {@code {"shapes_dict": {"sequences_shape": ..., "initial_state_shape": [...]}}} (Layer's
 * _build_shapes_dict for RNN.build(sequences_shape, initial_state_shape), and Bidirectional.build
 * alike), and its build_from_config calls {@code build(**shapes_dict)}. A plain
 * {@code {"input_shape": [seq, h, c]}} instead makes Keras call {@code build([seq, h, c])}, which
 * fails ("Cannot convert '([None, 5], 20)' to a shape"): Keras could not load such a file.
 * Fixture keras3151/initial_state_build.keras (make_initial_state_build.py, Keras 3.15.1):
 * SimpleRNN, GRU, LSTM, Bidirectional(LSTM) and ConvLSTM2D each given initial_state.
 */
class InitialStateBuildConfigTest {
    @TempDir
    Path tmp;

    /** Layer name to build_config, for the layers that have one. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> buildConfigs(Path file) throws IOException {
        Map<String, Object> root = ModelReader.parse(file.toString(), "config.json", SaveTest.entry(file,
                "config.json"));
        Map<String, Object> out = new LinkedHashMap<>();
        for (Object l : (List<Object>) ((Map<String, Object>) root.get("config")).get("layers")) {
            Map<String, Object> layer = (Map<String, Object>) l;
            if (layer.get("build_config") != null) {
                out.put((String) layer.get("name"), layer.get("build_config"));
            }
        }
        return out;
    }

    @Test
    void aKerasModelWithInitialStatesPredictsAsKerasAndIsSavedBackWithKerasBuildConfigs() throws IOException {
        Path keras = resource("initial_state_build.keras");
        KerasModel m = Models.load(keras);
        List<Tensor> xs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            xs.add(Npy.read(resource("initial_state_build.x" + i + ".npy")).tensor());
        }
        List<Tensor> ys = m.predict(xs);
        assertThat(ys).hasSize(6);
        for (int i = 0; i < ys.size(); i++) {
            float[] y = ys.get(i).toArray();
            double[] want = Npy.read(resource("initial_state_build.y" + i + ".npy")).values();
            assertThat(y).as("output %d: size", i).hasSize(want.length);
            for (int j = 0; j < y.length; j++) {
                assertThat(Math.abs(y[j] - want[j])).as("output %d element %d (bar 1e-5 + 1e-5·|y|)", i, j)
                        .isLessThanOrEqualTo(1e-5 + 1e-5 * Math.abs(want[j]));
            }
        }
        Path back = tmp.resolve("back.keras");
        Models.save(m, back);
        Map<String, Object> theirs = buildConfigs(keras);
        assertThat(theirs).as("Keras's build_configs: the five recurrent layers").hasSize(5);
        assertThat(buildConfigs(back)).as("build_config of each layer as Keras 3.15.1 wrote it")
                .containsAllEntriesOf(theirs);
    }

    @Test
    void anLstmBuiltInJavaWithInitialStateWritesShapesDict() throws IOException {
        Input x = Input.shape(Input.NONE, 3);
        Input h = Input.shape(4);
        Input c = Input.shape(4);
        SymbolicTensor y = new LSTM(4).named("lstm").apply(x, List.of(h, c));
        Path out = tmp.resolve("lstm.keras");
        Models.save(Model.of(List.of(x, h, c), y), out);
        Map<String, Object> shapes = new LinkedHashMap<>();
        shapes.put("sequences_shape", Arrays.asList(null, null, 3.0));
        shapes.put("initial_state_shape", List.of(Arrays.asList(null, 4.0), Arrays.asList(null, 4.0)));
        assertThat(buildConfigs(out).get("lstm")).as("the LSTM's build_config, as Keras 3 writes it")
                .isEqualTo(Map.of("shapes_dict", shapes));
    }
}
