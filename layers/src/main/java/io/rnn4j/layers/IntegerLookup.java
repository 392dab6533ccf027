package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Keras 3's {@code IntegerLookup} preprocessing layer ({@code integer_lookup.py} over
 * {@code index_lookup.py}, TensorFlow backend), inside a model: integer tokens (float32 here) to
 * their vocabulary ids ({@code output_mode="int"}) or to one_hot / multi_hot / count / tf_idf
 * vectors, or with {@code invert} ids back to tokens.
 *
 * <pre>{@code
 * IntegerLookup ids = new IntegerLookup();          // one OOV index (id 0), no mask token
 * ids.adapt(Tensor.of(new float[] {12, 7, 12, 40}, 4));
 * // vocabulary [-1, 12, 40, 7]: the OOV token, then by frequency, ties by larger token first
 * }</pre>
 *
 * <p>Keras's defaults: no mask token, one OOV index (its token -1, id 0 without a mask token, 1 with
 * one), vocabulary unlimited. As in Keras a float input is cast to an integer toward zero; NaN and
 * infinities are refused. Tokens and ids are exact in float32 up to 2^24, so tokens beyond ±2^24
 * are refused. With several OOV indices an unknown token gets the one {@code oov_method} picks
 * (floormod, or the FarmHash / salted SipHash of its decimal string), as Keras. {@code sparse=True}
 * and a vocabulary file are not supported. No weights, no gradient to the input, no mask passed on; the lookup runs on the
 * host, as Keras runs it on the CPU. The vocabulary is replaced whole, so predict may run on many
 * threads while another adapts.
 */
public final class IntegerLookup extends Layer {
    /** Keras's {@code output_mode}. */
    public enum OutputMode {
        /** One id per token (the default). */
        INT("int"),
        /** One vector per token: 1 at its id; a last axis of size 1 is replaced by the vector. */
        ONE_HOT("one_hot"),
        /** One vector per row of tokens: 1 at the id of each. */
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

    /** Keras's {@code oov_method}: how unknown tokens are spread over several OOV indices. */
    public enum OovMethod {
        /** {@code token mod num_oov_indices} (the default). */
        FLOORMOD("floormod"),
        /** The FarmHash (or salted SipHash) of the token's decimal string. */
        FARMHASH("farmhash");

        private final String keras;

        OovMethod(String keras) {
            this.keras = keras;
        }

        /** The value Keras's config writes. */
        public String kerasName() {
            return keras;
        }
    }

    /** Tokens must be exact in float32. */
    static final long MAX_TOKEN = 1L << 24;

    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();
    private Integer maxTokens;
    private int numOovIndices = 1;
    private OovMethod oovMethod = OovMethod.FLOORMOD;
    private long[] salt;
    private Long maskToken;
    private long oovToken = -1;
    private OutputMode outputMode = OutputMode.INT;
    private boolean padToMaxTokens;
    private boolean invert;
    private List<Long> inputVocabulary;
    private double[] inputIdfWeights;
    /** Keras's _frozen_vocab_size: the size the vectors were made for, once known. */
    private Integer frozenSize;
    /** The vocabulary (tokens as decimal strings), replaced whole; null until adapted or set. */
    private volatile IndexLookup lookup;

    /** An IntegerLookup with Keras's defaults. */
    public IntegerLookup() {
        super("integer_lookup");
    }

    @Override
    public IntegerLookup named(String newName) {
        super.named(newName);
        return this;
    }

    /**
     * Keras's {@code max_tokens}: the largest vocabulary, the mask and OOV tokens included.
     *
     * @throws IllegalArgumentException unless greater than 1 (Keras's rule)
     */
    public IntegerLookup maxTokens(int max) {
        beforeVocabulary("max_tokens");
        if (max <= 1) {
            throw new IllegalArgumentException(where() + ": If `max_tokens` is set for `IntegerLookup`, it must be "
                    + "greater than 1. Received: max_tokens=" + max);
        }
        this.maxTokens = max;
        return this;
    }

    /**
     * Keras's {@code num_oov_indices}: 1 (the default); 0, where a token outside the vocabulary is an
     * error; or more, over which such tokens are spread as {@link #oovMethod} says.
     *
     * @throws IllegalArgumentException for fewer than 0, as Keras raises
     */
    public IntegerLookup numOovIndices(int n) {
        beforeVocabulary("num_oov_indices");
        if (n < 0) {
            throw new IllegalArgumentException(where() + ": `num_oov_indices` must be greater than or equal to 0. "
                    + "Received: num_oov_indices=" + n);
        }
        this.numOovIndices = n;
        return this;
    }

