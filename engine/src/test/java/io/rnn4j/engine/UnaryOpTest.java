package io.rnn4j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Keras activation names map to the ops (hard_sigmoid by Keras version) and back. */
class UnaryOpTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"linear, LINEAR", "tanh, TANH", "sigmoid, SIGMOID", "hard_sigmoid, HARD_SIGMOID", "relu, RELU",
        "elu, ELU", "selu, SELU", "softplus, SOFTPLUS", "softsign, SOFTSIGN", "swish, SWISH", "silu, SWISH",
        "exponential, EXP", "TANH, TANH", "relu6, RELU6", "leaky_relu, LEAKY_RELU", "gelu, GELU", "mish, MISH",
        "hard_silu, HARD_SILU", "hard_swish, HARD_SILU", "celu, CELU", "hard_tanh, HARD_TANH",
        "log_sigmoid, LOG_SIGMOID", "tanh_shrink, TANH_SHRINK", "soft_shrink, SOFT_SHRINK", "hard_shrink, HARD_SHRINK",
        "squareplus, SQUAREPLUS", "sparse_plus, SPARSE_PLUS", "sparse_sigmoid, SPARSE_SIGMOID"})
    void kerasNamesMapToOps(String name, UnaryOp op) {
        assertThat(UnaryOp.activation(name, false)).isEqualTo(op);
    }

    @Test
    void hardSigmoidFollowsTheKerasVersionAndNullIsLinear() {
        assertThat(UnaryOp.activation("hard_sigmoid", true)).isEqualTo(UnaryOp.HARD_SIGMOID_KERAS2);
        assertThat(UnaryOp.activation("hard_sigmoid", false)).isEqualTo(UnaryOp.HARD_SIGMOID);
        assertThat(UnaryOp.activation(null, false)).isEqualTo(UnaryOp.LINEAR);
    }

    @Test
    void everyActivationNameRoundTrips() {
        for (UnaryOp op : UnaryOp.values()) {
            // the activations come first, then the plain math; keras.ops.gelu's default has no activation name
            if (op.ordinal() <= UnaryOp.EXP.ordinal() && op != UnaryOp.GELU_APPROXIMATE) {
                boolean keras2 = op == UnaryOp.HARD_SIGMOID_KERAS2;
                assertThat(UnaryOp.activation(op.kerasName(), keras2)).as(op.kerasName()).isEqualTo(op);
            }
        }
    }

    @Test
    void unknownNamesListTheKnownOnes() {
        assertThatThrownBy(() -> UnaryOp.activation("glu", false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("activation", "tanh", "hard_sigmoid", "silu", "gelu", "got 'glu'");
    }
}
