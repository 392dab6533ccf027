package io.rnn4j.engine;

import java.util.Locale;

/**
 * Elementwise functions of one tensor: Keras's activations and the plain math the layers need.
 * Constants are the defaults a Keras activation named by string takes (ELU and CELU alpha 1; SELU's
 * alpha and scale; leaky_relu's slope 0.2; the shrinks' threshold 0.5; squareplus's b 4).
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
    /** {@code min(max(x, 0), 6)}. */
    RELU6,
    /** Keras's leaky_relu activation: {@code x > 0 ? x : 0.2 x} (its default negative_slope). */
    LEAKY_RELU,
    /** Keras's gelu activation, the exact one: {@code x Φ(x) = x (1 + erf(x / √2)) / 2}. */
    GELU,
    /**
     * Keras's {@code gelu(x, approximate=True)} (the default of {@code keras.ops.gelu}):
     * {@code x (1 + tanh(√(2/π) (x + 0.044715 x³))) / 2}, computed as {@code x sigmoid(2u)}, its
     * cancellation-free form.
     */
    GELU_APPROXIMATE,
    /** {@code x tanh(softplus(x))}. */
    MISH,
    /** hard_silu / hard_swish: {@code x · hard_sigmoid(x)}, Keras 3's hard_sigmoid. */
    HARD_SILU,
    /** CELU with alpha 1: {@code max(x, 0) + expm1(min(x, 0))}; the values of ELU, TensorFlow's slope 2 at 0. */
    CELU,
    /** {@code clip(x, -1, 1)}. */
    HARD_TANH,
    /** {@code log(sigmoid(x)) = -softplus(-x)}. */
    LOG_SIGMOID,
    /** {@code x - tanh(x)}. */
    TANH_SHRINK,
    /** Keras's soft_shrink with threshold 0.5: {@code x ∓ 0.5} outside [-0.5, 0.5], 0 inside. */
    SOFT_SHRINK,
    /** Keras's hard_shrink with threshold 0.5: {@code x} where {@code |x| > 0.5}, else 0. */
    HARD_SHRINK,
    /** Keras's squareplus with b = 4: {@code (x + sqrt(x² + 4)) / 2}. */
    SQUAREPLUS,
    /** 0 up to -1, {@code (x + 1)² / 4} on (-1, 1), x from 1. */
    SPARSE_PLUS,
    /** 0 up to -1, {@code (x + 1) / 2} on (-1, 1), 1 from 1. */
    SPARSE_SIGMOID,
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
    /** Keras's leaky_relu activation's default negative_slope. */
    public static final double LEAKY_RELU_SLOPE = 0.2;
    /** Keras's soft_shrink and hard_shrink activations' default threshold. */
    public static final double SHRINK_THRESHOLD = 0.5;
    /** Keras's squareplus activation's default b. */
    public static final double SQUAREPLUS_B = 4;

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
            case "relu6" -> RELU6;
            case "leaky_relu" -> LEAKY_RELU;
            case "gelu" -> GELU;
            case "mish" -> MISH;
            case "hard_silu", "hard_swish" -> HARD_SILU;
            case "celu" -> CELU;
            case "hard_tanh" -> HARD_TANH;
            case "log_sigmoid" -> LOG_SIGMOID;
            case "tanh_shrink" -> TANH_SHRINK;
            case "soft_shrink" -> SOFT_SHRINK;
            case "hard_shrink" -> HARD_SHRINK;
            case "squareplus" -> SQUAREPLUS;
            case "sparse_plus" -> SPARSE_PLUS;
            case "sparse_sigmoid" -> SPARSE_SIGMOID;
            default -> throw new IllegalArgumentException("activation: expected one of linear, tanh, sigmoid, "
                    + "hard_sigmoid, relu, elu, selu, softplus, softsign, swish, silu, exponential, relu6, "
                    + "leaky_relu, gelu, mish, hard_silu, hard_swish, celu, hard_tanh, log_sigmoid, tanh_shrink, "
                    + "soft_shrink, hard_shrink, squareplus, sparse_plus, sparse_sigmoid; got '" + kerasName + "'");
        };
    }

    /** The name Keras gives this activation ("gelu_approximate" for {@link #GELU_APPROXIMATE}, which has none). */
    public String kerasName() {
        return switch (this) {
            case HARD_SIGMOID, HARD_SIGMOID_KERAS2 -> "hard_sigmoid";
            case EXP -> "exponential";
            case SWISH -> "silu";
            default -> name().toLowerCase(Locale.ROOT);
        };
    }
}
