package io.rnn4j.layers.regularizers;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;

/** Keras's L1, L2 and L1L2 regularizers: {@code l1·Σ|w| + l2·Σw²}. Keras's default factor is 0.01. */
public final class Regularizers {
    private Regularizers() {
    }

    /** {@code l1 · Σ|w|}. */
    public static Regularizer l1(float l1) {
        return l1l2(l1, 0f);
    }

    /** {@code l2 · Σw²}. */
    public static Regularizer l2(float l2) {
        return l1l2(0f, l2);
    }

    /** {@code l1 · Σ|w| + l2 · Σw²}. */
    public static Regularizer l1l2(float l1, float l2) {
        if (!(l1 >= 0f) || !(l2 >= 0f)) {
            throw new IllegalArgumentException("regularizer: l1 and l2 must be >= 0, got l1=" + l1 + " l2=" + l2);
        }
        return weight -> {
            Variable total = null;
            if (l1 > 0f) {
                total = Ops.scale(Ops.sumAll(Ops.unary(UnaryOp.ABS, weight)), l1);
            }
            if (l2 > 0f) {
                Variable p = Ops.scale(Ops.sumAll(Ops.unary(UnaryOp.SQUARE, weight)), l2);
                total = total == null ? p : Ops.add(total, p);
            }
            return total != null ? total : Ops.scale(Ops.sumAll(weight), 0f);
        };
    }
}
