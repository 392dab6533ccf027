package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.internal.StringHashes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Keras's IndexLookup (index_lookup.py), behind TextVectorization, StringLookup and IntegerLookup (its
 * integer tokens as decimal strings here): a vocabulary of
 * string tokens, its special tokens (the mask token, then the OOV token(s)), Keras's set_vocabulary
 * checks, adapt's order and idf weights, and the bincount of multi_hot / count / tf_idf. Immutable;
 * the layers replace theirs whole.
 *
 * @param spec   the options it was made with
 * @param tokens the learned (or given) tokens, without the special ones
 * @param ids    each token's id
 * @param idf    tf_idf's weight per id, or null
 */
record IndexLookup(Spec spec, List<String> tokens, Map<String, Integer> ids, float[] idf) {
    /** Ids above 2^24 would not be exact in float32. */
    static final int MAX_VOCABULARY = 1 << 24;

    /**
     * The options a lookup depends on: Keras's names.
     *
     * @param mode    "int", "one_hot", "multi_hot", "count" or "tf_idf"
     * @param mask    the mask token, or null (none)
     * @param numOov  how many OOV indices (0: an unknown token is an error)
     * @param oovHash how an unknown token picks one of several OOV indices
     */
    record Spec(String layer, String mode, Integer maxTokens, boolean padToMaxTokens, String mask, String oov,
            int numOov, OovHash oovHash) {
        /** A spec whose several OOV indices, if any, are picked with FarmHash (Keras's way for strings). */
        Spec(String layer, String mode, Integer maxTokens, boolean padToMaxTokens, String mask, String oov,
                int numOov) {
            this(layer, mode, maxTokens, padToMaxTokens, mask, oov, numOov, OovHash.FARMHASH);
        }

        /** Where the OOV ids start: after the mask's 0 in int mode. */
        int oovStart() {
            return mask != null && mode.equals("int") ? 1 : 0;
        }

        int tokenStart() {
            return oovStart() + numOov;
        }

        /** The tokens before the learned ones: the mask (int mode), then the OOV token. */
        List<String> specials() {
            List<String> s = new ArrayList<>();
            if (oovStart() == 1) {
                s.add(mask);
            }
            for (int i = 0; i < numOov; i++) {
                s.add(oov);
            }
            return s;
        }

        /** The length of multi_hot, count and tf_idf vectors. */
        int depth(int vocabularySize) {
            return padToMaxTokens && maxTokens != null ? maxTokens : vocabularySize;
        }
    }

    /**
     * How Keras spreads unknown tokens over {@code num_oov_indices > 1} (index_lookup.py's
     * _lookup_dense): {@code floormod} takes an integer token modulo their count (IntegerLookup's
     * default); otherwise the token (an integer as its decimal string) is hashed into them with
     * FarmHash, or SipHash-2-4 keyed by {@code salt}.
     *
     * @param floormod whether it is IntegerLookup's floormod
     * @param salt     {k0, k1} for SipHash, or null
     */
    record OovHash(boolean floormod, long[] salt) {
        static final OovHash FARMHASH = new OovHash(false, null);

        /** The OOV index, from 0, of {@code token} among {@code n}. */
        long bucket(String token, int n) {
            return floormod ? Math.floorMod(Long.parseLong(token), n) : StringHashes.bucket(token, n, salt);
        }
    }

    static IndexLookup empty(Spec spec) {
        return new IndexLookup(spec, List.of(), Map.of(), null);
    }

    int size() {
        return spec.tokenStart() + tokens.size();
    }

    /** Keras's get_vocabulary(include_special_tokens). */
    List<String> vocabulary(boolean includeSpecialTokens) {
        if (!includeSpecialTokens) {
            return tokens;
        }
        List<String> out = new ArrayList<>(spec.specials());
        out.addAll(tokens);
        return out;
    }

    /**
     * Keras's set_vocabulary: the special tokens may lead the list or be left out; no repeats, no
     * mask token elsewhere, within max_tokens; tf_idf's weights (one per entry) get the OOV weight
     * (their average) in front when the special tokens were left out, and zeros up to max_tokens
     * with pad_to_max_tokens.
     */
    static IndexLookup of(Spec spec, List<String> given, double[] idf) {
        return of(spec, given, idf, false);
    }

