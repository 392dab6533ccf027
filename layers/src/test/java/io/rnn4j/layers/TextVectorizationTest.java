package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.TextVectorization.OutputMode;
import io.rnn4j.layers.TextVectorization.Split;
import io.rnn4j.layers.TextVectorization.Standardize;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * TextVectorization's rules one at a time: TensorFlow's string rules where they differ from Java's
 * (values checked with Keras 3.15.1 / TensorFlow 2.21 by hand and written here), Keras's adapt order,
 * padding and truncation, the count / multi_hot / tf_idf arithmetic against plain loops, and Keras's
 * refusals. TextVectorizationKerasTest compares whole option sets with Keras's own outputs.
 */
class TextVectorizationTest {

    private static float[] row(Tensor t, int r) {
        int w = t.shape().dims()[1];
        float[] out = new float[w];
        System.arraycopy(t.toArray(), r * w, out, 0, w);
        return out;
    }

    @Test
    void lowerCasesAsciiOnlyAsTfStringsLower() {
        // tf.strings.lower(["ÀÉÎ Straße İSTANBUL ΑΒΓ"]) gives "ÀÉÎ straße İstanbul ΑΒΓ"; Java's
        // toLowerCase would give "àéî straße i̇stanbul αβγ"
        TextVectorization tv = new TextVectorization().standardize(Standardize.LOWER);
        assertThat(tv.tokens("ÀÉÎ Straße İSTANBUL ΑΒΓ")).containsExactly("ÀÉÎ", "straße", "İstanbul", "ΑΒΓ");
    }

    @Test
    void stripsTheAsciiPunctuationOnly() {
        TextVectorization tv = new TextVectorization().standardize(Standardize.STRIP_PUNCTUATION);
        String ascii = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
        assertThat(tv.tokens("A" + ascii + "b «c» ¿d? —e…")).containsExactly("Ab", "«c»", "¿d", "—e…");
    }

    @Test
    void splitsOnAsciiWhitespaceOnlyAsTfStringsSplit() {
        // tf.strings.split(["a\u00a0b\u3000c\u2003d\te\nf\x0bg\x0ch\x1ci\x85j\u2028k  l"]) gives
        // [a\u00a0b\u3000c\u2003d, e, f, g, h\x1ci\x85j\u2028k, l]
        TextVectorization tv = new TextVectorization().standardize(Standardize.NONE);
        assertThat(tv.tokens("a\u00a0b\u3000c\u2003d\te\nf\u000bg\fh\u001ci\u0085j\u2028k  l\r m "))
                .containsExactly("a\u00a0b\u3000c\u2003d", "e", "f", "g", "h\u001ci\u0085j\u2028k", "l", "m");
        assertThat(tv.tokens("  \t ")).isEmpty();
    }

    @Test
    void splitsCharactersByCodePoint() {
        TextVectorization tv = new TextVectorization().standardize(Standardize.NONE).split(Split.CHARACTER);
        assertThat(tv.tokens("a😀é")).containsExactly("a", "😀", "é");
        assertThat(tv.tokens("cafe\u0301")).containsExactly("c", "a", "f", "e", "\u0301");
        assertThat(tv.tokens("")).isEmpty();
    }

    @Test
    void ngramsComeWidthByWidthInTheGivenOrder() {
        // Keras: TextVectorization(standardize=None, ngrams=(2, 1, 3), vocabulary=["a b", "c"])(["a b c", "x"])
        // gives [[2, 1, 1, 1, 3, 1], [1, 0, 0, 0, 0, 0]]
        TextVectorization tv = new TextVectorization().standardize(Standardize.NONE).ngramWidths(2, 1, 3);
        tv.setVocabulary(List.of("a b", "c"));
        assertThat(tv.tokens("a b c")).containsExactly("a b", "b c", "a", "b", "c", "a b c");
        Tensor y = tv.apply(List.of("a b c", "x"));
        assertThat(y.toArray()).containsExactly(2, 1, 1, 1, 3, 1, 1, 0, 0, 0, 0, 0);
        assertThat(new TextVectorization().ngrams(3).ngramWidths()).containsExactly(1, 2, 3);
    }

