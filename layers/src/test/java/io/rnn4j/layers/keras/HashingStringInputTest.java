package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Hashing;
import io.rnn4j.layers.model.Fit;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keras 3.15.1 models whose string input goes straight into a Hashing (keras3151/make_hashing_strings.py):
 * rnn4j takes the Hashing as the model's text front, as a StringLookup's, so predictTokens /
 * predictText give Keras's outputs (bar 1e-5 + 1e-5·|y|), one epoch of SGD on hashed rows gives
 * Keras's predictions after it, and the file rnn4j writes back has the string input and the Hashing
 * again (Keras reloads it to the same outputs, checked by hand).
 */
class HashingStringInputTest {
    @SuppressWarnings("unchecked")
    private static Map<String, Object> rows() throws IOException {
        return (Map<String, Object>) Json.parse(Files.readString(resource("hstr_rows.json"), StandardCharsets.UTF_8));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aStringInputIntoHashingPredictsAndTrainsAsKeras() throws IOException {
        List<List<String>> rows = (List<List<String>>) rows().get("rows");
        KerasModel m = Models.load(resource("hstr_rows.keras"), true);
        Hashing h = m.hashing().orElseThrow();
        assertThat(h.numBins()).isEqualTo(16);
        assertThat(h.maskValue()).isEqualTo("");
        assertThat(h.salt()).containsExactly(5, 6);
        assertThat(m.stringLookup()).isEmpty();
        float[] y = m.predictTokens(rows).toArray();
        assertClose("hstr_rows", y, Npy.read(resource("hstr_rows.y.npy")).values());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Models.save(m, out);
        KerasModel back = Models.load(new ByteArrayInputStream(out.toByteArray()), "hstr_rows-rnn4j.keras");
        assertThat(back.hashing()).as("the Hashing front written back").isPresent();
        assertThat(back.predictTokens(rows).toArray()).as("after save and load, to the bit").isEqualTo(y);

        Tensor fx = h.applyStrings((List<List<String>>) rows().get("fit_rows"));
        m.fit(fx, Npy.read(resource("hstr_rows.fit_y.npy")).tensor(), Fit.defaults().batchSize(4).epochs(1)
                .shuffle(false).verbose(0));
        assertClose("hstr_rows after one epoch of SGD", m.predictTokens(rows).toArray(),
                Npy.read(resource("hstr_rows.y_after.npy")).values());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aOneHotHashingFrontFeedingTwoBranchesPredictsAsKeras() throws IOException {
        List<String> words = (List<String>) rows().get("words");
        KerasModel m = Models.load(resource("hstr_one_hot.keras"));
        Hashing h = m.hashing().orElseThrow();
        assertThat(h.outputMode()).isEqualTo(Hashing.OutputMode.ONE_HOT);
        assertThat(m.inputShape(0).dims()).as("the numeric model takes the one_hot vectors").containsExactly(6);
        List<Tensor> ys = m.predict(List.of(h.applyStrings(words.stream().map(List::of).toList())));
        for (int i = 0; i < 2; i++) {
            assertClose("hstr_one_hot output " + i, ys.get(i).toArray(),
                    Npy.read(resource("hstr_one_hot.y" + i + ".npy")).values());
        }
        assertThatThrownBy(() -> m.predictText(words)).as("two outputs").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rowsOfTheWrongLengthAreRefusedNamingTheHashing() throws IOException {
        KerasModel m = Models.load(resource("hstr_rows.keras"));
        assertThatThrownBy(() -> m.predictTokens(List.of(List.of("a", "b")))).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("Hashing 'hashing' takes rows of 4 tokens")
                .hasMessageContaining("row 0 has 2");
        assertThat(m.textVectorization()).isEmpty();
    }
}
