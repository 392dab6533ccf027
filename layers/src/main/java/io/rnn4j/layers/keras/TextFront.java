package io.rnn4j.layers.keras;

import io.rnn4j.layers.StringLookup;
import io.rnn4j.layers.TextVectorization;
import java.util.List;
import java.util.Map;

/**
 * The preprocessor on a model's string input — a TextVectorization or a StringLookup — with what
 * saving and loading need of either: its Keras class and config, its saving path, where Keras puts
 * its vocabulary asset and idf weights, and its output shape. Exactly one of the two is set.
 */
record TextFront(TextVectorization vectorizer, StringLookup lookup) {
    static boolean isFront(String className) {
        return TextVectorizationConfig.CLASS.equals(className) || StringLookupConfig.CLASS.equals(className);
    }

    static TextFront read(String className, String name, Map<String, Object> config) {
        return className.equals(TextVectorizationConfig.CLASS)
                ? new TextFront(TextVectorizationConfig.read(name, config), null)
                : new TextFront(null, StringLookupConfig.read(name, config));
    }

    String className() {
        return vectorizer != null ? TextVectorizationConfig.CLASS : StringLookupConfig.CLASS;
    }

    String name() {
        return vectorizer != null ? vectorizer.name() : lookup.name();
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
        return vectorizer != null ? TextVectorizationConfig.write(vectorizer, trainable)
                : StringLookupConfig.write(lookup, trainable);
    }

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
        return vectorizer != null ? vectorizer.idfWeights() : lookup.idfWeights();
    }

    boolean tfIdf() {
        return vectorizer != null ? vectorizer.outputMode() == TextVectorization.OutputMode.TF_IDF
                : lookup.outputMode() == StringLookup.OutputMode.TF_IDF;
    }

    boolean intMode() {
        return vectorizer != null ? vectorizer.outputMode() == TextVectorization.OutputMode.INT
                : lookup.outputMode() == StringLookup.OutputMode.INT;
    }

    /** Whether the size of its vectors is max_tokens (then the vocabulary may be smaller). */
    boolean padded() {
        return vectorizer != null ? vectorizer.padToMaxTokens() : lookup.padToMaxTokens();
    }

    /** One sample's output shape for a string input of sample shape {@code (n)} (or {@code ()}, n = 1). */
    int[] outputShape(int n) {
        return vectorizer != null ? vectorizer.outputShape() : lookup.outputShape(n);
    }
}
