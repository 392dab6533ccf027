package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.TextVectorization;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * .keras models whose string input goes straight into a TextVectorization, written by Keras 3.15.1
 * (keras3151/make_textvec.py): Sequential int → Embedding(mask_zero) → LSTM → Dense, functional
 * int with an unset output_sequence_length → Embedding(mask_zero) → Bidirectional(GRU), functional
 * with the vocabulary in the config and ngrams → SimpleRNN, Sequential tf_idf → Dense, Sequential
 * character multi_hot padded to max_tokens → Dense, Sequential tf_idf padded to max_tokens → Dense
 * (a file Keras 3.15.1 cannot load back itself: its idf weights are saved padded, its vocabulary not).
 * rnn4j predicts from the same strings as Keras
 * (bar 1e-6 + 1e-6·|y|, float32 rounding), from a file and from a stream (the assets come through
 * either), and after saving and loading back gives the same numbers to the bit, with the same
 * vocabulary.
 */
class TextModelsKerasWrittenTest {

    static Stream<String> models() {
        return Stream.of("seq_lstm", "functional_gru", "functional_given", "seq_tf_idf", "seq_multi_hot",
                "seq_tf_idf_padded");
    }

    @ParameterizedTest(name = "{0}: predicts from strings as Keras 3.15.1, and again after save and load")
    @MethodSource("models")
    void predictsFromStringsAsKeras(String name) throws IOException {
        List<String> texts = TextVectorizationKerasTest.strings("texts");
        double[] want = Npy.read(resource("textvec_" + name + ".y.npy")).values();
        KerasModel m = Models.load(resource("textvec_" + name + ".keras"));
        assertThat(m.textVectorization()).as("%s: the model's TextVectorization", name).isPresent();
        float[] y = m.predictText(texts).toArray();
        assertThat(y).as("%s: output size", name).hasSize(want.length);
        for (int i = 0; i < y.length; i++) {
            assertThat((double) y[i]).as("%s: output %d (bar 1e-6 + 1e-6·|y|)", name, i)
                    .isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-6 + 1e-6 * Math.abs(want[i])));
        }

        KerasModel streamed;
        try (InputStream in = TextModelsKerasWrittenTest.class.getResourceAsStream("keras3151/textvec_" + name
                + ".keras")) {
            streamed = Models.load(in, name + ".keras");
        }
        assertThat(streamed.predictText(texts).toArray()).as("%s: loaded from a stream", name).isEqualTo(y);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Models.save(m, out);
        KerasModel back = Models.load(new ByteArrayInputStream(out.toByteArray()), name + "-rnn4j.keras");
        TextVectorization tv = m.textVectorization().orElseThrow();
        TextVectorization tvBack = back.textVectorization().orElseThrow();
        assertThat(tvBack.vocabulary()).as("%s: vocabulary after save and load", name).isEqualTo(tv.vocabulary());
        assertThat(tvBack.name()).isEqualTo(tv.name());
        if (tv.outputMode() == TextVectorization.OutputMode.TF_IDF) {
            assertThat(tvBack.idfWeights()).as("%s: idf weights after save and load", name)
                    .isEqualTo(tv.idfWeights());
        }
        assertThat(back.predictText(texts).toArray()).as("%s: after save and load, to the bit", name).isEqualTo(y);
        assertThat(back.inputShape(0)).isEqualTo(m.inputShape(0));
    }

    @ParameterizedTest(name = "{0}: the numeric model takes the vectorizer's output (predict on ids)")
    @MethodSource("models")
    void numericPartTakesTheIds(String name) throws IOException {
        List<String> texts = TextVectorizationKerasTest.strings("texts");
        KerasModel m = Models.load(resource("textvec_" + name + ".keras"));
        Tensor ids = m.textVectorization().orElseThrow().apply(texts);
        assertThat(m.predict(ids).toArray()).isEqualTo(m.predictText(texts).toArray());
    }

    /**
     * Without output_sequence_length a TextVectorization pads each batch to its own longest text, so
     * Keras's {@code model.predict(texts, batch_size=b)} depends on b where nothing masks the padding
     * (keras3151/make_textvec_batches.py: 40 texts, unmasked embeddings averaged): predictText pads
     * per batch of 32 as Keras's default, and per batch of b when given b.
     */
    @SuppressWarnings("unchecked")
    @Test
    void predictTextPadsEachBatchToItsLongestTextAsKerasPredictDoes() throws IOException {
        Map<String, Object> f = (Map<String, Object>) Json.parse(Files.readString(resource("textvec_batches.json")));
        List<String> texts = (List<String>) f.get("texts");
        KerasModel m = Models.load(resource("textvec_batches.keras"));
        for (int b : new int[] {32, 5, 64}) {
            List<Double> want = (List<Double>) f.get("y" + b);
            float[] y = (b == 32 ? m.predictText(texts) : m.predictText(texts, b)).toArray();
            assertThat(y).as("batch_size %d: output size", b).hasSize(want.size());
            for (int i = 0; i < y.length; i++) {
                assertThat((double) y[i]).as("batch_size %d: text %d (bar 1e-6 + 1e-6·|y|)", b, i).isCloseTo(
                        want.get(i), org.assertj.core.data.Offset.offset(1e-6 + 1e-6 * Math.abs(want.get(i))));
            }
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void batchesOfTextsWhoseOutputsDifferInLengthAreRefusedNamingTheFix() throws IOException {
        List<String> texts = (List<String>) ((Map<String, Object>) Json.parse(
                Files.readString(resource("textvec_batches.json")))).get("texts");
        KerasModel m = Models.load(resource("textvec_batches_seq.keras"));
        assertThat(m.predictText(texts, 64).shape().dims()).as("one batch: padded to the longest text")
                .containsExactly(40, 8, 2);
        assertThatThrownBy(() -> m.predictText(texts)).as("Keras joins the batches into a ragged tensor")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the outputs of texts 32 to 39 have the shape")
                .hasMessageContaining("set output_sequence_length or predict batch by batch");
        assertThatThrownBy(() -> m.predictText(texts, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch_size must be >= 1, got 0");
    }
}