    /**
     * As {@link #of(Spec, List, double[])}; with {@code invert} (ids to tokens) the OOV token, which
     * an unknown id gives, may also not appear among the tokens, as Keras raises.
     */
    static IndexLookup of(Spec spec, List<String> given, double[] idf, boolean invert) {
        String name = spec.layer();
        Objects.requireNonNull(given, "vocabulary");
        if (spec.mode().equals("tf_idf") && idf == null) {
            throw new IllegalArgumentException(name + ": `idf_weights` must be set if output_mode is 'tf_idf'.");
        }
        if (!spec.mode().equals("tf_idf") && idf != null) {
            throw new IllegalArgumentException(name + ": `idf_weights` should only be set if output_mode is "
                    + "`'tf_idf'`. Received: output_mode=" + spec.mode());
        }
        if (given.isEmpty()) {
            throw new IllegalArgumentException(name + ": Cannot set an empty vocabulary.");
        }
        for (int i = 0; i < given.size(); i++) {
            TextTokens.checkUnicode(name, i, Objects.requireNonNull(given.get(i), "vocabulary entry " + i));
        }
        List<String> special = spec.specials();
        boolean found = given.size() >= special.size() && given.subList(0, special.size()).equals(special);
        List<String> tokens = found ? given.subList(special.size(), given.size()) : given;
        Set<String> seen = new HashSet<>();
        Set<String> repeated = new LinkedHashSet<>();
        for (String t : tokens) {
            if (!seen.add(t)) {
                repeated.add(t);
            }
        }
        if (!repeated.isEmpty()) {
            throw new IllegalArgumentException(name + ": The passed vocabulary has at least one repeated term. "
                    + "Please uniquify your dataset. The repeated terms are: " + repeated);
        }
        if (spec.mask() != null && seen.contains(spec.mask())) {
            throw new IllegalArgumentException(name + ": Found reserved mask token \"" + spec.mask() + "\" at "
                    + "unexpected location in `vocabulary` (index " + given.lastIndexOf(spec.mask()) + "): include the "
                    + "special tokens " + special + " only at the start of the vocabulary, in this order, or leave "
                    + "them out");
        }
        if (invert && seen.contains(spec.oov())) {
            throw new IllegalArgumentException(name + ": Found reserved OOV token at unexpected location in "
                    + "`vocabulary`. Note that passed `vocabulary` does not need to include the OOV and mask tokens. "
                    + "Either remove all mask and OOV tokens, or include them only at the start of the vocabulary in "
                    + "precisely this order: " + special + ". Received: oov_token=" + spec.oov() + " at vocabulary "
                    + "index [" + given.lastIndexOf(spec.oov()) + "]");
        }
        int size = spec.tokenStart() + tokens.size();
        if (spec.maxTokens() != null && size > spec.maxTokens()) {
            throw new IllegalArgumentException(name + ": Attempted to set a vocabulary larger than the maximum vocab "
                    + "size. Received vocabulary size is " + size + "; `max_tokens` is " + spec.maxTokens() + ".");
        }
        float[] weights = null;
        if (idf != null) {
            if (idf.length != given.size()) {
                throw new IllegalArgumentException(name + ": `idf_weights` must be the same length as vocabulary. "
                        + "len(idf_weights) is " + idf.length + "; len(vocabulary) is " + given.size());
            }
            int front = found ? 0 : spec.tokenStart();
            weights = new float[spec.padToMaxTokens() && spec.maxTokens() != null ? spec.maxTokens()
                    : front + idf.length];
            Arrays.fill(weights, 0, front, (float) (Arrays.stream(idf).sum() / idf.length)); // np.average
            for (int i = 0; i < idf.length; i++) {
                weights[front + i] = (float) idf[i];
            }
        }
        return install(spec, List.copyOf(tokens), weights);
    }

