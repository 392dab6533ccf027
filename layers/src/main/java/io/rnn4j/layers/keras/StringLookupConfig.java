package io.rnn4j.layers.keras;

import io.rnn4j.layers.StringLookup;
import io.rnn4j.layers.StringLookup.OutputMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A StringLookup's Keras 3 config ({@code string_lookup.py} and {@code index_lookup.py}'s
 * get_config and constructor) both ways; an adapted vocabulary lives in the archive's assets
 * ({@link TextInputs}).
 */
final class StringLookupConfig {
    static final String CLASS = "StringLookup";

    private StringLookupConfig() {
    }

    /**
     * The layer the config describes, with the config's vocabulary when it holds one.
     *
     * @throws KerasFileException naming the option for what rnn4j does not do (sparse output, another
     *                            encoding)
     */
    static StringLookup read(String name, Map<String, Object> config) {
        Options o = new Options(name, CLASS, config);
        try {
            return read(o, name, config);
        } catch (KerasFileException e) {
            throw e;
        } catch (IllegalArgumentException | IllegalStateException e) { // Keras's own checks, in the layer
            throw new KerasFileException(o.where() + ": " + e.getMessage(), e);
        }
    }

    private static StringLookup read(Options o, String name, Map<String, Object> config) {
        o.ignore("name", "trainable", "dtype", "batch_input_shape", "batch_shape", "input_shape", "vocabulary_size",
                "has_input_vocabulary", "vocabulary_dtype", "oov_method");
        StringLookup s = new StringLookup().named(name);
        boolean invert = o.bool("invert", false);
        if (o.has("max_tokens")) {
            s.maxTokens(o.integer("max_tokens"));
        } else {
            o.raw("max_tokens");
        }
        s.numOovIndices(o.integer("num_oov_indices", 1));
        s.oovToken(o.string("oov_token", "[UNK]"));
        s.maskToken(o.string("mask_token", null));
        String mode = o.string("output_mode", "int");
        s.outputMode(switch (mode) {
            case "int" -> OutputMode.INT;
            case "one_hot" -> OutputMode.ONE_HOT;
            case "multi_hot", "binary" -> OutputMode.MULTI_HOT;
            case "count" -> OutputMode.COUNT;
            case "tf_idf", "tf-idf" -> OutputMode.TF_IDF;
            default -> throw new KerasFileException("unsupported option output_mode=" + Options.show(mode) + " in "
                    + o.where() + ": supported are 'int', 'one_hot', 'multi_hot', 'count' and 'tf_idf'");
        });
        if (o.bool("pad_to_max_tokens", false)) {
            s.padToMaxTokens(true);
        }
        s.invert(invert); // after output_mode: Keras refuses invert with another mode
        if (o.bool("sparse", false)) {
            throw new KerasFileException("unsupported option sparse=true in " + o.where() + ": rnn4j has no "
                    + "SparseTensor output; supported is false");
        }
        long[] salt = HashingLayers.salt(o, "`IndexLookup` can only be a tuple of 2 integers");
        if (salt != null) {
            s.salt(salt[0], salt[1]);
        }
        String encoding = o.string("encoding", "utf-8");
        if (!encoding.equalsIgnoreCase("utf-8") && !encoding.equalsIgnoreCase("utf8")) {
            throw new KerasFileException("unsupported option encoding=" + Options.show(encoding) + " in "
                    + o.where() + ": rnn4j's StringLookup takes Java strings, supported is 'utf-8'");
        }
        Object vocabulary = o.raw("vocabulary");
        Object idf = o.raw("idf_weights");
        o.requireAllRead();
        if (vocabulary instanceof String path) {
            throw new KerasFileException(o.where() + ": option 'vocabulary' names a file (" + path + ") outside "
                    + "the archive; rnn4j reads a vocabulary only from the config or the archive's assets");
        }
        if (vocabulary != null) {
            s.vocabularyArgument(TextVectorizationConfig.strings(o, vocabulary),
                    idf == null ? null : TextVectorizationConfig.numbers(o, idf));
        } else if (idf != null) {
            throw o.error("idf_weights", "null without a vocabulary", idf);
        }
        return s;
    }

    /** Keras 3's get_config of the layer, in its key order. */
    static Map<String, Object> write(StringLookup s, boolean trainable) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", s.name());
        c.put("trainable", trainable);
        c.put("dtype", TextVectorizationConfig.policy());
        c.put("invert", s.invert());
        c.put("max_tokens", s.maxTokens());
        c.put("num_oov_indices", s.numOovIndices());
        c.put("oov_token", s.oovToken());
        c.put("mask_token", s.maskToken());
        c.put("output_mode", s.outputMode().kerasName());
        c.put("sparse", false);
        c.put("pad_to_max_tokens", s.padToMaxTokens());
        double[] idf = s.idfWeightsArgument();
        List<Object> weights = null;
        if (idf != null) {
            weights = new ArrayList<>();
            for (double w : idf) {
                weights.add(w);
            }
        }
        c.put("idf_weights", weights);
        c.put("vocabulary", s.vocabularyArgument());
        c.put("vocabulary_size", s.vocabularySize());
        c.put("oov_method", "floormod"); // Keras's default, unused for strings
        c.put("salt", HashingLayers.salt(s.salt()));
        c.put("encoding", "utf-8");
        return c;
    }
}