    /**
     * Keras's {@code oov_method} (with several OOV indices): {@code floormod} (the default) gives an
     * unknown token {@code token mod num_oov_indices}; {@code farmhash} hashes its decimal string
     * (SipHash-2-4 with a {@link #salt}).
     *
     * @throws IllegalArgumentException for floormod with a salt set, as Keras raises
     */
    public IntegerLookup oovMethod(OovMethod method) {
        beforeVocabulary("oov_method");
        Objects.requireNonNull(method, "oovMethod");
        if (method == OovMethod.FLOORMOD && salt != null) {
            throw saltNeedsFarmhash(method);
        }
        this.oovMethod = method;
        return this;
    }

    /**
     * Keras's {@code salt=[k0, k1]}: SipHash-2-4 keyed by the two numbers for oov_method farmhash.
     *
     * @throws IllegalArgumentException unless oov_method is farmhash (set it first), as Keras raises
     */
    public IntegerLookup salt(long k0, long k1) {
        beforeVocabulary("salt");
        if (oovMethod != OovMethod.FARMHASH) {
            throw saltNeedsFarmhash(oovMethod);
        }
        this.salt = new long[] {k0, k1};
        return this;
    }

    /** Keras's {@code salt=n}: as {@code salt(n, n)}. */
    public IntegerLookup salt(long value) {
        return salt(value, value);
    }

    private IllegalArgumentException saltNeedsFarmhash(OovMethod method) {
        return new IllegalArgumentException(where() + ": `salt` can only be used when `oov_method='farmhash'`. "
                + "Received: oov_method=" + method.kerasName());
    }

    /** Keras's oov_method. */
    public OovMethod oovMethod() {
        return oovMethod;
    }

    /** Keras's salt as its config writes it ({@code [k0, k1]}), or null. */
    public long[] salt() {
        return salt == null ? null : salt.clone();
    }

    /** Keras's {@code mask_token}: a token that maps to id 0 in int mode and counts for nothing otherwise; null for none. */
    public IntegerLookup maskToken(Long token) {
        beforeVocabulary("mask_token");
        this.maskToken = token == null ? null : checkedToken(token, "mask_token");
        return this;
    }

    /** Keras's {@code oov_token} (-1): left out of adapt, and what invert gives for an unknown id. */
    public IntegerLookup oovToken(long token) {
        beforeVocabulary("oov_token");
        this.oovToken = checkedToken(token, "oov_token");
        return this;
    }

    /** Keras's {@code output_mode}. */
    public IntegerLookup outputMode(OutputMode mode) {
        beforeVocabulary("output_mode");
        Objects.requireNonNull(mode, "outputMode");
        if (invert && mode != OutputMode.INT) {
            throw new IllegalArgumentException(where() + ": `output_mode` must be `'int'` when `invert` is true. "
                    + "Received: output_mode=" + mode.kerasName());
        }
        this.outputMode = mode;
        return this;
    }

    /** Keras's {@code pad_to_max_tokens} (vector modes): vectors of max_tokens entries. */
    public IntegerLookup padToMaxTokens(boolean on) {
        beforeVocabulary("pad_to_max_tokens");
        if (on && maxTokens == null) {
            throw new IllegalArgumentException(where() + ": If pad_to_max_tokens is True, must set `max_tokens` "
                    + "(set maxTokens first). Received: max_tokens=None");
        }
        this.padToMaxTokens = on;
        return this;
    }

    /** Keras's {@code invert}: ids to tokens (int mode only); an unknown id gives the OOV token, id 0 the mask token. */
    public IntegerLookup invert(boolean on) {
        beforeVocabulary("invert");
        if (on && outputMode != OutputMode.INT) {
            throw new IllegalArgumentException(where() + ": `output_mode` must be `'int'` when `invert` is true. "
                    + "Received: output_mode=" + outputMode.kerasName());
        }
        this.invert = on;
        return this;
    }

    /**
     * Keras's {@code vocabulary=} (and {@code idf_weights=}, tf_idf only) constructor argument: kept
     * in the saved config; such a layer cannot be adapted.
     */
    public IntegerLookup vocabularyArgument(List<Long> vocabulary, double[] idfWeights) {
        if (outputMode == OutputMode.TF_IDF && idfWeights == null) {
            throw new IllegalArgumentException(where() + ": When specifying the `vocabulary` argument, in TF-IDF "
                    + "output mode, the `idf_weights` argument must also be provided.");
        }
        install(IndexLookup.of(spec(), strings(vocabulary), idfWeights, invert));
        this.inputVocabulary = List.copyOf(vocabulary);
        this.inputIdfWeights = idfWeights == null ? null : idfWeights.clone();
        return this;
    }

