package io.rnn4j.cli.textgen;

import java.util.Arrays;
import java.util.Random;

/**
 * The characters of a text, each given an index: what a character-level language model reads and
 * predicts. Indices follow code-point order, so the same text always gives the same vocabulary.
 */
public final class CharVocabulary {
    private final int[] codePoints;

    private CharVocabulary(int[] codePoints) {
        this.codePoints = codePoints;
    }

    /** Every distinct code point of {@code text}. */
    public static CharVocabulary of(String text) {
        int[] cps = text.codePoints().distinct().sorted().toArray();
        if (cps.length == 0) {
            throw new IllegalArgumentException("vocabulary: the text is empty");
        }
        return new CharVocabulary(cps);
    }

    /** The vocabulary of the given code points, as {@link #codePoints()} returned them (for checkpoints). */
    public static CharVocabulary ofCodePoints(int[] codePoints) {
        int[] sorted = codePoints.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("vocabulary: code point " + sorted[i] + " appears twice");
            }
        }
        return new CharVocabulary(sorted);
    }

    public int size() {
        return codePoints.length;
    }

    public int[] codePoints() {
        return codePoints.clone();
    }

    /** The index of one code point, or -1 if it is not in the vocabulary. */
    public int indexOf(int codePoint) {
        int i = Arrays.binarySearch(codePoints, codePoint);
        return i >= 0 ? i : -1;
    }

    /** The text as indices; a character outside the vocabulary is an error naming it. */
    public int[] encode(String text) {
        return text.codePoints().map(cp -> {
            int i = indexOf(cp);
            if (i < 0) {
                throw new IllegalArgumentException("the character '" + Character.toString(cp)
                        + "' is not in the model's vocabulary of " + size() + " characters");
            }
            return i;
        }).toArray();
    }

    public String decode(int index) {
        return Character.toString(codePoints[index]);
    }

    /**
     * What a model that ignores context scores on {@code heldOut}: the bits per character of a
     * unigram model fitted on {@code train} (character frequencies, add-one smoothed so that a
     * character unseen in training costs finite bits). A language model must do far better.
     */
    public double unigramBits(int[] train, int[] heldOut) {
        long[] counts = new long[size()];
        for (int id : train) {
            counts[id]++;
        }
        double total = train.length + size();
        double bits = 0;
        for (int id : heldOut) {
            bits -= Math.log((counts[id] + 1) / total);
        }
        return bits / heldOut.length / Math.log(2);
    }

    /**
     * Draws an index from the distribution {@code softmax(logits / temperature)}: temperature 1
     * samples the model's own distribution, lower is more conservative, towards 0 greedy.
     */
    public static int sample(float[] logits, double temperature, Random random) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp((logits[i] - max) / temperature);
            sum += p[i];
        }
        double u = random.nextDouble() * sum;
        for (int i = 0; i < p.length; i++) {
            u -= p[i];
            if (u < 0) {
                return i;
            }
        }
        return p.length - 1;
    }
}
