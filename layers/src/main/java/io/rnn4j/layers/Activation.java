package io.rnn4j.layers;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Keras's activations. All but softmax are elementwise ({@link #unaryOp()}); softmax is taken along
 * the last axis. {@link #HARD_SIGMOID} is Keras 3's {@code relu6(x + 3) / 6};
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
    SOFTMAX(null, "softmax");

    private final UnaryOp op;
    private final String kerasName;

    Activation(UnaryOp op, String kerasName) {
        this.op = op;
        this.kerasName = kerasName;
    }

    /** The elementwise engine op, or null for {@link #SOFTMAX}. */
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
        if (op == null) {
            return Ops.softmaxActivation(x);
        }
        return op == UnaryOp.SIGMOID ? Ops.sigmoidActivation(x) : Ops.unary(op, x);
    }

    /**
     * The activation Keras calls {@code name} ("relu", "tanh", "swish", ...; null is linear);
     * "hard_sigmoid" is Keras 3's.
     *
     * @throws IllegalArgumentException naming the known activations
     */
    public static Activation of(String name) {
        if (name == null) {
            return LINEAR;
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("swish")) {
            return SWISH;
        }
        for (Activation a : values()) {
            if (a.kerasName.equals(n) && a != HARD_SIGMOID_KERAS2) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name + "'; expected one of "
                + Arrays.stream(values()).filter(a -> a != HARD_SIGMOID_KERAS2).map(Activation::kerasName)
                        .collect(Collectors.joining(", ")) + ", swish");
    }
}
