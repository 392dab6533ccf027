package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.layers.Concatenate;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.Flatten;
import io.rnn4j.layers.GlobalAveragePooling1D;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Session;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.TextVectorization;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keras 3.15.1's summary of {@code Sequential([Input(shape=(1,), dtype="string"), TextVectorization(
 * max_tokens=12, output_sequence_length=5), Embedding(12, 4, mask_zero=True), LSTM(3), Dense(1)])}
 * (run here) lists the vectorizer first: {@code text_vectorization (TextVectorization)}, output
 * {@code (None, 5)}, no params; then embedding (None, 5, 4), lstm (None, 3), dense (None, 1); total
 * 148 params. {@link KerasModel#withTextFront}'s summary left that row out. The bar: the same rows in
 * that order, with those shapes and counts, and the inner model's own summary unchanged.
 */
class TextFrontSummaryTest {

    @Test
    void aSequentialWithATextFrontListsTheFrontFirstAsKerasDoes() {
        Session.clear();
        TextVectorization tv = new TextVectorization().maxTokens(12).outputSequenceLength(5);
        tv.adapt(List.of("The cat sat on the mat.", "a dog, a cat", "dogs and cats", "the end", "good film",
                "bad film"));
        Sequential model = Sequential.of(Input.shape(5), new Embedding(12, 4).maskZero(true), new LSTM(3),
                new Dense(1));
        String inner = model.summary();
        String summary = KerasModel.withTextFront(tv, model).summary();

        List<String> lines = summary.lines().toList();
        assertThat(lines.get(4)).as("the front's row, wrapped as Keras wraps it")
                .startsWith("│ text_vectorization ").contains("│ (None, 5) ").endsWith(" 0 │");
        assertThat(lines.get(5)).startsWith("│ (TextVectorization) ");
        assertThat(summary.indexOf("text_vectorization")).isLessThan(summary.indexOf("embedding (Embedding)"));
        assertThat(summary).contains("(None, 5, 4)").contains(" Total params: 148 (592.00 B)");
        assertThat(summary.replace(lines.get(4) + "\n" + lines.get(5) + "\n" + lines.get(6) + "\n", ""))
                .as("the other rows are the inner model's").isEqualTo(inner);
        assertThat(model.summary()).as("the inner model's own summary has no front").isEqualTo(inner)
                .doesNotContain("text_vectorization");
    }

    /**
     * Keras 3.15.1 (run here) prints {@code Model(text, out)} with {@code text = Input((1,),
     * dtype="string")}, {@code tv} a TextVectorization(max_tokens=20, output_sequence_length=5) and
     * two branches over {@code emb = Embedding(20, 4)(tv(text))} (GlobalAveragePooling1D and Flatten,
     * concatenated into a Dense(1)) as: text (InputLayer) (None, 1); tv (TextVectorization) (None,
     * 5), 0 params, connected to text[0][0]; emb (Embedding) (None, 5, 4), 80, connected to
     * tv[0][0]; then gap, fl, cat and out as without a front; total 105 params. The summary left the
     * front out and showed the input as (None, 5) feeding emb.
     */
    @Test
    void aFunctionalModelWithATextFrontListsTheStringInputThenTheFrontAsKerasDoes() {
        Session.clear();
        TextVectorization tv = new TextVectorization().maxTokens(20).outputSequenceLength(5).named("tv");
        tv.adapt(List.of("the cat sat", "a dog ran on the mat", "h\u00e9llo w\u00f6rld"));
        Input text = Input.shape(5).named("text");
        SymbolicTensor e = new Embedding(20, 4).named("emb").apply(text);
        SymbolicTensor a = new GlobalAveragePooling1D().named("gap").apply(e);
        SymbolicTensor b = new Flatten().named("fl").apply(e);
        Model model = Model.of(text, new Dense(1).named("out").apply(new Concatenate().named("cat").apply(a, b)));
        String inner = model.summary();
        String summary = KerasModel.withTextFront(tv, model).summary();

        List<String> rows = summary.lines().filter(l -> l.startsWith("\u2502 ") && !l.startsWith("\u2502  "))
                .map(l -> l.replaceAll(" +", " ")).toList();
        assertThat(rows).as("the first line of each row, as Keras's table reads").containsExactly(
                "\u2502 text (InputLayer) \u2502 (None, 1) \u2502 0 \u2502 - \u2502",
                "\u2502 tv (TextVectorization) \u2502 (None, 5) \u2502 0 \u2502 text[0][0] \u2502",
                "\u2502 emb (Embedding) \u2502 (None, 5, 4) \u2502 80 \u2502 tv[0][0] \u2502",
                "\u2502 gap (GlobalAveragePooling1D) \u2502 (None, 4) \u2502 0 \u2502 emb[0][0] \u2502",
                "\u2502 fl (Flatten) \u2502 (None, 20) \u2502 0 \u2502 emb[0][0] \u2502",
                "\u2502 cat (Concatenate) \u2502 (None, 24) \u2502 0 \u2502 gap[0][0], fl[0][0] \u2502",
                "\u2502 out (Dense) \u2502 (None, 1) \u2502 25 \u2502 cat[0][0] \u2502");
        assertThat(summary).contains(" Total params: 105 (420.00 B)");
        assertThat(model.summary()).as("the inner model's own summary has no front").isEqualTo(inner)
                .doesNotContain("TextVectorization").contains("\u2502 text (InputLayer)");
    }
}
