package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.StringLookup.OutputMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * StringLookup's shapes and special tokens (StringLookupKerasTest compares option sets with Keras's
 * own outputs): one_hot of one token per row is a vector per row, of more a matrix; the mask token is
 * 0 in int mode, an all-zero one_hot and nothing in the counts; rows of unequal length, more OOV
 * indices and options set after the vocabulary are refused naming the layer.
 */
class StringLookupTest {

    @Test
    void idsAndOneHotShapesAndTheMaskToken() {
        StringLookup s = new StringLookup().maskToken("");
        s.setVocabulary(List.of("a", "b"), null);
        assertThat(s.vocabulary()).containsExactly("", "[UNK]", "a", "b");
        Tensor ids = s.apply(List.of(List.of("b", "", "z"), List.of("a", "a", "b")));
        assertThat(ids.shape().dims()).containsExactly(2, 3);
        assertThat(ids.toArray()).containsExactly(3, 0, 1, 2, 2, 3);

        StringLookup hot = new StringLookup().maskToken("").outputMode(OutputMode.ONE_HOT);
        hot.setVocabulary(List.of("a", "b"), null);
        assertThat(hot.vocabulary()).containsExactly("[UNK]", "a", "b");
        Tensor matrix = hot.apply(List.of(List.of("b", "", "z")));
        assertThat(matrix.shape().dims()).containsExactly(1, 3, 3);
        assertThat(matrix.toArray()).containsExactly(0, 0, 1, 0, 0, 0, 1, 0, 0);
        Tensor vectors = hot.apply(List.of(List.of("a"), List.of("")));
        assertThat(vectors.shape().dims()).containsExactly(2, 3);
        assertThat(vectors.toArray()).containsExactly(0, 1, 0, 0, 0, 0);

        StringLookup counts = new StringLookup().maskToken("").maxTokens(5).padToMaxTokens(true)
                .outputMode(OutputMode.COUNT);
        counts.setVocabulary(List.of("a", "b"), null);
        assertThat(counts.apply(List.of(List.of("a", "", "a", "q"))).toArray()).containsExactly(1, 2, 0, 0, 0);
    }

    @Test
    void withoutAMaskTokenTheEmptyStringIsAToken() {
        StringLookup s = new StringLookup();
        s.adapt(List.of(List.of("", "x"), List.of("", "[UNK]")));
        assertThat(s.vocabulary()).containsExactly("[UNK]", "", "x");
        assertThat(s.apply(List.of(List.of("x", ""), List.of("y", "[UNK]"))).toArray()).containsExactly(2, 1, 0, 0);
    }

    @Test
    void refusals() {
        StringLookup s = new StringLookup().named("colours");
        assertThatThrownBy(() -> s.apply(List.of(List.of("a")))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("colours: the layer has no vocabulary yet");
        s.setVocabulary(List.of("a"), null);
        assertThatThrownBy(() -> s.apply(List.of(List.of("a", "a"), List.of("a"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("colours: row 1 has 1 tokens, row 0 has 2");
        assertThatThrownBy(() -> new StringLookup().numOovIndices(-1))
                .hasMessageContaining("`num_oov_indices` must be greater than or equal to 0");
        assertThatThrownBy(() -> s.maskToken("")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("set mask_token before the vocabulary");
        StringLookup given = new StringLookup().named("g").vocabularyArgument(List.of("a"), null);
        assertThatThrownBy(() -> given.adapt(List.of(List.of("b")))).hasMessageContaining("Cannot adapt layer 'g'");
    }
}
