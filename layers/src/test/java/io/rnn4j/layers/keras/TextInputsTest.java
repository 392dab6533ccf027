package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.TextVectorization;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Evaluation;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.StepRunner;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The text front of a loaded model: the numeric model trains, evaluates and steps on the ids; a
 * vocabulary adapted after loading is what saving writes (as Keras's asset, or in the config when it
 * was the vocabulary argument); a hand-written Keras 3 config loads; vocabulary files are read as
 * Keras's load_assets reads them; and what rnn4j does not load is refused naming the layer, the
 * option and what is supported.
 */
class TextInputsTest {
    private static final String LSTM = "textvec_seq_lstm.keras";

    private static Path fixture(String name) {
        return Keras3151.resource(name);
    }

    private static KerasModel roundTrip(KerasModel m, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Models.save(m, out);
        return Models.load(new ByteArrayInputStream(out.toByteArray()), name);
    }

    @Test
    void theNumericModelFitsEvaluatesAndStepsOnTheIds() throws IOException {
        KerasModel m = Models.load(fixture(LSTM));
        TextVectorization tv = m.textVectorization().orElseThrow();
        List<String> texts = TextVectorizationKerasTest.strings("texts");
        Tensor ids = tv.apply(texts);
        assertThat(m.inputShape(0).dims()).containsExactly(8);
        float[] before = m.predictText(texts).toArray();

        // step by step over one text's 8 ids gives predict's output for that text, bit for bit
        StepRunner s = m.stepRunner();
        s.reset();
        float[] out = new float[s.outputSize()];
        float[] row = ids.toArray();
        for (int t = 0; t < 8; t++) {
            s.step(new float[] {row[8 * 2 + t]}, out);
        }
        assertThat(out).as("the stepped third text against predictText").containsExactly(before[4], before[5]);

        m.sequential().compile(Optimizers.sgd(0.1), Losses.meanSquaredError());
        Tensor y = Tensor.zeros(texts.size(), 2);
        Evaluation e0 = m.evaluate(ids, y);
        m.fit(ids, y, Fit.defaults().batchSize(texts.size()).epochs(3).shuffle(false).verbose(0));
        assertThat(m.evaluate(ids, y).loss()).as("the loss falls when the numeric part trains on the ids")
                .isLessThan(e0.loss());
    }

    @Test
    void aVocabularyAdaptedAfterLoadingIsWhatSavingWrites() throws IOException {
        KerasModel m = Models.load(fixture(LSTM));
        TextVectorization tv = m.textVectorization().orElseThrow();
        tv.adapt(List.of("new words here", "new words"));
        KerasModel back = roundTrip(m, "adapted.keras");
        assertThat(back.textVectorization().orElseThrow().vocabulary())
                .containsExactly("", "[UNK]", "words", "new", "here");
        assertThat(back.predictText(List.of("new here")).toArray())
                .isEqualTo(m.predictText(List.of("new here")).toArray());
    }

    @Test
    void aVocabularyArgumentStaysInTheConfigAndNoAssetIsWritten(@TempDir Path tmp) throws IOException {
        KerasModel m = Models.load(fixture("textvec_functional_given.keras"));
        Path saved = tmp.resolve("given.keras");
        Models.save(m, saved);
        String config = new String(Archives.bytes(saved, "config.json"), StandardCharsets.UTF_8);
        assertThat(config).contains("\"vocabulary\": [\"the\", \"cat\", \"sat\", \"on\", \"mat\", \"the cat\", "
                + "\"cat sat\"]").contains("\"ngrams\": 2").contains("\"class_name\": \"TextVectorization\"");
        try (var zip = new java.util.zip.ZipFile(saved.toFile())) {
            assertThat(zip.stream().map(ZipEntry::getName).toList()).noneMatch(n -> n.startsWith("assets/"));
        }
        assertThat(Models.load(saved).textVectorization().orElseThrow().vocabularyArgument())
                .isEqualTo(m.textVectorization().orElseThrow().vocabularyArgument());
    }

    /** A Keras 3 config written by hand: string input, TextVectorization(count, vocabulary=...), a linear Activation. */
    @Test
    void aHandWrittenKeras3ConfigLoads(@TempDir Path tmp) throws IOException {
        String config = """
                {"module": "keras", "class_name": "Sequential", "config": {"name": "counts", "layers": [
                  {"module": "keras.layers", "class_name": "InputLayer",
                   "config": {"batch_shape": [null, 1], "dtype": "string", "name": "text"}},
                  {"module": "keras.layers", "class_name": "TextVectorization",
                   "config": {"name": "tv", "output_mode": "count", "split": "whitespace",
                              "vocabulary": ["red", "green", "blue"], "standardize": "lower"}},
                  {"module": "keras.layers", "class_name": "Activation",
                   "config": {"name": "same", "activation": "linear"}}]}}""";
        Path file = archive(tmp.resolve("hand.keras"), Map.of("config.json", config.getBytes(StandardCharsets.UTF_8),
                "model.weights.h5", WeightWriter.bytes(List.of(), null)));
        KerasModel m = Models.load(file);
        assertThat(m.inputShape(0).dims()).containsExactly(4);
        Tensor y = m.predictText(List.of("Red red GREEN pink", "", "blue,"));
        assertThat(y.toArray()).containsExactly(1, 2, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0);
    }

