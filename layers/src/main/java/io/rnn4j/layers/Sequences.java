package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Keras's {@code pad_sequences}: sequences of different lengths made one batch, padded (and cut)
 * to one length, for a model whose Masking or {@code Embedding(mask_zero)} then skips the padding.
 *
 * <pre>{@code
 * List<float[]> reviews = List.of(new float[] {4, 9}, new float[] {7, 1, 3});
 * Tensor ids = Sequences.pad(reviews);                              // (2, 3): [[0, 4, 9], [7, 1, 3]]
 * Tensor cut = Sequences.pad(reviews, 200, Side.POST, Side.POST, 0f); // maxlen=200, padding="post", truncating="post"
 * Tensor fromInts = Sequences.padInts(List.of(new int[] {4, 9}, new int[] {7, 1, 3})); // the same as ids
 * }</pre>
 *
 * <p>Values are kept as given, as Keras with {@code dtype="float32"} (its default int32 would
 * truncate them); token ids are exact in float32 up to 2^24.
 */
public final class Sequences {
    /** {@code maxlen} for the longest sequence's length (Keras's {@code maxlen=None}). */
    public static final int LONGEST = -1;
    /** 2^24: every integer up to it (in magnitude) is exact in float32. */
    private static final int FLOAT_EXACT = 1 << 24;

    /** Where padding goes, or where a sequence longer than {@code maxlen} loses its values. */
    public enum Side {
        /** At the start (Keras's default for both padding and truncating). */
        PRE,
        /** At the end. */
        POST
    }

    private Sequences() {
    }

    /**
     * Sequences of scalars as a (samples, longest) tensor, zeros in front: Keras's defaults. For
     * token ids held as {@code int[]}, {@link #padInts(List)}.
     */
    public static Tensor pad(List<float[]> sequences) {
        return pad(sequences, LONGEST, Side.PRE, Side.PRE, 0f);
    }

    /**
     * Sequences of scalars as a (samples, maxlen) tensor.
     *
     * @param maxlen     the length of every row, or {@link #LONGEST}
     * @param padding    where {@code value} fills a shorter sequence
     * @param truncating which end of a longer sequence is dropped
     * @throws IllegalArgumentException for a null sequence or a maxlen below 0 (other than LONGEST)
     */
    public static Tensor pad(List<float[]> sequences, int maxlen, Side padding, Side truncating, float value) {
        return padded(sequences, 1, maxlen, padding, truncating, value, false);
    }

    /**
     * Token ids as they usually come, {@code int[]} per sequence, as a (samples, longest) tensor
     * with zeros in front: Keras's {@code pad_sequences(sequences)} with its defaults.
     *
     * @throws IllegalArgumentException as {@link #padInts(List, int, Side, Side, int)}
     */
    public static Tensor padInts(List<int[]> sequences) {
        return padInts(sequences, LONGEST, Side.PRE, Side.PRE, 0);
    }

    /**
     * Integer sequences (token ids) as a (samples, maxlen) tensor: Keras's
     * {@code pad_sequences(sequences, maxlen, padding=..., truncating=..., value=...)} with its
     * default {@code dtype="int32"}, whose rows this gives as float32 (rnn4j's tensors, and what
     * Embedding takes). Every id and {@code value} must lie within ±2^24, where float32 holds
     * each integer exactly.
     *
     * @param maxlen     the length of every row, or {@link #LONGEST}
     * @param padding    where {@code value} fills a shorter sequence
     * @param truncating which end of a longer sequence is dropped
     * @throws IllegalArgumentException for a null sequence, a maxlen below 0 (other than LONGEST),
     *                                  or an id or value float32 cannot hold exactly, naming it
     */
    public static Tensor padInts(List<int[]> sequences, int maxlen, Side padding, Side truncating, int value) {
        if (sequences == null) {
            throw new IllegalArgumentException("pad_sequences: sequences must not be null");
        }
        checkExact(value, "value");
        List<float[]> floats = new ArrayList<>(sequences.size());
        for (int i = 0; i < sequences.size(); i++) {
            int[] s = sequences.get(i);
            if (s == null) {
                throw new IllegalArgumentException("pad_sequences: sequence " + i + " is null");
            }
            float[] f = new float[s.length];
            for (int t = 0; t < s.length; t++) {
                checkExact(s[t], "sequence " + i + " step " + t);
                f[t] = s[t];
            }
            floats.add(f);
        }
        return padded(floats, 1, maxlen, padding, truncating, value, false);
    }

    /** An int outside ±2^24 would change in float32 (16777217 becomes 16777216): refused, not silently moved. */
    private static void checkExact(int v, String what) {
        if (Math.abs((long) v) > FLOAT_EXACT) {
            throw new IllegalArgumentException("pad_sequences: " + what + " is " + v + ", beyond what float32 holds "
                    + "exactly (integers within ±" + FLOAT_EXACT + ")");
        }
    }

    /**
     * Sequences of vectors as a (samples, maxlen, features) tensor: each array holds its steps one
     * after another, {@code features} values each (Keras's sequences of shape (steps, features)).
     *
     * @throws IllegalArgumentException for a null sequence, an array that is not whole steps of
     *                                  {@code features}, features below 1 or a bad maxlen
     */
    public static Tensor padSteps(List<float[]> sequences, int features, int maxlen, Side padding, Side truncating,
            float value) {
        if (features < 1) {
            throw new IllegalArgumentException("pad_sequences: features must be >= 1, got " + features);
        }
        return padded(sequences, features, maxlen, padding, truncating, value, true);
    }

    private static Tensor padded(List<float[]> sequences, int features, int maxlen, Side padding, Side truncating,
            float value, boolean steps) {
        if (sequences == null) {
            throw new IllegalArgumentException("pad_sequences: sequences must not be null");
        }
        if (padding == null || truncating == null) {
            throw new IllegalArgumentException("pad_sequences: padding and truncating must be PRE or POST, got "
                    + padding + " and " + truncating);
        }
        if (maxlen < 0 && maxlen != LONGEST) {
            throw new IllegalArgumentException("pad_sequences: maxlen must be >= 0 or LONGEST, got " + maxlen);
        }
        int n = sequences.size();
        int longest = 0;
        for (int i = 0; i < n; i++) {
            float[] s = sequences.get(i);
            if (s == null) {
                throw new IllegalArgumentException("pad_sequences: sequence " + i + " is null");
            }
            if (s.length % features != 0) {
                throw new IllegalArgumentException("pad_sequences: sequence " + i + " holds " + s.length
                        + " values, not whole steps of " + features + " features");
            }
            longest = Math.max(longest, s.length / features);
        }
        int length = maxlen == LONGEST ? longest : maxlen;
        long total = (long) n * length * features;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("pad_sequences: " + n + " sequences of " + length + " steps of "
                    + features + " values exceed a Java array (" + total + " values)");
        }
        float[] out = new float[(int) total];
        Arrays.fill(out, value);
        int row = length * features;
        for (int i = 0; i < n; i++) {
            float[] s = sequences.get(i);
            int have = s.length / features;
            int kept = Math.min(have, length);
            int from = truncating == Side.PRE ? have - kept : 0;
            int to = padding == Side.PRE ? length - kept : 0;
            System.arraycopy(s, from * features, out, i * row + to * features, kept * features);
        }
        return steps ? Tensor.of(out, n, length, features) : Tensor.of(out, n, length);
    }
}