    /**
     * Keras's {@code vocabulary_size} config entry (its _frozen_vocab_size): the size the vectors of
     * a saved layer were made for, so that the layer builds before its vocabulary (an asset) loads.
     */
    public IntegerLookup frozenVocabularySize(Integer size) {
        beforeVocabulary("vocabulary_size");
        this.frozenSize = size;
        return this;
    }

    private void beforeVocabulary(String option) {
        if (lookup != null || isBuilt()) {
            throw new IllegalStateException(where() + ": set " + option + " before the vocabulary and before build "
                    + "(Keras takes it as a constructor argument)");
        }
    }

    private long checkedToken(long t, String what) {
        if (Math.abs(t) > MAX_TOKEN) {
            throw new IllegalArgumentException(where() + ": " + what + " " + t + ": rnn4j holds tokens as float32, "
                    + "exact up to ±2^24 = " + MAX_TOKEN);
        }
        return t;
    }

    private List<String> strings(List<Long> tokens) {
        Objects.requireNonNull(tokens, "vocabulary");
        List<String> out = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            out.add(Long.toString(checkedToken(Objects.requireNonNull(tokens.get(i), "vocabulary entry " + i),
                    "vocabulary token")));
        }
        return out;
    }

    private IndexLookup.Spec spec() {
        return new IndexLookup.Spec(where(), outputMode.kerasName(), maxTokens, padToMaxTokens,
                maskToken == null ? null : maskToken.toString(), Long.toString(oovToken), numOovIndices,
                new IndexLookup.OovHash(oovMethod == OovMethod.FLOORMOD, salt));
    }

    private IndexLookup current() {
        IndexLookup l = lookup;
        return l != null ? l : IndexLookup.empty(spec());
    }

    /**
     * Installs a vocabulary; as Keras's _ensure_vocab_size_unchanged, the vectors' size may not
     * change once known (vector modes without pad_to_max_tokens).
     */
    private void install(IndexLookup l) {
        if (vectorSizeFixed() && frozenSize != null && l.size() != frozenSize) {
            throw new IllegalStateException(where() + ": When using `output_mode=" + outputMode.kerasName() + "` and "
                    + "`pad_to_max_tokens=False`, the vocabulary size cannot be changed after the layer is called. "
                    + "Old vocab size is " + frozenSize + ", new vocab size is " + l.size());
        }
        this.lookup = l;
        this.frozenSize = l.size();
    }

