package io.rnn4j.layers.keras;

import io.rnn4j.layers.Hashing;
import io.rnn4j.layers.StringLookup;
import io.rnn4j.layers.TextVectorization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The preprocessor on a model's string input — a TextVectorization, a StringLookup or a Hashing —
 * with what saving and loading need of it: its Keras class and config, its saving path, where Keras
 * puts its vocabulary asset and idf weights (a Hashing has neither), and its output shape. Exactly
 * one of the three is set.
 */
record TextFront(TextVectorization vectorizer, StringLookup lookup, Hashing hashing) {
    private static final String HASHING = "Hashing";

    static boolean isFront(String className) {
        return TextVectorizationConfig.CLASS.equals(className) || StringLookupConfig.CLASS.equals(className)
                || HASHING.equals(className);
    }

    static TextFront read(String className, String name, Map<String, Object> config) {
        return switch (className) {
            case TextVectorizationConfig.CLASS -> new TextFront(TextVectorizationConfig.read(name, config), null, null);
            case StringLookupConfig.CLASS -> new TextFront(null, forward(StringLookupConfig.read(name, config)), null);
            default -> new TextFront(null, null, (Hashing) new LayerReader(false).read(
                    Map.of("class_name", HASHING, "config", config)).layer());
        };
    }

    /** A string input cannot go into an inverted StringLookup: its keys are int64 ids (Keras fails the cast too). */
    private static StringLookup forward(StringLookup lookup) {
        if (lookup.invert()) {
            throw new KerasFileException("unsupported option invert=true in layer '" + lookup.name() + "' (StringLookup) "
                    + "on the model's string input: an inverted lookup maps ids to strings, so it takes no string input");
        }
        return lookup;
    }

    String className() {
        return vectorizer != null ? TextVectorizationConfig.CLASS : lookup != null ? StringLookupConfig.CLASS : HASHING;
    }

    String name() {
        return vectorizer != null ? vectorizer.name() : lookup != null ? lookup.name() : hashing.name();
    }

    /** Whether it has a vocabulary (and maybe idf weights) to read and write: not a Hashing. */
    boolean hasVocabulary() {
        return hashing == null;
    }

    /** Rows of n string tokens through a StringLookup or a Hashing (not a TextVectorization, which takes texts). */
    io.rnn4j.engine.Tensor applyTokens(List<List<String>> rows) {
        return lookup != null ? lookup.apply(rows) : hashing.applyStrings(rows);
    }

    /** Keras's saving path: the only such layer of its class in model.layers. */
    String path() {
        return "layers/" + WeightLayout.snakeCase(className());
    }

    /**
     * Where Keras writes the vocabulary asset and the idf weights: a TextVectorization's path and
     * again its StringLookup's ({@code _lookup_layer}, which saving_lib reaches as an attribute).
     */
    List<String> statePaths() {
        return vectorizer != null ? List.of(path() + "/_lookup_layer", path()) : List.of(path());
    }

    Map<String, Object> config(boolean trainable) {
        if (hashing != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", hashing.name());
            c.put("trainable", trainable);
            HashingLayers.write(hashing, c);
            return c;
        }
        return vectorizer != null ? TextVectorizationConfig.write(vectorizer, trainable)
                : StringLookupConfig.write(lookup, trainable);
    }

    /** The vocabulary methods below are a TextVectorization's or a StringLookup's ({@link #hasVocabulary}). */
    List<String> vocabularyArgument() {
        return vectorizer != null ? vectorizer.vocabularyArgument() : lookup.vocabularyArgument();
    }

    List<String> vocabulary() {
        return vectorizer != null ? vectorizer.vocabulary() : lookup.vocabulary();
    }

    int vocabularySize() {
        return vectorizer != null ? vectorizer.vocabularySize() : lookup.vocabularySize();
    }

    void setVocabulary(List<String> vocabulary, double[] idf) {
        if (vectorizer != null) {
            vectorizer.setVocabulary(vocabulary, idf);
        } else {
            lookup.setVocabulary(vocabulary, idf);
        }
    }

    float[] idfWeights() {
        return hashing != null ? null : vectorizer != null ? vectorizer.idfWeights() : lookup.idfWeights();
    }

    boolean tfIdf() {
        if (hashing != null) {
            return false;
        }
        return vectorizer != null ? vectorizer.outputMode() == TextVectorization.OutputMode.TF_IDF
                : lookup.outputMode() == StringLookup.OutputMode.TF_IDF;
    }

    boolean intMode() {
        if (hashing != null) {
            return hashing.outputMode() == Hashing.OutputMode.INT;
        }
        return vectorizer != null ? vectorizer.outputMode() == TextVectorization.OutputMode.INT
                : lookup.outputMode() == StringLookup.OutputMode.INT;
    }

    /** Whether the size of its vectors is max_tokens (then the vocabulary may be smaller). */
    boolean padded() {
        return vectorizer != null ? vectorizer.padToMaxTokens() : lookup.padToMaxTokens();
    }

    /** One sample's output shape for a string input of sample shape {@code (n)} (or {@code ()}, n = 1). */
    int[] outputShape(int n) {
        return vectorizer != null ? vectorizer.outputShape() : lookup != null ? lookup.outputShape(n)
                : hashing.outputShape(n);
    }
}
