package io.rnn4j.layers.regularizers;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Optional;

/** Keras's L1, L2 and L1L2 regularizers: {@code l1·Σ|w| + l2·Σw²}. Keras's default factor is 0.01. */
public final class Regularizers {
    private Regularizers() {
    }

    /** Keras's L1(l1): {@code l1 · Σ|w|}; the factor is kept as a float32. */
    public static Regularizer l1(double l1) {
        float a = (float) l1;
        return new L1L2(a, 0f, KerasConfig.of("L1", "l1", KerasConfig.decimal(a)));
    }

    /** Keras's L2(l2): {@code l2 · Σw²}; the factor is kept as a float32. */
    public static Regularizer l2(double l2) {
        float b = (float) l2;
        return new L1L2(0f, b, KerasConfig.of("L2", "l2", KerasConfig.decimal(b)));
    }

    /** Keras's L1L2(l1, l2): {@code l1 · Σ|w| + l2 · Σw²}; the factors are kept as float32. */
    public static Regularizer l1l2(double l1, double l2) {
        float a = (float) l1;
        float b = (float) l2;
        return new L1L2(a, b, KerasConfig.of("L1L2", "l1", KerasConfig.decimal(a), "l2", KerasConfig.decimal(b)));
    }

    /** The one penalty behind Keras's three classes; {@code config} names the class it was made as. */
    private record L1L2(float l1, float l2, KerasConfig config) implements Regularizer {
        L1L2 {
            if (!(l1 >= 0f) || !(l2 >= 0f)) {
                throw new IllegalArgumentException("regularizer: l1 and l2 must be >= 0, got l1=" + l1 + " l2=" + l2);
            }
        }

        @Override
        public Variable penalty(Variable weight) {
            Variable total = null;
            if (l1 > 0f) {
                total = Ops.scale(Ops.sumAll(Ops.unary(UnaryOp.ABS, weight)), l1);
            }
            if (l2 > 0f) {
                Variable p = Ops.scale(Ops.sumAll(Ops.unary(UnaryOp.SQUARE, weight)), l2);
                total = total == null ? p : Ops.add(total, p);
            }
            return total != null ? total : Ops.scale(Ops.sumAll(weight), 0f);
        }

        @Override
        public Optional<KerasConfig> kerasConfig() {
            return Optional.of(config);
        }
    }
}