    private boolean vectorSizeFixed() {
        return outputMode != OutputMode.INT && !padToMaxTokens && isBuilt();
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
    public Long maskToken() {
        return maskToken;
    }

    /** Keras's oov_token. */
    public long oovToken() {
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

    /** Keras's invert. */
    public boolean invert() {
        return invert;
    }

    /** The {@code vocabulary=} argument as given, or null. */
    public List<Long> vocabularyArgument() {
        return inputVocabulary;
    }

    /** The {@code idf_weights=} argument as given, or null. */
    public double[] idfWeightsArgument() {
        return inputIdfWeights == null ? null : inputIdfWeights.clone();
    }

    /** Keras's get_vocabulary(): the mask token (int mode, when set), the OOV token, then the learned tokens. */
    public List<Long> vocabulary() {
        return current().vocabulary(true).stream().map(Long::valueOf).toList();
    }

    /** Keras's vocabulary_size(), or the saved size while the vocabulary is still to load. */
    public int vocabularySize() {
        IndexLookup l = lookup;
        return l != null ? l.size() : frozenSize != null ? frozenSize : current().size();
    }

    /** tf_idf's weight per id, or null. */
    public float[] idfWeights() {
        float[] w = current().idf();
        return w == null ? null : w.clone();
    }

    /** Keras's {@code set_vocabulary(vocabulary, idf_weights)} (idf weights for tf_idf only, else null). */
    public void setVocabulary(List<Long> vocabulary, double[] idfWeights) {
        install(IndexLookup.of(spec(), strings(vocabulary), idfWeights, invert));
    }

    /** {@link #setVocabulary(List, double[])} without idf weights (every mode but tf_idf). */
    public void setVocabulary(List<Long> vocabulary) {
        setVocabulary(vocabulary, null);
    }

    /**
     * Keras's {@code adapt(data)}: every token of {@code data} counted, the mask and OOV tokens left
     * out, most frequent first, ties by the larger token first, cut to max_tokens; for tf_idf each
     * row of a {@code (rows, n)} tensor is a document (each value of a {@code (n)} one).
     *
     * @throws IllegalStateException    after a vocabulary argument, as Keras raises
     * @throws IllegalArgumentException for values that are not integers (Keras's int64 conversion refuses them)
     */
    public void adapt(Tensor data) {
        if (inputVocabulary != null) {
            throw new IllegalStateException(where() + ": Cannot adapt layer '" + name() + "' after setting a static "
                    + "vocabulary via `vocabulary` argument or `set_vocabulary()` method.");
        }
        int[] d = data.shape().dims();
        if (outputMode == OutputMode.TF_IDF && d.length > 2) {
            throw new IllegalArgumentException(where() + ": tf_idf adapts on documents (rows, n) or tokens (n), got "
                    + data.shape() + " (Keras's tf.unique refuses more axes)");
        }
        float[] v = data.toArray();
        int rows = d.length == 2 ? d[0] : v.length; // (n): each token its own document, as Keras's expand_dims
        int n = rows == 0 ? 0 : v.length / rows;
        List<List<String>> documents = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            List<String> doc = new ArrayList<>(n);
            for (int t = 0; t < n; t++) {
                float x = v[r * n + t];
                if (x != Math.rint(x)) {
                    throw new IllegalArgumentException(where() + ": adapt takes integer tokens, got " + x);
                }
                doc.add(Long.toString(checkedToken((long) x, "token")));
            }
            documents.add(doc);
        }
        IndexLookup adapted = IndexLookup.adapt(spec(), documents,
                (a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
        if (adapted != null) {
            install(adapted);
        } else if (lookup == null) {
            install(IndexLookup.empty(spec())); // Keras records the size of the empty vocabulary
        }
    }

    private int depth() {
        if (padToMaxTokens) {
            return maxTokens;
        }
        IndexLookup l = lookup;
        if (l == null && frozenSize == null) {
            throw new IllegalStateException(where() + ": When using `output_mode=" + outputMode.kerasName() + "` and "
                    + "`pad_to_max_tokens=False`, you must set the layer's vocabulary before calling it. Either pass "
                    + "a `vocabulary` argument to the layer, or call `adapt` with some sample data.");
        }
        return l != null ? l.size() : frozenSize;
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        return outputShapeFor(in);
    }

    /** Any sizes; one_hot needs the last one. */
    @Override
    protected Shape acceptedShape() {
        return CategoricalEncoding.acceptedShape(inputShape(), outputMode.kerasName());
    }

    @Override
    protected Shape outputShapeFor(Shape in) {
        return outputMode == OutputMode.INT ? in
                : CategoricalEncoding.outputShape(this, outputMode.kerasName(), in, depth());
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        droppedMask.check(this, mask);
        IndexLookup l = lookup;
        if (l == null) {
            throw new IllegalStateException(where() + ": the layer has no vocabulary yet; adapt it or set one (Keras "
                    + "raises 'Table not initialized')");
        }
        float[] v = x.value().toArray();
        long[] ids = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException(where() + ": expected integer tokens, got " + v[i]);
            }
            ids[i] = invert ? token(l, (long) v[i]) : l.id(Long.toString((long) v[i])); // tf.cast: toward zero
        }
        Shape out = outputShapeFor(x.shape().tail());
        if (outputMode == OutputMode.TF_IDF && l.idf() == null) {
            throw new IllegalStateException(where() + ": When `output_mode` is `'tf_idf'`, `idf_weights` must "
                    + "be provided.");
        }
        float[] values = CategoricalEncoding.encode(outputMode.kerasName(), ids, x.dim(0), depth(), l.idf());
        return Variable.constant(device().tensor(values, CategoricalEncoding.batchDims(x.dim(0), out)));
    }

    /** invert: id 0 is the mask token (when set), a learned token's id gives it, any other id the OOV token. */
    private static long token(IndexLookup l, long id) {
        return Long.parseLong(l.token(id));
    }

    @Override
    public String toString() {
        return "IntegerLookup '" + name() + "' (" + outputMode.kerasName() + (invert ? ", invert" : "")
                + ", vocabulary " + vocabularySize() + ")";
    }
}
