package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.model.Model;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras's {@code keras.Input(shape=(None,), dtype="int32")}, how Keras's guides declare token ids before
 * an Embedding: accepted (it was refused, "dtype must be float32 or bool"), the data cut toward zero as
 * Keras casts it, and saved as int32.
 */
class InputIntegerDtypeTest {
    @TempDir
    Path tmp;

    @Test
    void int32InputTakesIdsCastsAsKerasAndSavesItsDtype() throws IOException {
        Input ids = Input.shape(Input.NONE).dtype("int32");
        assertThat(ids.dtype()).isEqualTo("int32");
        assertThat(Input.shape(3).dtype("int64").isInteger()).isTrue();
        Embedding embedding = new Embedding(5, 2);
        Model model = Model.of(ids, embedding.apply(ids));
        float[] table = {0, 0, 1, 1, 2, 2, 3, 3, 4, 4};
        embedding.weights().get(0).set(Tensor.of(table, 5, 2));
        // ops.cast(float -> int32) truncates: 2.7 -> 2, 3.0 -> 3, 0.5 -> 0
        Tensor y = model.predict(Tensor.of(new float[] {2.7f, 3f, 0.5f}, 1, 3));
        assertThat(y.toArray()).containsExactly(2, 2, 3, 3, 0, 0);
        Path file = tmp.resolve("ids.keras");
        Models.save(model, file);
        String config;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            config = new String(zip.getInputStream(zip.getEntry("config.json")).readAllBytes(),
                    StandardCharsets.UTF_8);
        }
        assertThat(config).contains("\"dtype\": \"int32\"");
        assertThat(Models.load(file).predict(Tensor.of(new float[] {2f, 3f, 0f}, 1, 3)).toArray())
                .containsExactly(2, 2, 3, 3, 0, 0);
        assertThatThrownBy(() -> Input.shape(3).dtype("string")).hasMessageContaining("\"int32\"")
                .hasMessageContaining("got \"string\"");
    }
}
