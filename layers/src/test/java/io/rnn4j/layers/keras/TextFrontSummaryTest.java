package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Session;
import io.rnn4j.layers.TextVectorization;
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
}
