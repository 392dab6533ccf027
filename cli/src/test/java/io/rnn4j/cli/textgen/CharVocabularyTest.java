package io.rnn4j.cli.textgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The character vocabulary, the unigram entropy bar and temperature sampling. */
class CharVocabularyTest {

    @Test
    void encodesAndDecodesInCodePointOrder() {
        CharVocabulary v = CharVocabulary.of("baca—");
        assertThat(v.size()).isEqualTo(4);
        assertThat(v.encode("abc—")).containsExactly(0, 1, 2, 3);
        assertThat(v.decode(3)).isEqualTo("—");
        assertThat(CharVocabulary.ofCodePoints(v.codePoints()).encode("cab")).containsExactly(2, 0, 1);
        assertThatThrownBy(() -> v.encode("abz")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'z' is not in the model's vocabulary of 4 characters");
    }

    @Test
    void unigramBitsOfKnownDistributions() {
        CharVocabulary v = CharVocabulary.of("ab");
        // Train "abab" + add-one: p(a) = p(b) = 3/6, so each held-out character costs 1 bit.
        assertThat(v.unigramBits(v.encode("abab"), v.encode("aab"))).isCloseTo(1.0, within(1e-12));
        // Train "aaaaaa": p(a) = 7/8, p(b) = 1/8 -> "ab" costs (log2(8/7) + 3) / 2.
        assertThat(v.unigramBits(v.encode("aaaaaa"), v.encode("ab")))
                .isCloseTo((Math.log(8 / 7.0) / Math.log(2) + 3) / 2, within(1e-12));
    }

    @Test
    void samplingFollowsTheTemperedDistribution() {
        long seed = 11;
        Random r = new Random(seed);
        float[] logits = {(float) Math.log(0.7), (float) Math.log(0.2), (float) Math.log(0.1)};
        int[] counts = new int[3];
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            counts[CharVocabulary.sample(logits, 1.0, r)]++;
        }
        assertThat(counts[0] / (double) n).isCloseTo(0.7, within(0.01));
        assertThat(counts[2] / (double) n).isCloseTo(0.1, within(0.01));
        int[] cold = new int[3];
        for (int i = 0; i < 10_000; i++) {
            cold[CharVocabulary.sample(logits, 0.05, r)]++;
        }
        assertThat(cold[0]).as("a low temperature is nearly greedy").isGreaterThan(9_990);
        assertThatThrownBy(() -> CharVocabulary.sample(logits, 0, r)).hasMessageContaining("temperature must be > 0");
    }
}
