package io.rnn4j.cli.sentiment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Words to indices as Keras's {@code TextVectorization} makes them by default: text lower-cased,
 * ASCII punctuation removed, split on whitespace; index 0 is padding (what {@code mask_zero}
 * skips), 1 is "[UNK]" for words not in the vocabulary, then the training set's words from the most
 * frequent down (ties alphabetical, so the same data always gives the same vocabulary).
 */
public final class WordVocabulary {
    /** The padding index, masked by Embedding(mask_zero=true). */
    public static final int PAD = 0;
    /** The index of any word not in the vocabulary. */
    public static final int UNKNOWN = 1;

    // Keras's DEFAULT_STRIP_REGEX: r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']'
    private static final Pattern PUNCTUATION = Pattern.compile("[!\"#$%&()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~']");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final List<String> words;
    private final Map<String, Integer> index;

    private WordVocabulary(List<String> words) {
        this.words = List.copyOf(words);
        this.index = new HashMap<>();
        for (int i = 0; i < words.size(); i++) {
            index.put(words.get(i), i);
        }
    }

    /** The words of a sentence after Keras's default standardization. */
    public static List<String> tokens(String text) {
        String s = PUNCTUATION.matcher(text.toLowerCase(Locale.ROOT)).replaceAll("").strip();
        return s.isEmpty() ? List.of() : List.of(WHITESPACE.split(s));
    }

    /** The vocabulary of {@code texts}, at most {@code maxTokens} entries including padding and [UNK]. */
    public static WordVocabulary fit(List<String> texts, int maxTokens) {
        if (maxTokens < 3) {
            throw new IllegalArgumentException("vocabulary: maxTokens must be >= 3, got " + maxTokens);
        }
        Map<String, Integer> counts = new HashMap<>();
        for (String t : texts) {
            for (String w : tokens(t)) {
                counts.merge(w, 1, Integer::sum);
            }
        }
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        List<String> words = new ArrayList<>(List.of("", "[UNK]"));
        for (int i = 0; i < sorted.size() && words.size() < maxTokens; i++) {
            words.add(sorted.get(i).getKey());
        }
        return new WordVocabulary(words);
    }

    /** The vocabulary with exactly these entries (index order), as {@link #words()} gave them. */
    public static WordVocabulary of(List<String> words) {
        if (words.size() < 2 || !words.get(0).isEmpty() || !words.get(1).equals("[UNK]")) {
            throw new IllegalArgumentException("vocabulary: must start with padding \"\" and \"[UNK]\"");
        }
        return new WordVocabulary(words);
    }

    public int size() {
        return words.size();
    }

    public List<String> words() {
        return words;
    }

    /**
     * The sentence as {@code length} indices: words in order, cut after {@code length}, then padded
     * with {@link #PAD} at the end (the mask makes the recurrent layers skip the padding).
     */
    public int[] encode(String text, int length) {
        int[] ids = new int[length];
        List<String> t = tokens(text);
        for (int i = 0; i < Math.min(length, t.size()); i++) {
            ids[i] = index.getOrDefault(t.get(i), UNKNOWN);
        }
        return ids;
    }
}
