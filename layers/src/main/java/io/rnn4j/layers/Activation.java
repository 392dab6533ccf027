package io.rnn4j.layers;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Keras's activations, as a layer's {@code activation="..."} names them (so with their default
 * parameters). All but softmax and log_softmax are elementwise ({@link #unaryOp()}); those two are
 * taken along the last axis. {@link #HARD_SIGMOID} is Keras 3's {@code relu6(x + 3) / 6};
 * {@link #HARD_SIGMOID_KERAS2} is Keras 2's {@code clip(0.2x + 0.5, 0, 1)}.
 */
public enum Activation {
    LINEAR(UnaryOp.LINEAR, "linear"),
    TANH(UnaryOp.TANH, "tanh"),
    SIGMOID(UnaryOp.SIGMOID, "sigmoid"),
    HARD_SIGMOID(UnaryOp.HARD_SIGMOID, "hard_sigmoid"),
    HARD_SIGMOID_KERAS2(UnaryOp.HARD_SIGMOID_KERAS2, "hard_sigmoid"),
    RELU(UnaryOp.RELU, "relu"),
    ELU(UnaryOp.ELU, "elu"),
    SELU(UnaryOp.SELU, "selu"),
    SOFTPLUS(UnaryOp.SOFTPLUS, "softplus"),
    SOFTSIGN(UnaryOp.SOFTSIGN, "softsign"),
    SWISH(UnaryOp.SWISH, "silu"),
    EXPONENTIAL(UnaryOp.EXP, "exponential"),
    RELU6(UnaryOp.RELU6, "relu6"),
    /** Keras's leaky_relu activation, with its default negative_slope 0.2. */
    LEAKY_RELU(UnaryOp.LEAKY_RELU, "leaky_relu"),
    /** Keras's gelu activation: the exact one, {@code x Φ(x)} (as {@code approximate=False}). */
    GELU(UnaryOp.GELU, "gelu"),
    MISH(UnaryOp.MISH, "mish"),
    HARD_SILU(UnaryOp.HARD_SILU, "hard_silu"),
    /** CELU with alpha 1. */
    CELU(UnaryOp.CELU, "celu"),
    HARD_TANH(UnaryOp.HARD_TANH, "hard_tanh"),
    LOG_SIGMOID(UnaryOp.LOG_SIGMOID, "log_sigmoid"),
    TANH_SHRINK(UnaryOp.TANH_SHRINK, "tanh_shrink"),
    /** Keras's soft_shrink activation, with its default threshold 0.5. */
    SOFT_SHRINK(UnaryOp.SOFT_SHRINK, "soft_shrink"),
    /** Keras's hard_shrink activation, with its default threshold 0.5. */
    HARD_SHRINK(UnaryOp.HARD_SHRINK, "hard_shrink"),
    /** Keras's squareplus activation, with its default b = 4. */
    SQUAREPLUS(UnaryOp.SQUAREPLUS, "squareplus"),
    SPARSE_PLUS(UnaryOp.SPARSE_PLUS, "sparse_plus"),
    SPARSE_SIGMOID(UnaryOp.SPARSE_SIGMOID, "sparse_sigmoid"),
    SOFTMAX(null, "softmax"),
    /** log(softmax(x)) along the last axis, as TensorFlow's log_softmax computes it. */
    LOG_SOFTMAX(null, "log_softmax");

    private final UnaryOp op;
    private final String kerasName;

    Activation(UnaryOp op, String kerasName) {
        this.op = op;
        this.kerasName = kerasName;
    }

    /** The elementwise engine op, or null for {@link #SOFTMAX} and {@link #LOG_SOFTMAX}. */
    public UnaryOp unaryOp() {
        return op;
    }

    /** The name Keras uses in configs. */
    public String kerasName() {
        return kerasName;
    }

    /**
     * This activation applied to {@code x}; softmax and sigmoid remember x as the result's logits
     * ({@link Variable#logits()}), so that a crossentropy on it works from them as Keras's does.
     */
    public Variable apply(Variable x) {
        if (this == LOG_SOFTMAX) {
            return Ops.logSoftmax(x, -1);
        }
        if (op == null) {
            return Ops.softmaxActivation(x);
        }
        return op == UnaryOp.SIGMOID ? Ops.sigmoidActivation(x) : Ops.unary(op, x);
    }

    /**
     * The activation Keras calls {@code name} ("relu", "tanh", "swish", "gelu", ...; null is linear);
     * "hard_sigmoid" is Keras 3's. Keras's glu, sparsemax and threshold are refused, saying why.
     *
     * @throws IllegalArgumentException naming the known activations
     */
    public static Activation of(String name) {
        if (name == null) {
            return LINEAR;
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "swish" -> {
                return SWISH;
            }
            case "hard_swish" -> {
                return HARD_SILU;
            }
            case "glu", "sparsemax", "threshold" -> throw new IllegalArgumentException("activation '" + name
                    + "' is not supported: " + whyNot(n));
            default -> {
            }
        }
        for (Activation a : values()) {
            if (a.kerasName.equals(n) && a != HARD_SIGMOID_KERAS2) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name + "'; expected one of "
                + Arrays.stream(values()).filter(a -> a != HARD_SIGMOID_KERAS2).map(Activation::kerasName)
                        .collect(Collectors.joining(", ")) + ", swish, hard_swish");
    }

    /** Why rnn4j has no counterpart of Keras's glu, sparsemax or threshold. */
    private static String whyNot(String name) {
        return switch (name) {
            case "threshold" -> "Keras's threshold needs its threshold and default_value, which an activation "
                    + "name cannot give";
            case "glu" -> "glu halves the last axis, so a layer's output would not have the shape the layer declares";
            default -> "sparsemax needs a sort along the last axis, which rnn4j's backends do not have";
        };
    }
}
