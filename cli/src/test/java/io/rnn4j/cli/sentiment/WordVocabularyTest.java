package io.rnn4j.cli.sentiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.cli.data.Split;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keras-style standardization and vocabulary, padding, and the stratified split. */
class WordVocabularyTest {

    @Test
    void standardizesAsKerasTextVectorizationDoes() {
        assertThat(WordVocabulary.tokens("  Wow... Loved this place!! Don't  go-kart ")).containsExactly("wow", "loved",
                "this", "place", "dont", "gokart");
        assertThat(WordVocabulary.tokens(" ... ")).isEmpty();
    }

    @Test
    void mostFrequentWordsFirstAfterPaddingAndUnknown() {
        WordVocabulary v = WordVocabulary.fit(List.of("good good bad", "good movie", "bad"), 4);
        assertThat(v.words()).containsExactly("", "[UNK]", "good", "bad");
        assertThat(v.encode("Good, bad movie!", 5)).containsExactly(2, 3, WordVocabulary.UNKNOWN, 0, 0);
        assertThat(v.encode("good good good good good good", 3)).containsExactly(2, 2, 2);
        assertThat(WordVocabulary.of(v.words()).encode("bad", 2)).containsExactly(3, 0);
    }

    @Test
    void stratifiedSplitKeepsLabelSharesAndIsSeeded() {
        int[] labels = new int[1000];
        for (int i = 0; i < 300; i++) {
            labels[i] = 1;
        }
        Split s = Split.stratified(labels, 0.2, 42);
        assertThat(s.test()).hasSize(200);
        assertThat(Arrays.stream(s.test()).filter(i -> labels[i] == 1).count()).isEqualTo(60);
        int[] all = java.util.stream.IntStream.concat(Arrays.stream(s.train()), Arrays.stream(s.test())).sorted()
                .toArray();
        assertThat(all).isEqualTo(java.util.stream.IntStream.range(0, 1000).toArray());
        assertThat(Split.stratified(labels, 0.2, 42).test()).isEqualTo(s.test());
    }
}
