package io.rnn4j.engine;

import java.util.Locale;

/**
 * Elementwise functions of one tensor: Keras's activations and the plain math the layers need.
 * Constants are Keras's defaults (ELU alpha 1; SELU's alpha and scale).
 */
public enum UnaryOp {
    /** Keras "linear": the identity. */
    LINEAR,
    TANH,
    SIGMOID,
    /** Keras 3's hard_sigmoid: {@code relu6(x + 3) / 6}. */
    HARD_SIGMOID,
    /** Keras 2's hard_sigmoid: {@code clip(0.2 x + 0.5, 0, 1)}. */
    HARD_SIGMOID_KERAS2,
    RELU,
    /** ELU with alpha 1. */
    ELU,
    /** SELU with alpha 1.67326324 and scale 1.05070098. */
    SELU,
    SOFTPLUS,
    SOFTSIGN,
    /** swish / silu: {@code x * sigmoid(x)}. */
    SWISH,
    EXP,
    /** Natural logarithm. */
    LOG,
    NEG,
    ABS,
    SQUARE,
    SQRT,
    RECIPROCAL;

    public static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    public static final double SELU_SCALE = 1.0507009873554804934193349852946;

    /**
     * The activation a Keras config names ("tanh", "sigmoid", "hard_sigmoid", "relu", "silu", …;
     * {@code null} or "linear" is the identity). {@code keras2} picks Keras 2's hard_sigmoid.
     */
    public static UnaryOp activation(String kerasName, boolean keras2) {
        if (kerasName == null) {
            return LINEAR;
        }
        return switch (kerasName.toLowerCase(Locale.ROOT)) {
            case "linear" -> LINEAR;
            case "tanh" -> TANH;
            case "sigmoid" -> SIGMOID;
            case "hard_sigmoid" -> keras2 ? HARD_SIGMOID_KERAS2 : HARD_SIGMOID;
            case "relu" -> RELU;
            case "elu" -> ELU;
            case "selu" -> SELU;
            case "softplus" -> SOFTPLUS;
            case "softsign" -> SOFTSIGN;
            case "swish", "silu" -> SWISH;
            case "exponential" -> EXP;
            default -> throw new IllegalArgumentException("activation: expected one of linear, tanh, sigmoid, "
                    + "hard_sigmoid, relu, elu, selu, softplus, softsign, swish, silu, exponential; got '"
                    + kerasName + "'");
        };
    }

    /** The name Keras gives this activation. */
    public String kerasName() {
        return switch (this) {
            case HARD_SIGMOID, HARD_SIGMOID_KERAS2 -> "hard_sigmoid";
            case EXP -> "exponential";
            case SWISH -> "silu";
            default -> name().toLowerCase(Locale.ROOT);
        };
    }
}
