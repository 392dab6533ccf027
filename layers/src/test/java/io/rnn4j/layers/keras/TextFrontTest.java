package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.Flatten;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.StringLookup;
import io.rnn4j.layers.TextVectorization;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A text front put on a model built in Java ({@link KerasModel#withTextFront}): predictText is the
 * front's output (checked against ids looked up by hand) run through the model; the model trains on
 * raw texts; saving writes Keras's string InputLayer, the front's config, its vocabulary asset and
 * idf weights, and loading that file back gives the same numbers to the bit; a front whose output
 * the model does not take, and the other misuses, are refused naming what was expected and what came.
 */
class TextFrontTest {
    private static final List<String> CORPUS = List.of("The cat sat on the mat.", "a dog, a cat", "dogs and cats",
            "the end", "good film", "bad film");
    private static final List<String> TEXTS = List.of("the cat sat", "A DOG!", "unseen quokka", "", "the the the "
            + "cat cat dog dog mat");

    private static TextVectorization vectorizer() {
        TextVectorization tv = new TextVectorization().maxTokens(12).outputSequenceLength(5);
        tv.adapt(CORPUS);
        return tv;
    }

    private static Sequential lstmModel(int length) {
        return Sequential.of(Input.shape(length), new Embedding(12, 4).maskZero(true), new LSTM(3), new Dense(1));
    }

    @Test
    void predictTextIsTheVectorizersIdsThroughTheModel() {
        TextVectorization tv = vectorizer();
        Sequential model = lstmModel(5);
        KerasModel km = KerasModel.withTextFront(tv, model);
        assertThat(km.textVectorization()).containsSame(tv);
        assertThat(km.inputShape(0).dims()).containsExactly(5);

        // the ids by hand: lower-case, strip ASCII punctuation, split on spaces, look up (1 = OOV), pad/cut to 5
        List<String> vocabulary = tv.vocabulary();
        float[] ids = new float[TEXTS.size() * 5];
        for (int r = 0; r < TEXTS.size(); r++) {
            String[] words = TEXTS.get(r).toLowerCase(Locale.ROOT).replaceAll("\\p{Punct}", "").split(" ");
            int t = 0;
            for (String w : words) {
                if (!w.isEmpty() && t < 5) {
                    int id = vocabulary.indexOf(w);
                    ids[r * 5 + t++] = id < 0 ? 1 : id;
                }
            }
        }
        assertThat(tv.apply(TEXTS).toArray()).as("the front's ids, against a lookup by hand").containsExactly(ids);
        float[] y = km.predictText(TEXTS).toArray();
        assertThat(y).as("predictText against predict on the hand-made ids, to the bit")
                .containsExactly(model.predict(Tensor.of(ids, TEXTS.size(), 5)).toArray());
        assertThat(km.predict(tv.apply(TEXTS)).toArray()).as("predict keeps taking the ids").containsExactly(y);
    }

    @Test
    void theModelTrainsOnRawTextsAndOnIds() {
        TextVectorization tv = vectorizer();
        KerasModel km = KerasModel.withTextFront(tv, lstmModel(Input.NONE));
        Tensor labels = Tensor.of(new float[] {1, 0, 1, 0, 1}, 5, 1);
        km.sequential().compile(Optimizers.sgd(0.5), Losses.meanSquaredError());
        double before = km.evaluateText(TEXTS, labels).loss();
        assertThat(before).as("evaluateText is evaluate on the ids")
                .isEqualTo(km.evaluate(tv.apply(TEXTS), labels).loss());
        km.fitText(TEXTS, labels, Fit.defaults().batchSize(2).epochs(5).shuffle(false).verbose(0));
        assertThat(km.evaluateText(TEXTS, labels).loss()).as("the loss falls when fitText trains on the texts")
                .isLessThan(before);
    }

    @Test
    void savingWritesKerassStringInputAndFrontAndLoadsBackToTheBit(@TempDir Path dir) throws IOException {
        KerasModel km = KerasModel.withTextFront(vectorizer().named("vectorize"), lstmModel(5).named("classifier"));
        Path file = dir.resolve("classifier.keras");
        Models.save(km, file);

        Map<String, Object> config;
        byte[] asset;
        try (ArchiveEntries zip = ArchiveEntries.open(file)) {
            config = ModelReader.parse(file.toString(), "config.json",
                    new String(zip.required("config.json"), StandardCharsets.UTF_8));
            asset = zip.get("assets/layers/text_vectorization/vocabulary.txt");
            assertThat(zip.get("assets/layers/text_vectorization/_lookup_layer/vocabulary.txt"))
                    .as("Keras writes the vocabulary under the lookup layer's path too").isEqualTo(asset);
        }
        assertThat(new String(asset, StandardCharsets.UTF_8).split("\n", -1)).as("the vocabulary asset")
                .containsExactlyElementsOf(km.textVectorization().orElseThrow().vocabulary());
        List<Map<String, Object>> layers = layers(config);
        Map<String, Object> input = LayerReader.config(layers.get(0));
        assertThat(input.get("dtype")).as("Keras's Input(dtype='string')").isEqualTo("string");
        assertThat(input.get("batch_shape")).as("Keras's Input(shape=(1,))").isEqualTo(Arrays.asList(null, 1.0));
        assertThat(LayerReader.className(layers.get(1))).isEqualTo("TextVectorization");
        Map<String, Object> tvConfig = LayerReader.config(layers.get(1));
        assertThat(tvConfig.keySet()).as("the config keys Keras 3.15.1 writes").containsExactlyInAnyOrder("name",
                "trainable", "dtype", "max_tokens", "standardize", "split", "ngrams", "output_mode",
                "output_sequence_length", "pad_to_max_tokens", "sparse", "ragged", "vocabulary", "idf_weights",
                "encoding", "vocabulary_size");
        assertThat(tvConfig.get("name")).isEqualTo("vectorize");
        assertThat(tvConfig.get("output_sequence_length")).isEqualTo(5.0);
        assertThat(LayerReader.className(layers.get(2))).isEqualTo("Embedding");

        KerasModel back = Models.load(file);
        assertThat(back.textVectorization().orElseThrow().vocabulary())
                .isEqualTo(km.textVectorization().orElseThrow().vocabulary());
        assertThat(back.name()).isEqualTo("classifier");
        assertThat(back.predictText(TEXTS).toArray()).as("after save and load, to the bit")
                .containsExactly(km.predictText(TEXTS).toArray());
    }

    @Test
    void aFunctionalModelTakesATfIdfFrontAndSavesItsIdfWeights(@TempDir Path dir) throws IOException {
        TextVectorization tv = new TextVectorization().maxTokens(10).outputMode(TextVectorization.OutputMode.TF_IDF);
        tv.adapt(CORPUS);
        Input in = Input.shape(10);
        Model model = Model.of(in, new Dense(1).apply(new Dense(3, "tanh").apply(in)));
        KerasModel km = KerasModel.withTextFront(tv, model);
        float[] y = km.predictText(TEXTS).toArray();
        assertThat(y).containsExactly(model.predict(List.of(tv.apply(TEXTS))).get(0).toArray());

        Path file = dir.resolve("tfidf.keras");
        Models.save(km, file);
        KerasModel back = Models.load(file);
        assertThat(back.isSequential()).isFalse();
        assertThat(back.textVectorization().orElseThrow().idfWeights()).as("idf weights after save and load")
                .containsExactly(tv.idfWeights());
        assertThat(back.predictText(TEXTS).toArray()).as("after save and load, to the bit").containsExactly(y);
    }

    @Test
    void aStringLookupTakesRowsOfTheModelsInputLength(@TempDir Path dir) throws IOException {
        StringLookup lookup = new StringLookup();
        lookup.adapt(List.of(List.of("red", "green", "blue"), List.of("red", "red", "green")));
        Sequential model = Sequential.of(Input.shape(3), new Embedding(5, 2), new Flatten(), new Dense(1));
        KerasModel km = KerasModel.withTextFront(lookup, model);
        List<List<String>> rows = List.of(List.of("red", "blue", "pink"), List.of("green", "green", "red"));
        float[] y = km.predictTokens(rows).toArray();
        assertThat(y).containsExactly(model.predict(lookup.apply(rows)).toArray());
        assertThatThrownBy(() -> km.predictText(List.of("red"))).as("a text is one token, the rows take 3")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes rows of 3 tokens");

        Path file = dir.resolve("lookup.keras");
        Models.save(km, file);
        KerasModel back = Models.load(file);
        assertThat(back.stringLookup()).isPresent();
        assertThat(back.predictTokens(rows).toArray()).as("after save and load, to the bit").containsExactly(y);
    }

    @Test
    void aFrontWhoseOutputTheModelDoesNotTakeIsRefused() {
        assertThatThrownBy(() -> KerasModel.withTextFront(vectorizer(), lstmModel(6).named("m")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("m: TextVectorization")
                .hasMessageContaining("gives (None, 5) for a batch of texts but the model's input is (None, 6)");
        TextVectorization unpadded = new TextVectorization();
        unpadded.adapt(CORPUS);
        assertThatThrownBy(() -> KerasModel.withTextFront(unpadded, lstmModel(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gives (None, None)")
                .hasMessageContaining("set output_sequence_length, or give the model an Input of shape (None,)");
        assertThatThrownBy(() -> KerasModel.withTextFront(vectorizer(), Sequential.of(Input.shape(5, 1),
                new Dense(1)))).as("another rank").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but the model's input is (None, 5, 1)");
        StringLookup lookup = new StringLookup();
        lookup.adapt(List.of(List.of("a")));
        assertThatThrownBy(() -> KerasModel.withTextFront(lookup, lstmModel(Input.NONE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes rows of n string tokens, n fixed");
    }

    @Test
    void misusesAreRefusedNamingWhatWasExpected() {
        assertThatThrownBy(() -> KerasModel.withTextFront(vectorizer(), Sequential.of(new Dense(1))))
                .as("a model without an Input").isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("build the model before putting TextVectorization");
        assertThatThrownBy(() -> KerasModel.withTextFront(vectorizer().named("dense_x"),
                Sequential.of(Input.shape(5), new Dense(1).named("dense_x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has the name of a layer");
        Input a = Input.shape(5);
        Input b = Input.shape(5);
        Model two = Model.of(List.of(a, b), new io.rnn4j.layers.Add().apply(a, b));
        assertThatThrownBy(() -> KerasModel.withTextFront(vectorizer(), two))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the model takes 2 inputs");
        assertThatThrownBy(() -> KerasModel.withTextFront((TextVectorization) null, lstmModel(5)))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("vectorizer");

        TextVectorization unpadded = new TextVectorization().maxTokens(12);
        unpadded.adapt(CORPUS);
        KerasModel km = KerasModel.withTextFront(unpadded, lstmModel(Input.NONE));
        km.sequential().compile(Optimizers.sgd(0.1), Losses.meanSquaredError());
        assertThatThrownBy(() -> km.fitText(TEXTS, Tensor.zeros(5, 1), Fit.defaults().verbose(0)))
                .as("Keras pads each batch on its own").isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has no output_sequence_length, so Keras pads each batch")
                .hasMessageContaining("(after shuffling)");
        assertThatThrownBy(() -> km.evaluateText(TEXTS, Tensor.zeros(5, 1)))
                .as("Keras's evaluate pads each batch too, but shuffles nothing: the message says so")
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has no output_sequence_length, so Keras pads each batch")
                .hasMessageNotContaining("shuffling").hasMessageEndingWith("and call evaluate");
        assertThat(km.predictText(TEXTS).shape().dims()).as("predictText pads per batch as Keras")
                .containsExactly(5, 1);
    }

    @Test
    void aModelWithoutTextFrontRefusesTexts() throws IOException {
        KerasModel plain = Models.load(Keras3151.resource("act_dense.keras"));
        assertThatThrownBy(() -> plain.fitText(TEXTS, Tensor.zeros(5, 1), Fit.defaults()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("takes no string input; use fit");
        assertThatThrownBy(() -> plain.evaluateText(TEXTS, Tensor.zeros(5, 1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("use evaluate on tensors");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> layers(Map<String, Object> model) {
        return new ArrayList<>((List<Map<String, Object>>) ((Map<String, Object>) model.get("config")).get("layers"));
    }
}