    private static Path archive(Path file, Map<String, byte[]> entries) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                z.putNextEntry(entry);
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return file;
    }

    @Test
    void vocabularyFilesAreReadAsKerasLoadAssetsReadsThem() {
        // Python's text mode and str.splitlines: \r\n and \r end lines, and so do \v \f \x1c-\x1e U+0085 U+2028 U+2029
        assertThat(TextInputs.vocabularyLines("\n[UNK]\na\r\nb\rc\u000bd\fe\u001cf\u0085g\u2028h\u2029i\u00a0j\n\n"))
                .containsExactly("", "[UNK]", "a", "b", "c", "d", "e", "f", "g", "h", "i\u00a0j");
        assertThat(TextInputs.vocabularyLines("[UNK]")).containsExactly("[UNK]");
    }

    private static String refusal(Path tmp, String name, Map<String, UnaryOperator<String>> edits) {
        try {
            Path edited = Archives.copy(fixture(LSTM), tmp.resolve(name + ".keras"), edits);
            Models.load(edited);
        } catch (KerasFileException e) {
            return e.getMessage();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError(name + ": loaded, expected a refusal");
    }

    private static Map<String, UnaryOperator<String>> config(String from, String to) {
        return Map.of("config.json", c -> {
            assertThat(c).contains(from);
            return c.replace(from, to);
        });
    }

    @Test
    void whatRnn4jDoesNotLoadIsRefusedNamingTheLayerAndOption(@TempDir Path tmp) {
        assertThat(refusal(tmp, "dense", config("\"class_name\": \"TextVectorization\"", "\"class_name\": \"Dense\"")))
                .contains("string input 'input_layer' goes into Dense 'text_vectorization_24'")
                .contains("only when it goes straight into one TextVectorization");
        assertThat(refusal(tmp, "callable", config("\"split\": \"whitespace\"", "\"split\": {\"module\": "
                + "\"builtins\", \"class_name\": \"function\", \"config\": \"my_split\"}")))
                .contains("unsupported option split=").contains("layer 'text_vectorization_24' (TextVectorization)")
                .contains("a callable of one's own; rnn4j supports Keras's named split values only");
        assertThat(refusal(tmp, "ragged", config("\"ragged\": false, \"vocabulary\"", "\"ragged\": true, "
                + "\"vocabulary\""))).contains("unsupported option ragged=true in layer 'text_vectorization_24'")
                .contains("supported is false");
        assertThat(refusal(tmp, "one_hot", config("\"output_mode\": \"int\"", "\"output_mode\": \"one_hot\"")))
                .contains("unsupported option output_mode='one_hot'")
                .contains("supports 'int', 'multi_hot', 'count' and 'tf_idf'");
        assertThat(refusal(tmp, "encoding", config("\"encoding\": \"utf-8\"", "\"encoding\": \"latin-1\"")))
                .contains("unsupported option encoding='latin-1'").contains("supported is 'utf-8'");
        assertThat(refusal(tmp, "max_tokens", config("\"max_tokens\": 40", "\"max_tokens\": 1")))
                .contains("layer 'text_vectorization_24' (TextVectorization)").contains("greater than 1");
        assertThat(refusal(tmp, "shape", config("\"batch_shape\": [null, 1], \"dtype\": \"string\"",
                "\"batch_shape\": [null, 2], \"dtype\": \"string\"")))
                .contains("string input 'input_layer' has batch shape (None, 2)").contains("of shape (1,) or ()");
        Map<String, UnaryOperator<String>> noAssets = new LinkedHashMap<>();
        noAssets.put("assets/layers/text_vectorization/vocabulary.txt", c -> null);
        noAssets.put("assets/layers/text_vectorization/_lookup_layer/vocabulary.txt", c -> null);
        assertThat(refusal(tmp, "no_assets", noAssets)).contains("TextVectorization 'text_vectorization_24' has no "
                + "vocabulary: neither its config nor the archive's assets/layers/text_vectorization/vocabulary.txt");
        assertThat(refusal(tmp, "repeated", Map.of("assets/layers/text_vectorization/vocabulary.txt",
                v -> v + "\nthe"))).contains("the vocabulary in the assets").contains("repeated term");
    }

    @Test
    void aStringInputOutsideAKerasArchiveOrATextVectorizationElsewhereIsRefused(@TempDir Path tmp)
            throws IOException {
        String config = new String(Archives.bytes(fixture(LSTM), "config.json"), StandardCharsets.UTF_8);
        Path weights = tmp.resolve("w.weights.h5");
        Files.write(weights, Archives.bytes(fixture(LSTM), "model.weights.h5"));
        Path json = Files.writeString(tmp.resolve("m.json"), config);
        assertThatThrownBy(() -> Models.load(json, weights)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("unsupported dtype 'string'")
                .hasMessageContaining("a string input loads from a .keras archive when it goes straight into a "
                        + "TextVectorization");
        Path floats = Files.writeString(tmp.resolve("f.json"), config.replace("\"dtype\": \"string\"",
                "\"dtype\": \"float32\""));
        assertThatThrownBy(() -> Models.load(floats, weights)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("unsupported layer text_vectorization_24 (TextVectorization)")
                .hasMessageContaining("only in a .keras archive, straight on the model's string input");
    }

    @Test
    void aModelWithoutTextSaysSoWhenAskedForText() throws IOException {
        KerasModel m = Models.load(fixture("textvec_seq_lstm.keras"));
        assertThat(m.textVectorization()).isPresent();
        KerasModel plain = Models.load(fixture("act_dense.keras"));
        assertThat(plain.textVectorization()).isEmpty();
        assertThatThrownBy(() -> plain.predictText(List.of("x"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the model takes no string input");
        assertThat(Models.load(fixture("textvec_functional_gru.keras")).inputShape(0).dims())
                .as("output_sequence_length unset: None timesteps").containsExactly(Input.NONE);
    }
}
