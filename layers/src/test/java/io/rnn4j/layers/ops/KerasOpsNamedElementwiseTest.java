package io.rnn4j.layers.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Symbolic;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.model.Model;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * KerasOps's methods named as keras.ops's (exp, log, abs, square, sqrt, reciprocal, silu, relu6,
 * log_softmax with its default axis) record the operation Keras records and compute it (to 1e-6
 * relative of a float64 reference); a null kind is refused saying what Unary.Kind.of takes.
 */
class KerasOpsNamedElementwiseTest {
    private static final float[] X = {0.25f, 0.5f, 1.5f, 3f};

    private static void computes(String kerasClass, Function<Symbolic, SymbolicTensor> op,
            DoubleUnaryOperator ref) {
        Input in = Input.shape(4);
        Model m = Model.of(in, op.apply(in));
        assertThat(m.layers().get(m.layers().size() - 1).className()).isEqualTo(kerasClass);
        float[] y = m.predict(Tensor.of(X, 1, 4)).toArray();
        for (int i = 0; i < X.length; i++) {
            double want = ref.applyAsDouble(X[i]);
            assertThat((double) y[i]).as("%s(%s) (bar 1e-6 relative)", kerasClass, X[i])
                    .isCloseTo(want, within(1e-6 * Math.abs(want) + 1e-7));
        }
    }

    @Test
    void theNamedMethodsRecordKerassOperations() {
        computes("Exp", KerasOps::exp, Math::exp);
        computes("Log", KerasOps::log, Math::log);
        computes("Absolute", KerasOps::abs, Math::abs);
        computes("Square", KerasOps::square, v -> v * v);
        computes("Sqrt", KerasOps::sqrt, Math::sqrt);
        computes("Reciprocal", KerasOps::reciprocal, v -> 1 / v);
        computes("Silu", KerasOps::silu, v -> v / (1 + Math.exp(-v)));
        computes("Relu6", KerasOps::relu6, v -> Math.min(Math.max(v, 0), 6));
        double logSum = Math.log(Math.exp(0.25) + Math.exp(0.5) + Math.exp(1.5) + Math.exp(3));
        computes("LogSoftmax", KerasOps::logSoftmax, v -> v - logSum);
    }

    @Test
    void aNullKindIsRefusedSayingWhatKindOfTakes() {
        assertThatThrownBy(() -> KerasOps.elementwise(Unary.Kind.of("leaky_relu"), Input.shape(3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unary.Kind.of takes Keras's class name: \"LeakyRelu\"");
    }
}