    private static IndexLookup install(Spec spec, List<String> tokens, float[] idf) {
        if (spec.tokenStart() + tokens.size() > MAX_VOCABULARY) {
            throw new IllegalArgumentException(spec.layer() + ": a vocabulary of " + (spec.tokenStart()
                    + tokens.size()) + " entries: rnn4j's float32 ids are exact up to 2^24 = " + MAX_VOCABULARY);
        }
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            ids.put(tokens.get(i), spec.tokenStart() + i);
        }
        return new IndexLookup(spec, tokens, Map.copyOf(ids), idf);
    }

    /**
     * Keras's adapt over documents of tokens: counted, the mask and OOV tokens left out, most frequent
     * first, ties in descending order of the UTF-8 bytes (numpy's lexsort, reversed), cut to
     * max_tokens; for tf_idf each token's {@code log(1 + documents / (1 + documents holding it))} and
     * the OOV token's, their mean. Null when the documents hold no token (Keras then keeps the
     * vocabulary it had).
     */
    static IndexLookup adapt(Spec spec, List<List<String>> documents) {
        return adapt(spec, documents, TextTokens::compareUtf8);
    }

    /**
     * As {@link #adapt(Spec, List)}, ties between equally frequent tokens broken in descending
     * {@code tokenOrder} (IntegerLookup's tokens are numbers, which numpy's lexsort orders as such).
     */
    static IndexLookup adapt(Spec spec, List<List<String>> documents, Comparator<String> tokenOrder) {
        Map<String, Long> counts = new HashMap<>();
        Map<String, Long> holding = new HashMap<>();
        for (List<String> doc : documents) {
            for (String t : doc) {
                counts.merge(t, 1L, Long::sum);
            }
            for (String t : new HashSet<>(doc)) {
                holding.merge(t, 1L, Long::sum);
            }
        }
        if (counts.isEmpty()) {
            return null;
        }
        if (spec.mask() != null) {
            counts.remove(spec.mask());
        }
        counts.remove(spec.oov());
        List<String> order = new ArrayList<>(counts.keySet());
        order.sort((a, b) -> {
            int byCount = Long.compare(counts.get(b), counts.get(a));
            return byCount != 0 ? byCount : tokenOrder.compare(b, a);
        });
        int start = spec.tokenStart();
        if (spec.maxTokens() != null && order.size() > spec.maxTokens() - start) {
            order = order.subList(0, spec.maxTokens() - start);
        }
        float[] idf = null;
        if (spec.mode().equals("tf_idf")) {
            idf = new float[spec.padToMaxTokens() && spec.maxTokens() != null ? spec.maxTokens()
                    : start + order.size()];
            for (int i = 0; i < order.size(); i++) {
                // int64 / int64 is float64 true division in TensorFlow; the log is cast to float32.
                idf[start + i] = (float) Math.log(1 + (double) documents.size() / (1 + holding.get(order.get(i))));
            }
            Arrays.fill(idf, 0, start, TextTokens.tfMean(idf, start, order.size()));
        }
        return install(spec, List.copyOf(order), idf);
    }

    /**
     * A token's id: the mask token's 0 in int mode (-2, dropped, otherwise), its own, or an OOV id
     * (the one, or with several the one {@link OovHash} picks).
     *
     * @throws IllegalArgumentException for a token outside the vocabulary with no OOV index, as Keras raises
     */
    int id(String token) {
        if (spec.mask() != null && spec.mask().equals(token)) {
            return spec.mode().equals("int") ? 0 : -2;
        }
        Integer id = ids.get(token);
        if (id != null) {
            return id;
        }
        if (spec.numOov() == 0) {
            throw new IllegalArgumentException(spec.layer() + ": When `num_oov_indices=0` all inputs should be in "
                    + "vocabulary, found OOV value '" + token + "', consider setting `num_oov_indices=1`.");
        }
        return spec.numOov() == 1 ? spec.oovStart()
                : spec.oovStart() + (int) spec.oovHash().bucket(token, spec.numOov());
    }

    /**
     * Keras's inverted lookup (invert=True, int mode) of one id: the mask token for 0 when there is
     * one, a learned token for its id, the OOV token for any other id (the OOV ids, negatives, ids
     * past the vocabulary), as Keras's table default.
     */
    String token(long id) {
        if (spec.mask() != null && id == 0) {
            return spec.mask();
        }
        long k = id - spec.tokenStart();
        return k >= 0 && k < tokens.size() ? tokens.get((int) k) : spec.oov();
    }

    /** multi_hot, count or tf_idf of each row of tokens: {@code (rows, depth)}; the mask token counts for nothing. */
    Tensor bincount(List<List<String>> rows) {
        String mode = spec.mode();
        if (mode.equals("tf_idf") && idf == null) {
            throw new IllegalStateException(spec.layer() + ": When `output_mode` is `'tf_idf'`, `idf_weights` must be "
                    + "provided (adapt, or set a vocabulary with its idf weights).");
        }
        int depth = spec.depth(size());
        float[] out = new float[rows.size() * depth];
        for (int b = 0; b < rows.size(); b++) {
            for (String tok : rows.get(b)) {
                int id = id(tok);
                if (id >= 0 && id < depth) {
                    out[b * depth + id] = mode.equals("multi_hot") ? 1 : out[b * depth + id] + 1;
                }
            }
            if (mode.equals("tf_idf")) {
                for (int i = 0; i < depth; i++) {
                    out[b * depth + i] = out[b * depth + i] * (i < idf.length ? idf[i] : 0f);
                }
            }
        }
        return Tensor.of(out, rows.size(), depth);
    }
}
