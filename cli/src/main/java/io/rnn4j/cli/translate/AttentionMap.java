package io.rnn4j.cli.translate;

import java.io.PrintWriter;

/**
 * Draws attention weights as text: one row per output character, one column per input character,
 * darker where the decoder looked while writing that output character. Each row is scaled to its
 * own maximum, so the place it looked at most is always the darkest.
 */
final class AttentionMap {
    private static final String SHADES = " .:-=+*#%@";

    private AttentionMap() {
    }

    /**
     * @param weights (output length, input length) attention weights, row-major
     * @param source  the input text (its first {@code inputLength} characters are drawn)
     * @param output  the output text, one row per character
     */
    static void print(PrintWriter out, float[] weights, int inputLength, String source, String output) {
        int[] src = source.codePoints().toArray();
        int cols = Math.min(src.length, inputLength);
        StringBuilder header = new StringBuilder("     ");
        for (int j = 0; j < cols; j++) {
            header.append(Character.toString(src[j]));
        }
        out.println(header);
        int[] dst = output.codePoints().toArray();
        for (int i = 0; i < dst.length; i++) {
            float max = 0;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, weights[i * inputLength + j]);
            }
            StringBuilder row = new StringBuilder("  " + Character.toString(dst[i]) + "  ");
            for (int j = 0; j < cols; j++) {
                float w = max > 0 ? weights[i * inputLength + j] / max : 0;
                row.append(SHADES.charAt(Math.min(SHADES.length() - 1, (int) (w * SHADES.length()))));
            }
            out.println(row);
        }
    }
}
