package io.rnn4j.layers;

/** Looks activations up by Keras name on behalf of a layer, so errors name the layer. */
final class Activations {
    private Activations() {
    }

    static Activation named(String activation, String layer) {
        try {
            return Activation.of(activation);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(layer + ": " + e.getMessage(), e);
        }
    }
}