    @Test
    void adaptOrdersByCountThenUtf8BytesDescending() {
        // Keras: adapt(["Ａ 😀 z é"]) with standardize=None gives ['', '[UNK]', '😀', 'Ａ', 'é', 'z'];
        // Java's String order (UTF-16 units) would put Ａ (U+FF21) after 😀 (D83D DE00)
        TextVectorization tv = new TextVectorization().standardize(Standardize.NONE);
        tv.adapt(List.of("\uff21 😀 z é"));
        assertThat(tv.vocabulary()).containsExactly("", "[UNK]", "😀", "\uff21", "é", "z");
        tv = new TextVectorization().maxTokens(4);
        tv.adapt(List.of("b a c", "c a b d", "e e e [UNK]"));
        // e 3; c, b, a 2 (bytes descending); d 1; "[unk]" is "unk" once stripped. Cut to 4 - 2 tokens.
        assertThat(tv.vocabulary()).containsExactly("", "[UNK]", "e", "c");
    }

    @Test
    void adaptLeavesOutTheMaskAndOovTokensAndKeepsTheVocabularyForNoTokens() {
        TextVectorization tv = new TextVectorization().standardize(Standardize.NONE).split(Split.NONE);
        tv.adapt(List.of("", "[UNK]", "x", "x"));
        assertThat(tv.vocabulary()).containsExactly("", "[UNK]", "x");
        TextVectorization words = new TextVectorization();
        words.adapt(List.of("kept"));
        words.adapt(List.of("", "  "));
        assertThat(words.vocabulary()).containsExactly("", "[UNK]", "kept");
    }

    @Test
    void intModePadsToTheLongestOrToOutputSequenceLengthAndTruncates() {
        TextVectorization tv = new TextVectorization();
        tv.setVocabulary(List.of("a", "b"));
        Tensor y = tv.apply(List.of("a b zz a", "", "B"));
        assertThat(y.shape().dims()).containsExactly(3, 4);
        assertThat(y.toArray()).containsExactly(2, 3, 1, 2, 0, 0, 0, 0, 3, 0, 0, 0);
        TextVectorization fixed = new TextVectorization().outputSequenceLength(2);
        fixed.setVocabulary(List.of("a", "b"));
        assertThat(fixed.apply(List.of("a b zz a", "b")).toArray()).containsExactly(2, 3, 3, 0);
        assertThat(fixed.outputShape()).containsExactly(2);
        assertThat(tv.outputShape()).containsExactly(Input.NONE);
        assertThat(tv.apply(List.of()).shape().dims()).containsExactly(0, 0);
        assertThat(tv.apply(List.of("", " ")).shape().dims()).containsExactly(2, 0);
    }

    @Test
    void theEmptyTokenIsPaddingInIntModeAndCountsForNothingOtherwise() {
        TextVectorization ids = new TextVectorization().split(Split.NONE);
        ids.setVocabulary(List.of("a"));
        assertThat(ids.apply(List.of("", "A!", "b")).toArray()).containsExactly(0, 2, 1);
        TextVectorization hot = new TextVectorization().split(Split.NONE).outputMode(OutputMode.MULTI_HOT);
        hot.setVocabulary(List.of("a"));
        assertThat(hot.apply(List.of("", "A!", "b")).toArray()).containsExactly(0, 0, 0, 1, 1, 0);
    }

