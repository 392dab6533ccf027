package io.rnn4j.layers.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Seeds;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The weights file: a round trip restores every weight bit for bit; a truncated or corrupt file, one
 * of another architecture, of a newer format version or not a weights file at all is refused with
 * a message saying so, and the model is left unchanged; saving leaves no temporary file.
 */
class WeightsFileTest {
    @TempDir
    Path dir;

    private static Sequential model(int units) {
        return Sequential.of(Input.shape(5, 3), new LSTM(units), new Dense(2));
    }

    private static boolean same(List<Tensor> a, List<Tensor> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i).toArray(), b.get(i).toArray())) {
                return false;
            }
        }
        return a.size() == b.size();
    }

    @Test
    void roundTripRestoresEveryWeightAndLeavesNoTemporaryFile() throws IOException {
        Seeds.set(11);
        Sequential a = model(4);
        Sequential b = model(4);
        assertThat(same(a.getWeights(), b.getWeights())).isFalse();
        Path file = dir.resolve("sub").resolve("m.weights");
        WeightsFile.save(a, file);
        WeightsFile.save(a, file);                       // overwriting is fine
        WeightsFile.load(b, file);
        assertThat(same(a.getWeights(), b.getWeights())).isTrue();
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("m.weights");
        }
    }

    @Test
    void badFilesAreRefusedAndTheModelIsLeftUnchanged() throws IOException {
        Seeds.set(12);
        Path file = dir.resolve("m.weights");
        WeightsFile.save(model(4), file);
        byte[] good = Files.readAllBytes(file);
        Sequential target = model(4);
        List<Tensor> before = target.getWeights();

        Files.write(file, Arrays.copyOf(good, good.length - 13));
        assertThatThrownBy(() -> WeightsFile.load(target, file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated or corrupt");
        Files.write(file, Arrays.copyOf(good, 10));
        assertThatThrownBy(() -> WeightsFile.load(target, file)).hasMessageContaining("truncated");
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 1;
        Files.write(file, flipped);
        assertThatThrownBy(() -> WeightsFile.load(target, file)).hasMessageContaining("checksum mismatch");
        byte[] newer = good.clone();
        ByteBuffer.wrap(newer).putInt(8, WeightsFile.VERSION + 1);
        Files.write(file, newer);
        assertThatThrownBy(() -> WeightsFile.load(target, file)).hasMessageContaining("format version 2")
                .hasMessageContaining("written by a newer rnn4j");
        Files.writeString(file, "hello, this is not a weights file at all");
        assertThatThrownBy(() -> WeightsFile.load(target, file)).hasMessageContaining("not an rnn4j weights file");
        WeightsFile.save(model(5), file);
        assertThatThrownBy(() -> WeightsFile.load(target, file)).hasMessageContaining("has shape [3, 20], but the "
                + "model's").hasMessageContaining("(a model of another architecture?)");
        WeightsFile.save(Sequential.of(Input.shape(5, 3), new LSTM(4)), file);
        assertThatThrownBy(() -> WeightsFile.load(target, file)).hasMessageContaining("it holds 3 weights, the "
                + "model has 5");
        assertThat(same(target.getWeights(), before)).isTrue();
    }
}
