package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.model.Sequential;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Sequential file whose LSTM returns its states still loads, its output the LSTM's first. */
class SequentialGraphFilesTest {
    @TempDir
    Path tmp;

    /** Keras 3 saves (and loads) a Sequential whose last LSTM has return_state=True. */
    @Test
    void aSequentialFileWhoseLstmReturnsItsStatesLoads() throws Exception {
        Seeds.set(54);
        Path plain = tmp.resolve("plain.keras");
        Models.save(Sequential.of(Input.shape(5, 3), new LSTM(4).named("r5_file_lstm")), plain);
        Path states = Archives.copy(plain, tmp.resolve("states.keras"),
                Map.of("config.json", s -> s.replace("\"return_state\": false", "\"return_state\": true")
                        .replace("\"return_state\":false", "\"return_state\":true")));
        KerasModel m = Models.load(states);
        assertThat(((LSTM) m.layer("r5_file_lstm")).returnState()).isTrue();
        assertThat(m.predict(Tensor.zeros(2, 5, 3)).shape()).isEqualTo(Shape.of(2, 4));
    }
}
