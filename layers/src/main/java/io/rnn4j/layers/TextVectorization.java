package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.internal.AutoNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Keras's {@code TextVectorization} (Keras 3, TensorFlow backend): raw strings to token ids
 * ({@code output_mode="int"}) or to multi_hot / count / tf_idf vectors, as float32 tensors that a
 * model's numeric layers take (an Embedding with {@code mask_zero}, a Dense).
 *
 * <pre>{@code
 * TextVectorization tv = new TextVectorization().maxTokens(20000).outputSequenceLength(200);
 * tv.adapt(trainingTexts);                        // Keras's adapt: the vocabulary, by frequency
 * Tensor ids = tv.apply(List.of("Hello, world")); // (1, 200) ids: 0 padding, 1 out of vocabulary
 * }</pre>
 *
 * <p>It is not a {@link Layer}: rnn4j's tensors are float32 and its layers differentiate, while
 * this maps strings to numbers once, before the model, with nothing to train. So it stands in front
 * of a model as Keras's guide recommends using it (in the input pipeline): a loaded {@code .keras}
 * model whose string input goes straight into a TextVectorization holds it
 * ({@code KerasModel.textVectorization()}, {@code predictText}), and saving writes it back as Keras
 * does; {@code KerasModel.withTextFront(vectorizer, model)} puts one in front of a model built in Java
 * (Keras's {@code Sequential([Input(shape=(1,), dtype="string"), vectorizer, ...])}).
 *
 * <p>Each text goes through Keras's steps: standardize, split, ngrams, then the vocabulary. The
 * string rules are TensorFlow's (see the enums): lower-casing and punctuation stripping touch ASCII
 * only, whitespace splitting splits on ASCII whitespace only. Set the options before the
 * vocabulary; {@link #apply} and the other readers may be called from many threads at once (a
 * vocabulary is replaced whole).
 */
public final class TextVectorization {
    /** The token every word outside the vocabulary maps to (id 1 in int mode, 0 otherwise). */
    public static final String OOV_TOKEN = "[UNK]";

    /** Keras's {@code standardize}. */
    public enum Standardize {
        /** Lower-cases ASCII letters and removes the 32 ASCII punctuation characters (the default). */
        LOWER_AND_STRIP_PUNCTUATION("lower_and_strip_punctuation"),
        /** Lower-cases ASCII letters A-Z (tf.strings.lower without an encoding); others stay as they are. */
        LOWER("lower"),
        /** Removes the 32 ASCII punctuation characters; no other character. */
        STRIP_PUNCTUATION("strip_punctuation"),
        /** The text as given (Keras's None). */
        NONE(null);

        private final String keras;

        Standardize(String keras) {
            this.keras = keras;
        }

        /** The value Keras's config writes (null for NONE). */
        public String kerasName() {
            return keras;
        }
    }

    /** Keras's {@code split}. */
    public enum Split {
        /** Splits on runs of ASCII whitespace (space, \t, \n, \v, \f, \r), as tf.strings.split (the default). */
        WHITESPACE("whitespace"),
        /** One token per Unicode code point (tf.strings.unicode_split). */
        CHARACTER("character"),
        /** The whole standardized text is one token (Keras's None). */
        NONE(null);

        private final String keras;

        Split(String keras) {
            this.keras = keras;
        }

        /** The value Keras's config writes (null for NONE). */
        public String kerasName() {
            return keras;
        }
    }

    /** Keras's {@code output_mode}. */
    public enum OutputMode {
        /** One id per token: 0 padding (and the empty token), 1 out of vocabulary, then the vocabulary. */
        INT("int"),
        /** One vector per text: 1 where a token of the vocabulary occurs; index 0 is out of vocabulary. */
        MULTI_HOT("multi_hot"),
        /** As MULTI_HOT, with how many times each occurs. */
        COUNT("count"),
        /** As COUNT, each count multiplied by the token's inverse document frequency. */
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

    private String name = AutoNames.next("text_vectorization");
    private Integer maxTokens;
    private Standardize standardize = Standardize.LOWER_AND_STRIP_PUNCTUATION;
    private Split split = Split.WHITESPACE;
    /** The widths, and the argument as given (an Integer n, or the list of widths) for the config. */
    private int[] ngramWidths;
    private Object ngramsArgument;
    private OutputMode outputMode = OutputMode.INT;
    private Integer outputSequenceLength;
    private boolean padToMaxTokens;
    /** The vocabulary (and idf weights) given as Keras's {@code vocabulary=} argument, kept for the config. */
    private List<String> inputVocabulary;
    private double[] inputIdfWeights;
    /** The vocabulary, replaced whole; null until adapted or set. */
    private volatile IndexLookup lookup;

    /** A TextVectorization with Keras's defaults: lower_and_strip_punctuation, whitespace, int, no limit. */
    public TextVectorization() {
    }

    // ---- options (Keras's constructor arguments) ----

    /** Renames it (Keras's {@code name}). */
    public TextVectorization named(String newName) {
        this.name = Objects.requireNonNull(newName, "name");
        return this;
    }

    /** Its name. */
    public String name() {
        return name;
    }

    /**
     * Keras's {@code max_tokens}: the largest vocabulary, the mask and OOV tokens included; adapt keeps
     * the most frequent tokens that fit.
     *
     * @throws IllegalArgumentException unless greater than 1 (Keras's rule)
     */
    public TextVectorization maxTokens(int max) {
        beforeVocabulary("max_tokens");
        if (max <= 1) {
            throw new IllegalArgumentException(name + ": If set, `max_tokens` must be greater than 1. Received: "
                    + "max_tokens=" + max);
        }
        this.maxTokens = max;
        return this;
    }

    /** Keras's {@code standardize}. */
    public TextVectorization standardize(Standardize s) {
        beforeVocabulary("standardize");
        this.standardize = Objects.requireNonNull(s, "standardize");
        return this;
    }

    /** Keras's {@code split}. */
    public TextVectorization split(Split s) {
        beforeVocabulary("split");
        this.split = Objects.requireNonNull(s, "split");
        return this;
    }

    /** Keras's {@code ngrams=n}: the ngrams of widths 1 to n. */
    public TextVectorization ngrams(int n) {
        beforeVocabulary("ngrams");
        if (n < 1) {
            throw new IllegalArgumentException(name + ": ngrams must be at least 1, got " + n);
        }
        int[] w = new int[n];
        Arrays.setAll(w, i -> i + 1);
        this.ngramWidths = w;
        this.ngramsArgument = n;
        return this;
    }

    /** Keras's {@code ngrams=(a, b, ...)}: the ngrams of exactly these widths, in this order. */
    public TextVectorization ngramWidths(int... widths) {
        beforeVocabulary("ngrams");
        for (int w : widths) {
            if (w < 1) {
                throw new IllegalArgumentException(name + ": every ngram width must be at least 1, got "
                        + Arrays.toString(widths));
            }
        }
        this.ngramWidths = widths.clone();
        this.ngramsArgument = Arrays.stream(widths).boxed().toList();
        return this;
    }

    /** Keras's {@code output_mode}. */
    public TextVectorization outputMode(OutputMode mode) {
        beforeVocabulary("output_mode");
        if (mode != OutputMode.INT && outputSequenceLength != null) {
            throw new IllegalArgumentException(name + ": `output_sequence_length` must not be set if `output_mode` "
                    + "is not 'int'. Received output_sequence_length=" + outputSequenceLength + ".");
        }
        this.outputMode = Objects.requireNonNull(mode, "outputMode");
        return this;
    }

    /**
     * Keras's {@code output_sequence_length} (int mode only): every row padded with 0 or truncated to
     * this many ids. Unset, a batch is padded to its longest text.
     */
    public TextVectorization outputSequenceLength(int length) {
        beforeVocabulary("output_sequence_length");
        if (outputMode != OutputMode.INT) {
            throw new IllegalArgumentException(name + ": `output_sequence_length` must not be set if `output_mode` "
                    + "is not 'int'. Received output_sequence_length=" + length + ".");
        }
        if (length < 0) {
            throw new IllegalArgumentException(name + ": output_sequence_length must be 0 or more, got " + length);
        }
        this.outputSequenceLength = length;
        return this;
    }

    /** Keras's {@code pad_to_max_tokens} (multi_hot, count, tf_idf): vectors of max_tokens entries. */
    public TextVectorization padToMaxTokens(boolean on) {
        beforeVocabulary("pad_to_max_tokens");
        if (on && maxTokens == null) {
            throw new IllegalArgumentException(name + ": If pad_to_max_tokens is True, must set `max_tokens` "
                    + "(set maxTokens first). Received: max_tokens=None");
        }
        this.padToMaxTokens = on;
        return this;
    }

    /**
     * Keras's {@code vocabulary=} (and {@code idf_weights=} for tf_idf) constructor argument: set here
     * and kept in the saved config, as Keras keeps it; such a layer cannot be adapted. The special
     * tokens may lead it ({@code "", "[UNK]"} in int mode, {@code "[UNK]"} otherwise) or be left out.
     *
     * @param idfWeights one per vocabulary entry for tf_idf; null otherwise
     */
    public TextVectorization vocabularyArgument(List<String> vocabulary, double[] idfWeights) {
        set(vocabulary, idfWeights);
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

    /** Keras's max_tokens, or null (no limit). */
    public Integer maxTokens() {
        return maxTokens;
    }

    /** Keras's standardize. */
    public Standardize standardize() {
        return standardize;
    }

    /** Keras's split. */
    public Split split() {
        return split;
    }

    /** The ngram widths, in order, or null when Keras's ngrams is None. */
    public int[] ngramWidths() {
        return ngramWidths == null ? null : ngramWidths.clone();
    }

    /** Keras's ngrams as its config writes it: null, an Integer, or a list of widths. */
    public Object ngramsArgument() {
        return ngramsArgument;
    }

    /** Keras's output_mode. */
    public OutputMode outputMode() {
        return outputMode;
    }

    /** Keras's output_sequence_length, or null. */
    public Integer outputSequenceLength() {
        return outputSequenceLength;
    }

    /** Keras's pad_to_max_tokens. */
    public boolean padToMaxTokens() {
        return padToMaxTokens;
    }

    /** The {@code vocabulary=} argument as given ({@link #vocabularyArgument}), or null (adapted or set). */
    public List<String> vocabularyArgument() {
        return inputVocabulary;
    }

    /** The {@code idf_weights=} argument as given, or null. */
    public double[] idfWeightsArgument() {
        return inputIdfWeights == null ? null : inputIdfWeights.clone();
    }

    // ---- vocabulary ----

    /** The lookup's options now: the mask token "" and the OOV token "[UNK]", one OOV index. */
    private IndexLookup.Spec spec() {
        return new IndexLookup.Spec(name, outputMode.kerasName(), maxTokens, padToMaxTokens, "", OOV_TOKEN, 1);
    }

    private IndexLookup current() {
        IndexLookup l = lookup;
        return l != null ? l : IndexLookup.empty(spec());
    }

    /**
     * Keras's {@code get_vocabulary()}: the special tokens ({@code "", "[UNK]"} in int mode,
     * {@code "[UNK]"} otherwise), then the learned tokens; a token's position is its id.
     */
    public List<String> vocabulary() {
        return vocabulary(true);
    }

    /** Keras's {@code get_vocabulary(include_special_tokens)}. */
    public List<String> vocabulary(boolean includeSpecialTokens) {
        return current().vocabulary(includeSpecialTokens);
    }

    /** Keras's {@code vocabulary_size()}: the special tokens and the learned ones. */
    public int vocabularySize() {
        return current().size();
    }

    /** tf_idf's weight per id (the OOV token's first; zeros up to max_tokens when padded), or null. */
    public float[] idfWeights() {
        float[] w = current().idf();
        return w == null ? null : w.clone();
    }

    /**
     * Keras's {@code set_vocabulary(vocabulary, idf_weights)}: replaces the vocabulary; unlike
     * {@link #vocabularyArgument} it is saved as an asset, not in the config, as Keras does.
     *
     * @throws IllegalArgumentException as Keras raises: an empty vocabulary, a repeated token, the
     *                                  mask token "" anywhere but first, more than max_tokens, idf
     *                                  weights missing for tf_idf, given otherwise, or of another length
     */
    public void setVocabulary(List<String> vocabulary, double[] idfWeights) {
        set(vocabulary, idfWeights);
    }

    /** {@link #setVocabulary(List, double[])} without idf weights (every mode but tf_idf). */
    public void setVocabulary(List<String> vocabulary) {
        set(vocabulary, null);
    }

    private void set(List<String> given, double[] idf) {
        this.lookup = IndexLookup.of(spec(), given, idf);
    }

    /**
     * Keras's {@code adapt(texts)}: the vocabulary of every token the texts give, most frequent
     * first, ties in descending order of the tokens' UTF-8 bytes (Keras sorts with numpy's lexsort
     * and reverses), cut to max_tokens; the mask token "" and "[UNK]" are not counted. For tf_idf it
     * also learns each token's weight {@code log(1 + documents / (1 + documents holding it))}, and the
     * OOV token's, their mean. Texts that give no token at all leave the vocabulary as it was, as in
     * Keras.
     *
     * @throws IllegalStateException when a vocabulary was given as the constructor argument
     *                               ({@link #vocabularyArgument}), as Keras raises
     */
    public void adapt(List<String> texts) {
        if (inputVocabulary != null) {
            throw new IllegalStateException(name + ": Cannot adapt layer '" + name + "' after setting a static "
                    + "vocabulary via `vocabulary` argument or `set_vocabulary()` method.");
        }
        IndexLookup adapted = IndexLookup.adapt(spec(), tokens(texts));
        if (adapted != null) {
            this.lookup = adapted;
        }
    }

    // ---- applying ----

    /**
     * Keras's standardize, split and ngrams steps on one text: the tokens it is looked up as.
     *
     * @throws IllegalArgumentException for a string with a lone surrogate (no UTF-8 form)
     */
    public List<String> tokens(String text) {
        return tokens(0, text);
    }

    private List<String> tokens(int index, String text) {
        TextTokens.checkUnicode(name, index, Objects.requireNonNull(text, "text " + index));
        boolean lower = standardize == Standardize.LOWER || standardize == Standardize.LOWER_AND_STRIP_PUNCTUATION;
        boolean strip = standardize == Standardize.STRIP_PUNCTUATION
                || standardize == Standardize.LOWER_AND_STRIP_PUNCTUATION;
        String s = TextTokens.standardize(text, lower, strip);
        List<String> tokens = switch (split) {
            case WHITESPACE -> TextTokens.whitespaceSplit(s);
            case CHARACTER -> TextTokens.characterSplit(s);
            case NONE -> List.of(s);
        };
        return ngramWidths == null ? tokens : TextTokens.ngrams(tokens, ngramWidths);
    }

    private List<List<String>> tokens(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        List<List<String>> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            out.add(tokens(i, texts.get(i)));
        }
        return out;
    }

    /**
     * The shape of one text's output: {@code (output_sequence_length)} in int mode ({@link Input#NONE}
     * when unset), {@code (vocabulary size)} or {@code (max_tokens)} with pad_to_max_tokens otherwise.
     */
    public int[] outputShape() {
        if (outputMode == OutputMode.INT) {
            return new int[] {outputSequenceLength != null ? outputSequenceLength : Input.NONE};
        }
        return new int[] {depth()};
    }

    private int depth() {
        return spec().depth(vocabularySize());
    }

    /**
     * Keras's {@code layer(texts)}: a batch of texts, one per row, to a float32 tensor — in int mode
     * {@code (texts, length)} ids, padded with 0 to output_sequence_length or to the longest text and
     * truncated to output_sequence_length; otherwise {@code (texts, depth)} vectors (see
     * {@link #outputShape()}) in which the empty token counts for nothing and index 0 is out of
     * vocabulary.
     *
     * @throws IllegalArgumentException for a null text or one with a lone surrogate, naming it
     * @throws IllegalStateException    without a vocabulary (neither adapted nor set), as Keras raises
     */
    public Tensor apply(List<String> texts) {
        IndexLookup v = lookup;
        if (v == null) {
            // Keras's lookup table is uninitialized then, and TensorFlow raises "Table not initialized"
            throw new IllegalStateException(name + ": the layer has no vocabulary yet; adapt it or set one (Keras "
                    + "raises 'Table not initialized')");
        }
        List<List<String>> rows = tokens(texts);
        if (outputMode != OutputMode.INT) {
            return v.bincount(rows);
        }
        int batch = rows.size();
        int length = outputSequenceLength != null ? outputSequenceLength
                : rows.stream().mapToInt(List::size).max().orElse(0);
        float[] out = new float[batch * length];
        for (int b = 0; b < batch; b++) {
            List<String> row = rows.get(b);
            for (int t = 0; t < Math.min(length, row.size()); t++) {
                out[b * length + t] = v.id(row.get(t));
            }
        }
        return Tensor.of(out, batch, length);
    }

    @Override
    public String toString() {
        return "TextVectorization '" + name + "' (" + outputMode.kerasName() + ", vocabulary " + vocabularySize()
                + ")";
    }
}
