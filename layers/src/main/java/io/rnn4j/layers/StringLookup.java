package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.internal.AutoNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Keras's {@code StringLookup} (Keras 3, TensorFlow backend): string tokens, as given (no
 * standardizing or splitting), to ids ({@code output_mode="int"}) or to one_hot / multi_hot / count /
 * tf_idf vectors, as float32 tensors.
 *
 * <pre>{@code
 * StringLookup colours = new StringLookup().maskToken("");
 * colours.adapt(List.of(List.of("red", "green"), List.of("red", "")));
 * Tensor ids = colours.apply(List.of(List.of("red", "pink")));  // [[2, 1]]: 0 mask, 1 OOV, then by frequency
 * }</pre>
 *
 * <p>Like {@link TextVectorization} it is not a {@link Layer} but a preprocessor in front of a model
 * (a loaded {@code .keras} model whose string input goes straight into one holds it); it may be
 * called from many threads at once. Each call takes rows of tokens of one length, Keras's
 * {@code (batch, n)} string tensor. Keras's defaults: no mask token, one OOV index ("[UNK]", id 0
 * without a mask token, 1 with one); with several, an unknown token gets the one its FarmHash
 * (SipHash with a salt) picks, as Keras.
 *
 * <p>With {@link #invert(boolean) invert} (int mode only) it maps ids back to tokens, Keras's
 * {@code StringLookup(vocabulary=..., invert=True)}: {@link #applyIds} takes a {@code (batch, n)}
 * tensor of ids (a model's output; float32, cast toward zero as Keras's int64 cast) and gives rows of
 * strings, {@link #token(long)} one id's; 0 gives the mask token when there is one, a learned
 * token's id the token, and any other id (the OOV ids, a negative, one past the vocabulary) the OOV
 * token, as Keras's table default.
 */
public final class StringLookup {
    /** Keras's {@code output_mode}. */
    public enum OutputMode {
        /** One id per token (the default). */
        INT("int"),
        /** One vector per token: 1 at its id; a row of one token gives one vector per row. */
        ONE_HOT("one_hot"),
        /** One vector per row: 1 at the id of each token in it. */
        MULTI_HOT("multi_hot"),
        /** As MULTI_HOT, with how many times each id occurs. */
        COUNT("count"),
        /** As COUNT, each count multiplied by the id's inverse document frequency. */
        TF_IDF("tf_idf");

        private final String keras;

        OutputMode(String keras) {
            this.keras = keras;
        }

        /** The value Keras's config writes. */
        public String kerasName() {
            return keras;
        }
    }

    private String name = AutoNames.next("string_lookup");
    private Integer maxTokens;
    private int numOovIndices = 1;
    private long[] salt;
    private String maskToken;
    private String oovToken = TextVectorization.OOV_TOKEN;
    private OutputMode outputMode = OutputMode.INT;
    private boolean padToMaxTokens;
    private boolean invert;
    private List<String> inputVocabulary;
    private double[] inputIdfWeights;
    /** The vocabulary, replaced whole; null until adapted or set. */
    private volatile IndexLookup lookup;

    /** A StringLookup with Keras's defaults. */
    public StringLookup() {
    }

    /** Renames it (Keras's {@code name}). */
    public StringLookup named(String newName) {
        this.name = Objects.requireNonNull(newName, "name");
        return this;
    }

    /** Its name. */
    public String name() {
        return name;
    }

    /**
     * Keras's {@code max_tokens}: the largest vocabulary, the mask and OOV tokens included.
     *
     * @throws IllegalArgumentException unless greater than 1 (Keras's rule)
     */
    public StringLookup maxTokens(int max) {
        beforeVocabulary("max_tokens");
        if (max <= 1) {
            throw new IllegalArgumentException(name + ": If set, `max_tokens` must be greater than 1. Received: "
                    + "max_tokens=" + max);
        }
        this.maxTokens = max;
        return this;
    }

    /**
     * Keras's {@code num_oov_indices}: 1 (the default); 0, where a token outside the vocabulary is an
     * error; or more, over which such tokens are spread by their FarmHash (SipHash with a
     * {@link #salt}), as Keras does.
     *
     * @throws IllegalArgumentException for fewer than 0, as Keras raises
     */
    public StringLookup numOovIndices(int n) {
        beforeVocabulary("num_oov_indices");
        if (n < 0) {
            throw new IllegalArgumentException(name + ": `num_oov_indices` must be greater than or equal to 0. "
                    + "Received: num_oov_indices=" + n);
        }
        this.numOovIndices = n;
        return this;
    }

    /**
     * Keras's {@code salt=[k0, k1]} (only used with several OOV indices): unknown tokens are spread
     * over them by SipHash-2-4 keyed by the two numbers instead of FarmHash.
     */
    public StringLookup salt(long k0, long k1) {
        beforeVocabulary("salt");
        this.salt = new long[] {k0, k1};
        return this;
    }

    /** Keras's {@code salt=n}: as {@code salt(n, n)}. */
    public StringLookup salt(long value) {
        return salt(value, value);
    }

    /** Keras's salt as its config writes it ({@code [k0, k1]}), or null. */
    public long[] salt() {
        return salt == null ? null : salt.clone();
    }

    /** Keras's {@code mask_token}: a token that maps to 0 in int mode and counts for nothing otherwise; null for none. */
    public StringLookup maskToken(String token) {
        beforeVocabulary("mask_token");
        this.maskToken = token;
        return this;
    }

    /** Keras's {@code oov_token} ("[UNK]"): what get_vocabulary shows for the OOV id. */
    public StringLookup oovToken(String token) {
        beforeVocabulary("oov_token");
        this.oovToken = Objects.requireNonNull(token, "oov_token");
        return this;
    }

    /** Keras's {@code output_mode}. */
    public StringLookup outputMode(OutputMode mode) {
        beforeVocabulary("output_mode");
        Objects.requireNonNull(mode, "outputMode");
        if (invert && mode != OutputMode.INT) {
            throw notIntMode(mode);
        }
        this.outputMode = mode;
        return this;
    }

    /**
     * Keras's {@code invert}: ids to tokens ({@link #applyIds}) instead of tokens to ids; the
     * vocabulary is adapted or set as without it.
     *
     * @throws IllegalArgumentException unless output_mode is int, as Keras raises
     */
    public StringLookup invert(boolean on) {
        beforeVocabulary("invert");
        if (on && outputMode != OutputMode.INT) {
            throw notIntMode(outputMode);
        }
        this.invert = on;
        return this;
    }

    private IllegalArgumentException notIntMode(OutputMode mode) {
        return new IllegalArgumentException(name + ": `output_mode` must be `'int'` when `invert` is true. "
                + "Received: output_mode=" + mode.kerasName());
    }

    /** Keras's invert. */
    public boolean invert() {
        return invert;
    }

    /** Keras's {@code pad_to_max_tokens} (vector modes): vectors of max_tokens entries. */
    public StringLookup padToMaxTokens(boolean on) {
        beforeVocabulary("pad_to_max_tokens");
        if (on && maxTokens == null) {
            throw new IllegalArgumentException(name + ": If pad_to_max_tokens is True, must set `max_tokens` "
                    + "(set maxTokens first). Received: max_tokens=None");
        }
        this.padToMaxTokens = on;
        return this;
    }

    /**
     * Keras's {@code vocabulary=} (and {@code idf_weights=}) constructor argument: set here and kept in
     * the saved config; such a layer cannot be adapted.
     */
    public StringLookup vocabularyArgument(List<String> vocabulary, double[] idfWeights) {
        this.lookup = IndexLookup.of(spec(), vocabulary, idfWeights, invert);
        this.inputVocabulary = List.copyOf(vocabulary);
        this.inputIdfWeights = idfWeights == null ? null : idfWeights.clone();
        return this;
    }

    private void beforeVocabulary(String option) {
        if (lookup != null) {
            throw new IllegalStateException(name + ": set " + option + " before the vocabulary (Keras takes it as "
                    + "a constructor argument)");
        }
    }

    private IndexLookup.Spec spec() {
        return new IndexLookup.Spec(name, outputMode.kerasName(), maxTokens, padToMaxTokens, maskToken, oovToken,
                numOovIndices, new IndexLookup.OovHash(false, salt));
    }

    private IndexLookup current() {
        IndexLookup l = lookup;
        return l != null ? l : IndexLookup.empty(spec());
    }

    /** Keras's max_tokens, or null. */
    public Integer maxTokens() {
        return maxTokens;
    }

    /** Keras's num_oov_indices. */
    public int numOovIndices() {
        return numOovIndices;
    }

    /** Keras's mask_token, or null. */
    public String maskToken() {
        return maskToken;
    }

    /** Keras's oov_token. */
    public String oovToken() {
        return oovToken;
    }

    /** Keras's output_mode. */
    public OutputMode outputMode() {
        return outputMode;
    }

    /** Keras's pad_to_max_tokens. */
    public boolean padToMaxTokens() {
        return padToMaxTokens;
    }

    /** The {@code vocabulary=} argument as given, or null. */
    public List<String> vocabularyArgument() {
        return inputVocabulary;
    }

    /** The {@code idf_weights=} argument as given, or null. */
    public double[] idfWeightsArgument() {
        return inputIdfWeights == null ? null : inputIdfWeights.clone();
    }

    /** Keras's get_vocabulary(): the mask token (int mode, when set), the OOV token, then the learned tokens. */
    public List<String> vocabulary() {
        return current().vocabulary(true);
    }

    /** Keras's vocabulary_size(). */
    public int vocabularySize() {
        return current().size();
    }

    /** tf_idf's weight per id, or null. */
    public float[] idfWeights() {
        float[] w = current().idf();
        return w == null ? null : w.clone();
    }

    /** Keras's {@code set_vocabulary(vocabulary, idf_weights)} (idf weights for tf_idf only, else null). */
    public void setVocabulary(List<String> vocabulary, double[] idfWeights) {
        this.lookup = IndexLookup.of(spec(), vocabulary, idfWeights, invert);
    }

    /** {@link #setVocabulary(List, double[])} without idf weights (every mode but tf_idf). */
    public void setVocabulary(List<String> vocabulary) {
        setVocabulary(vocabulary, null);
    }

    /**
     * Keras's {@code adapt(rows)}: every token counted (each row a document for tf_idf), the mask and
     * OOV tokens left out, most frequent first, ties in descending order of the UTF-8 bytes, cut to
     * max_tokens.
     *
     * @throws IllegalStateException after a vocabulary argument, as Keras raises
     */
    public void adapt(List<List<String>> rows) {
        if (inputVocabulary != null) {
            throw new IllegalStateException(name + ": Cannot adapt layer '" + name + "' after setting a static "
                    + "vocabulary via `vocabulary` argument or `set_vocabulary()` method.");
        }
        IndexLookup adapted = IndexLookup.adapt(spec(), checked(rows, -1));
        if (adapted != null) {
            this.lookup = adapted;
        }
    }

    /**
     * The shape of one row's output for rows of {@code n} tokens: {@code (n)} ids, {@code (depth)} for
     * one_hot of one token and the vector modes, {@code (n, depth)} for one_hot of more.
     */
    public int[] outputShape(int n) {
        int depth = spec().depth(vocabularySize());
        return switch (outputMode) {
            case INT -> new int[] {n};
            case ONE_HOT -> n == 1 ? new int[] {depth} : new int[] {n, depth};
            default -> new int[] {depth};
        };
    }

    /**
     * Keras's {@code layer(rows)}: rows of tokens, all of one length n, to {@code (rows, n)} ids, or
     * vectors as {@link #outputShape(int)} says.
     *
     * @throws IllegalArgumentException for rows of different lengths, a null token, a lone
     *                                  surrogate, or (num_oov_indices=0) a token outside the vocabulary
     * @throws IllegalStateException    without a vocabulary, as Keras raises
     */
    public Tensor apply(List<List<String>> rows) {
        if (invert) {
            throw new IllegalStateException(name + ": invert=True maps ids to tokens: give it ids with applyIds, "
                    + "not strings (Keras cannot cast a string to its int64 ids either)");
        }
        IndexLookup v = ready();
        int n = rows.isEmpty() ? 0 : rows.get(0).size();
        List<List<String>> checked = checked(rows, n);
        if (outputMode == OutputMode.MULTI_HOT || outputMode == OutputMode.COUNT || outputMode == OutputMode.TF_IDF) {
            return v.bincount(checked);
        }
        int depth = outputMode == OutputMode.ONE_HOT ? spec().depth(v.size()) : 1;
        float[] out = new float[rows.size() * n * depth];
        for (int b = 0; b < rows.size(); b++) {
            for (int t = 0; t < n; t++) {
                int id = v.id(checked.get(b).get(t));
                if (outputMode == OutputMode.INT) {
                    out[b * n + t] = id;
                } else if (id >= 0 && id < depth) { // the mask token's one_hot is all zeros
                    out[(b * n + t) * depth + id] = 1;
                }
            }
        }
        int[] sample = outputShape(n);
        int[] dims = new int[sample.length + 1];
        dims[0] = rows.size();
        System.arraycopy(sample, 0, dims, 1, sample.length);
        return Tensor.of(out, dims);
    }

    /**
     * Keras's {@code layer(ids)} with invert: a {@code (batch, n)} tensor of ids to rows of n tokens.
     *
     * @throws IllegalStateException    without invert, or without a vocabulary
     * @throws IllegalArgumentException for another rank, or a NaN or infinite id
     */
    public List<List<String>> applyIds(Tensor ids) {
        IndexLookup v = inverted();
        int[] d = ids.shape().dims();
        if (d.length != 2) {
            throw new IllegalArgumentException(name + ": applyIds takes ids of shape (batch, n), got "
                    + ids.shape());
        }
        float[] x = ids.toArray();
        List<List<String>> rows = new ArrayList<>(d[0]);
        for (int b = 0; b < d[0]; b++) {
            List<String> row = new ArrayList<>(d[1]);
            for (int t = 0; t < d[1]; t++) {
                row.add(v.token(id(x[b * d[1] + t])));
            }
            rows.add(List.copyOf(row));
        }
        return List.copyOf(rows);
    }

    /**
     * Keras's inverted lookup of one id: the mask token for 0 when set, a learned token for its id,
     * the OOV token for any other.
     *
     * @throws IllegalStateException without invert, or without a vocabulary
     */
    public String token(long id) {
        return inverted().token(id);
    }

    private IndexLookup inverted() {
        if (!invert) {
            throw new IllegalStateException(name + ": ids to tokens needs invert=True (Keras's "
                    + "StringLookup(invert=True)); this layer maps tokens to ids with apply");
        }
        return ready();
    }

    private IndexLookup ready() {
        IndexLookup v = lookup;
        if (v == null) {
            throw new IllegalStateException(name + ": the layer has no vocabulary yet; adapt it or set one (Keras "
                    + "raises 'Table not initialized')");
        }
        return v;
    }

    /** A float32 id as Keras's cast to int64: toward zero; NaN and infinities have no id. */
    private long id(float x) {
        if (!Float.isFinite(x)) {
            throw new IllegalArgumentException(name + ": expected integer ids, got " + x);
        }
        return (long) x;
    }

    private List<List<String>> checked(List<List<String>> rows, int length) {
        Objects.requireNonNull(rows, "rows");
        for (int b = 0; b < rows.size(); b++) {
            List<String> row = Objects.requireNonNull(rows.get(b), "row " + b);
            if (length >= 0 && row.size() != length) {
                throw new IllegalArgumentException(name + ": row " + b + " has " + row.size() + " tokens, row 0 has "
                        + length + ": expected rows of one length (Keras's (batch, n) string tensor)");
            }
            for (int t = 0; t < row.size(); t++) {
                TextTokens.checkUnicode(name, b, Objects.requireNonNull(row.get(t), "row " + b + " token " + t));
            }
        }
        return rows;
    }

    @Override
    public String toString() {
        return "StringLookup '" + name + "' (" + outputMode.kerasName() + (invert ? ", invert" : "") + ", vocabulary "
                + vocabularySize() + ")";
    }
}
