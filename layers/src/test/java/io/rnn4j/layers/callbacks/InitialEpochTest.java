package io.rnn4j.layers.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Sequential;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras's initial_epoch: fit(epochs=5, initial_epoch=3) runs epochs 3 and 4 — the progress lines say
 * "Epoch 4/5" and "Epoch 5/5", callbacks, History.epoch and CSVLogger's epoch column see 3 and 4.
 */
class InitialEpochTest {
    private final Tensor[] data = Scripted.data(20);
    @TempDir
    Path dir;

    @Test
    void aResumedRunNumbersItsEpochsFromTheInitialEpoch() throws IOException {
        Sequential m = Scripted.newModel();
        CallbackHooksTest.Recorder rec = new CallbackHooksTest.Recorder(-1);
        Path csv = dir.resolve("log.csv");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        History h = m.fit(data[0], data[1], Fit.defaults().batchSize(10).epochs(5).initialEpoch(3).verbose(2)
                .output(new PrintStream(buf, true, StandardCharsets.UTF_8)).callbacks(rec, new CSVLogger(csv)));

        assertThat(h.epochs()).isEqualTo(2);
        assertThat(h.epoch()).containsExactly(3, 4);
        assertThat(h.get("loss")).hasSize(2);
        assertThat(rec.calls).filteredOn(c -> c.startsWith("epoch_")).containsExactly("epoch_begin 3",
                "epoch_end 3 [loss, mae]", "epoch_begin 4", "epoch_end 4 [loss, mae]");
        assertThat(rec.calls.get(0)).isEqualTo("train_begin 5 epochs 2 steps");
        String printed = buf.toString(StandardCharsets.UTF_8);
        assertThat(printed.lines().filter(l -> l.startsWith("Epoch ")).toList()).containsExactly("Epoch 4/5",
                "Epoch 5/5");
        List<String> rows = List.of(Files.readString(csv, StandardCharsets.UTF_8).split("\r\n"));
        assertThat(rows).hasSize(3);
        assertThat(rows.get(1)).startsWith("3,");
        assertThat(rows.get(2)).startsWith("4,");
    }

    @Test
    void anInitialEpochAtOrPastTheEndTrainsNothing() {
        Sequential m = Scripted.newModel();
        List<Tensor> before = m.getWeights();
        History h = m.fit(data[0], data[1], Fit.defaults().batchSize(10).epochs(2).initialEpoch(2).verbose(0));
        assertThat(h.epochs()).isZero();
        List<Tensor> after = m.getWeights();
        for (int i = 0; i < before.size(); i++) {
            assertThat(after.get(i).toArray()).as("weight %d", i).containsExactly(before.get(i).toArray());
        }
    }

    @Test
    void aNegativeInitialEpochIsRefused() {
        assertThatThrownBy(() -> Fit.defaults().initialEpoch(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fit: initial_epoch must be >= 0, got -1");
    }
}
