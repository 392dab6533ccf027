package io.rnn4j.cli.translate;

import java.util.Arrays;
import java.util.Collection;

/**
 * The characters of the source texts, as the encoder's Embedding reads them: 0 is padding (masked
 * with mask_zero), 1 a character never seen in training, then the training characters in
 * code-point order.
 */
public final class SourceChars {
    public static final int PAD = 0;
    public static final int UNKNOWN = 1;

    private final int[] codePoints;

    private SourceChars(int[] codePoints) {
        this.codePoints = codePoints;
    }

    /** Every character of {@code texts}. */
    public static SourceChars of(Collection<String> texts) {
        return new SourceChars(texts.stream().flatMapToInt(String::codePoints).distinct().sorted().toArray());
    }

    /** Ids for the Embedding: padding, unknown, and each character. */
    public int size() {
        return codePoints.length + 2;
    }

    /** {@code text} as {@code length} ids, cut or padded with {@link #PAD} at the end. */
    public int[] encode(String text, int length) {
        int[] ids = new int[length];
        int[] cps = text.codePoints().toArray();
        for (int i = 0; i < Math.min(length, cps.length); i++) {
            int k = Arrays.binarySearch(codePoints, cps[i]);
            ids[i] = k >= 0 ? k + 2 : UNKNOWN;
        }
        return ids;
    }
}
