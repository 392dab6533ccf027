package io.rnn4j.layers.keras;

import io.rnn4j.layers.TextVectorization;
import io.rnn4j.layers.TextVectorization.OutputMode;
import io.rnn4j.layers.TextVectorization.Split;
import io.rnn4j.layers.TextVectorization.Standardize;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TextVectorization's Keras 3 config ({@code text_vectorization.py}'s get_config and
 * constructor) both ways. The vocabulary in the config is Keras's {@code vocabulary=} argument;
 * an adapted vocabulary lives in the archive's assets instead ({@link TextInputs}).
 */
final class TextVectorizationConfig {
    static final String CLASS = "TextVectorization";

    private TextVectorizationConfig() {
    }

    /**
     * The layer the config describes, with the config's vocabulary when it holds one.
     *
     * @throws KerasFileException naming the option for what rnn4j does not do (a callable standardize
     *                            or split, sparse or ragged outputs, one_hot, another encoding)
     */
    static TextVectorization read(String name, Map<String, Object> config) {
        Options o = new Options(name, CLASS, config);
        try {
            return read(o, name, config);
        } catch (KerasFileException e) {
            throw e;
        } catch (IllegalArgumentException | IllegalStateException e) { // Keras's own checks, in the layer
            throw new KerasFileException(o.where() + ": " + e.getMessage(), e);
        }
    }

    private static TextVectorization read(Options o, String name, Map<String, Object> config) {
        o.ignore("name", "trainable", "dtype", "batch_input_shape", "batch_shape", "input_shape", "vocabulary_size",
                "has_input_vocabulary");
        TextVectorization tv = new TextVectorization().named(name);
        Object maxTokens = o.raw("max_tokens");
        if (maxTokens != null) {
            tv.maxTokens(whole(o, "max_tokens", maxTokens));
        }
        tv.standardize(switch (callableRefused(o, "standardize")) {
            case null -> Standardize.NONE;
            case "lower_and_strip_punctuation" -> Standardize.LOWER_AND_STRIP_PUNCTUATION;
            case "lower" -> Standardize.LOWER;
            case "strip_punctuation" -> Standardize.STRIP_PUNCTUATION;
            default -> throw o.error("standardize", "one of 'lower_and_strip_punctuation', 'lower', "
                    + "'strip_punctuation' or null", config.get("standardize"));
        });
        tv.split(switch (callableRefused(o, "split")) {
            case null -> Split.NONE;
            case "whitespace" -> Split.WHITESPACE;
            case "character" -> Split.CHARACTER;
            default -> throw o.error("split", "one of 'whitespace', 'character' or null", config.get("split"));
        });
        Object ngrams = o.raw("ngrams");
        if (ngrams instanceof List<?> l) {
            int[] widths = new int[l.size()];
            for (int i = 0; i < widths.length; i++) {
                widths[i] = whole(o, "ngrams", l.get(i));
            }
            tv.ngramWidths(widths);
        } else if (ngrams != null) {
            tv.ngrams(whole(o, "ngrams", ngrams));
        }
        String mode = o.string("output_mode", "int");
        tv.outputMode(switch (mode) {
            case "int" -> OutputMode.INT;
            case "multi_hot", "binary" -> OutputMode.MULTI_HOT;
            case "count" -> OutputMode.COUNT;
            case "tf_idf", "tf-idf" -> OutputMode.TF_IDF;
            default -> throw new KerasFileException("unsupported option output_mode=" + Options.show(mode) + " in "
                    + o.where() + ": rnn4j's TextVectorization supports 'int', 'multi_hot', 'count' and 'tf_idf'");
        });
        Object length = o.raw("output_sequence_length");
        if (length != null) {
            tv.outputSequenceLength(whole(o, "output_sequence_length", length));
        }
        if (o.bool("pad_to_max_tokens", false)) {
            tv.padToMaxTokens(true);
        }
        refuseTrue(o, "sparse", "a SparseTensor output");
        refuseTrue(o, "ragged", "a RaggedTensor output (rnn4j pads the ids into a dense tensor)");
        String encoding = o.string("encoding", "utf-8");
        if (!encoding.equalsIgnoreCase("utf-8") && !encoding.equalsIgnoreCase("utf8")) {
            throw new KerasFileException("unsupported option encoding=" + Options.show(encoding) + " in "
                    + o.where() + ": rnn4j's TextVectorization takes Java strings, supported is 'utf-8'");
        }
        Object vocabulary = o.raw("vocabulary");
        Object idf = o.raw("idf_weights");
        o.requireAllRead();
        if (vocabulary instanceof String path) {
            throw new KerasFileException(o.where() + ": option 'vocabulary' names a file (" + path + ") outside "
                    + "the archive; rnn4j reads a vocabulary only from the config or the archive's assets");
        }
        if (vocabulary != null) {
            tv.vocabularyArgument(strings(o, vocabulary), idf == null ? null : numbers(o, idf));
        } else if (idf != null) {
            throw o.error("idf_weights", "null without a vocabulary", idf);
        }
        return tv;
    }

