package io.rnn4j.layers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The string steps of Keras's TextVectorization with the TensorFlow backend, on Java strings: the
 * rules below are TensorFlow's, which are byte rules on UTF-8, not Java's Unicode ones.
 *
 * <ul>
 *   <li>lower: {@code tf.strings.lower} without an encoding lowers ASCII A-Z only ("ÀB" → "Àb").</li>
 *   <li>strip_punctuation: Keras's pattern {@code [!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']} is
 *       exactly the 32 ASCII punctuation characters; nothing outside ASCII is removed.</li>
 *   <li>whitespace split: {@code tf.strings.split} splits on ASCII whitespace (space, \t, \n, \v,
 *       \f, \r) only; no-break space, U+3000 and the like stay inside a token.</li>
 *   <li>character split: {@code tf.strings.unicode_split(…, "UTF-8")}: one token per code point
 *       (a character outside the BMP is one token, not two surrogates).</li>
 *   <li>ngrams: {@code tf.strings.ngrams(…, separator=" ")}: for each width in the given order,
 *       every run of that many tokens joined by one space; none for a width longer than the text.</li>
 * </ul>
 */
final class TextTokens {
    private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private TextTokens() {
    }

    /** Refuses a lone surrogate: such a string has no UTF-8 form, so Keras could not be given it. */
    static void checkUnicode(String layer, int index, String text) {
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (Character.isHighSurrogate(c) && k + 1 < text.length() && Character.isLowSurrogate(text.charAt(k + 1))) {
                k++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(layer + ": text " + index + " holds a lone surrogate (U+"
                        + Integer.toHexString(c).toUpperCase(Locale.ROOT) + ") at char " + k
                        + ": expected valid Unicode text, which has a UTF-8 form as Keras's strings do");
            }
        }
    }

    static String standardize(String text, boolean lower, boolean strip) {
        StringBuilder b = new StringBuilder(text.length());
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (strip && PUNCTUATION.indexOf(c) >= 0) {
                continue;
            }
            b.append(lower && c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return b.toString();
    }

    /** absl::ascii_isspace, which TensorFlow's string split uses. */
    static boolean asciiSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    static List<String> whitespaceSplit(String text) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int k = 0; k <= text.length(); k++) {
            boolean space = k == text.length() || asciiSpace(text.charAt(k));
            if (space && start >= 0) {
                out.add(text.substring(start, k));
                start = -1;
            } else if (!space && start < 0) {
                start = k;
            }
        }
        return out;
    }

    static List<String> characterSplit(String text) {
        List<String> out = new ArrayList<>();
        text.codePoints().forEach(cp -> out.add(Character.toString(cp)));
        return out;
    }

    static List<String> ngrams(List<String> tokens, int[] widths) {
        List<String> out = new ArrayList<>();
        for (int w : widths) {
            for (int i = 0; i + w <= tokens.size(); i++) {
                out.add(String.join(" ", tokens.subList(i, i + w)));
            }
        }
        return out;
    }

    /**
     * tf.reduce_mean of float32 values as TensorFlow's CPU kernel sums them for fewer than 64 values:
     * Eigen's 8-lane packets (AVX) added lane-wise, the leftover values one by one, then the lanes
     * folded (4 + 4, then 2 + 2, then 1 + 1) and added to them. From 64 values on TensorFlow may
     * split the sum between threads, and the result here can differ from Keras's in its last bits.
     */
    static float tfMean(float[] values, int from, int count) {
        float[] lanes = new float[8];
        int vectorized = count / 8 * 8;
        for (int j = 0; j < vectorized; j += 8) {
            for (int k = 0; k < 8; k++) {
                lanes[k] += values[from + j + k];
            }
        }
        float rest = 0;
        for (int j = vectorized; j < count; j++) {
            rest += values[from + j];
        }
        float a0 = lanes[0] + lanes[4];
        float a1 = lanes[1] + lanes[5];
        float a2 = lanes[2] + lanes[6];
        float a3 = lanes[3] + lanes[7];
        float folded = (a0 + a2) + (a1 + a3);
        return (rest + folded) / count;
    }

    /** Python's bytes order on the UTF-8 forms (unsigned bytes, a prefix first), which numpy's sort uses. */
    static int compareUtf8(String a, String b) {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] y = b.getBytes(StandardCharsets.UTF_8);
        return Arrays.compareUnsigned(x, y);
    }
}