    /** count, multi_hot and tf_idf against plain loops over the tokens, on random texts (seed printed). */
    @Test
    void countMultiHotAndTfIdfAreTheLoopsOverTokens() {
        long seed = 20261127L;
        System.out.println("TextVectorizationTest seed " + seed);
        Random rnd = new Random(seed);
        String[] words = {"a", "b", "c", "d", "e", "f", "g"};
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = rnd.nextInt(9); k > 0; k--) {
                b.append(words[rnd.nextInt(words.length)]).append(' ');
            }
            texts.add(b.toString());
        }
        List<String> vocab = List.of("a", "c", "e", "g");
        double[] idf = {0.5, 1.5, 2.25, 3.0};
        for (OutputMode mode : List.of(OutputMode.COUNT, OutputMode.MULTI_HOT, OutputMode.TF_IDF)) {
            TextVectorization tv = new TextVectorization().maxTokens(8).padToMaxTokens(true).outputMode(mode);
            tv.setVocabulary(vocab, mode == OutputMode.TF_IDF ? idf : null);
            Tensor y = tv.apply(texts);
            assertThat(y.shape().dims()).containsExactly(texts.size(), 8);
            double oovIdf = (0.5 + 1.5 + 2.25 + 3.0) / 4; // np.average of the given weights
            for (int r = 0; r < texts.size(); r++) {
                double[] want = new double[8];
                for (String w : texts.get(r).trim().split(" +")) {
                    if (w.isEmpty()) {
                        continue;
                    }
                    int id = vocab.indexOf(w) + 1; // 0 is out of vocabulary
                    want[id] = mode == OutputMode.MULTI_HOT ? 1 : want[id] + 1;
                }
                if (mode == OutputMode.TF_IDF) {
                    want[0] *= oovIdf;
                    for (int i = 1; i <= 4; i++) {
                        want[i] *= idf[i - 1];
                    }
                }
                float[] got = row(y, r);
                for (int i = 0; i < 8; i++) {
                    assertThat((double) got[i]).as("%s text %d index %d", mode, r, i)
                            .isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-6 * Math.abs(want[i])));
                }
            }
        }
    }

    @Test
    void tfIdfAdaptLearnsLogOnePlusDocumentsOverDocumentFrequency() {
        TextVectorization tv = new TextVectorization().outputMode(OutputMode.TF_IDF);
        List<String> docs = List.of("a a b", "a c", "c c c d", "e");
        tv.adapt(docs);
        Map<String, Integer> df = new HashMap<>(Map.of("a", 2, "b", 1, "c", 2, "d", 1, "e", 1));
        List<String> v = tv.vocabulary();
        assertThat(v).containsExactly("[UNK]", "c", "a", "e", "d", "b"); // c 4, a 3, then e d b by bytes
        float[] w = tv.idfWeights();
        double sum = 0;
        for (int i = 1; i < v.size(); i++) {
            assertThat(w[i]).isEqualTo((float) Math.log(1 + 4.0 / (1 + df.get(v.get(i)))));
            sum += w[i];
        }
        assertThat((double) w[0]).isCloseTo(sum / 5, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(tv.apply(List.of("c c z")).toArray()).containsExactly(w[0], 2 * w[1], 0, 0, 0, 0);
    }

    @Test
    void setVocabularyRefusesAsKeras() {
        TextVectorization tv = new TextVectorization().maxTokens(4);
        assertThatThrownBy(() -> tv.setVocabulary(List.of())).hasMessageContaining("Cannot set an empty vocabulary");
        assertThatThrownBy(() -> tv.setVocabulary(List.of("a", "b", "a"))).hasMessageContaining("repeated term")
                .hasMessageContaining("[a]");
        assertThatThrownBy(() -> tv.setVocabulary(List.of("a", ""))).hasMessageContaining("reserved mask token");
        assertThatThrownBy(() -> tv.setVocabulary(List.of("a", "b", "c")))
                .hasMessageContaining("vocabulary size is 5; `max_tokens` is 4");
        assertThatThrownBy(() -> tv.setVocabulary(List.of("a"), new double[] {1}))
                .hasMessageContaining("`idf_weights` should only be set if output_mode is `'tf_idf'`");
        TextVectorization idf = new TextVectorization().outputMode(OutputMode.TF_IDF);
        assertThatThrownBy(() -> idf.setVocabulary(List.of("a"))).hasMessageContaining("`idf_weights` must be set");
        assertThatThrownBy(() -> idf.setVocabulary(List.of("a"), new double[] {1, 2}))
                .hasMessageContaining("len(idf_weights) is 2; len(vocabulary) is 1");
        tv.setVocabulary(List.of("", "[UNK]", "x"));
        assertThat(tv.vocabulary()).containsExactly("", "[UNK]", "x");
        assertThatThrownBy(() -> tv.outputMode(OutputMode.COUNT)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before the vocabulary");
    }

    @Test
    void optionsAndCallsRefusedAsKeras() {
        assertThatThrownBy(() -> new TextVectorization().maxTokens(1)).hasMessageContaining("greater than 1");
        assertThatThrownBy(() -> new TextVectorization().padToMaxTokens(true)).hasMessageContaining("max_tokens");
        assertThatThrownBy(() -> new TextVectorization().outputMode(OutputMode.COUNT).outputSequenceLength(3))
                .hasMessageContaining("`output_sequence_length` must not be set");
        assertThatThrownBy(() -> new TextVectorization().ngramWidths(2, 0)).hasMessageContaining("at least 1");
        TextVectorization fixed = new TextVectorization().named("tv").vocabularyArgument(List.of("a"), null);
        assertThatThrownBy(() -> fixed.adapt(List.of("b"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Cannot adapt layer 'tv' after setting a static vocabulary");
        assertThatThrownBy(() -> new TextVectorization().named("tv").apply(List.of("a")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("tv: the layer has no vocabulary");
        assertThatThrownBy(() -> fixed.apply(List.of("ok", "bad \ud800 text")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tv: text 1 holds a lone surrogate (U+D800) at char 4");
        List<String> withNull = new ArrayList<>(List.of("a"));
        withNull.add(null);
        assertThatThrownBy(() -> fixed.apply(withNull)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("text 1");
    }
}