    private static String callableRefused(Options o, String key) {
        Object v = o.raw(key);
        if (v != null && !(v instanceof String)) {
            throw new KerasFileException("unsupported option " + key + "=" + Options.show(v) + " in " + o.where()
                    + ": a callable of one's own; rnn4j supports Keras's named " + key + " values only");
        }
        return (String) v;
    }

    private static void refuseTrue(Options o, String key, String what) {
        if (o.bool(key, false)) {
            throw new KerasFileException("unsupported option " + key + "=true in " + o.where() + ": rnn4j has no "
                    + what + "; supported is false");
        }
    }

    private static int whole(Options o, String key, Object v) {
        Integer n = Options.wholeNumber(v);
        if (n == null) {
            throw o.error(key, "an integer", v);
        }
        return n;
    }

    static List<String> strings(Options o, Object v) {
        if (v instanceof List<?> l && l.stream().allMatch(e -> e instanceof String)) {
            return l.stream().map(String.class::cast).toList();
        }
        throw o.error("vocabulary", "a list of strings", v);
    }

    static double[] numbers(Options o, Object v) {
        if (v instanceof List<?> l && l.stream().allMatch(e -> e instanceof Double)) {
            return l.stream().mapToDouble(e -> (Double) e).toArray();
        }
        throw o.error("idf_weights", "a list of numbers", v);
    }

    /** Keras's float32 DTypePolicy, which the preprocessing layers' configs carry. */
    static Map<String, Object> policy() {
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("module", "keras");
        policy.put("class_name", "DTypePolicy");
        policy.put("config", Map.of("name", "float32"));
        policy.put("registered_name", null);
        return policy;
    }

    /** Keras 3's get_config of the layer, in its key order (dtype is Keras's float32 policy). */
    static Map<String, Object> write(TextVectorization tv, boolean trainable) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", tv.name());
        c.put("trainable", trainable);
        c.put("dtype", policy());
        c.put("max_tokens", tv.maxTokens());
        c.put("standardize", tv.standardize().kerasName());
        c.put("split", tv.split().kerasName());
        c.put("ngrams", tv.ngramsArgument());
        c.put("output_mode", tv.outputMode().kerasName());
        c.put("output_sequence_length", tv.outputSequenceLength());
        c.put("pad_to_max_tokens", tv.padToMaxTokens());
        c.put("sparse", false);
        c.put("ragged", false);
        c.put("vocabulary", tv.vocabularyArgument());
        double[] idf = tv.idfWeightsArgument();
        List<Object> weights = null;
        if (idf != null) {
            weights = new ArrayList<>();
            for (double w : idf) {
                weights.add(w);
            }
        }
        c.put("idf_weights", weights);
        c.put("encoding", "utf-8");
        c.put("vocabulary_size", tv.vocabularySize());
        return c;
    }
}
