package io.rnn4j.engine.scalar;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.UnaryOp;

/**
 * The elementwise functions and their derivatives, one value at a time, computed in double and
 * rounded once to float. Other backends use these as the tail of their vector loops and as the
 * oracle in tests.
 */
public final class ScalarMath {
    private ScalarMath() {
    }

    /** {@code op(x)}. */
    public static float apply(UnaryOp op, float x) {
        double v = x;
        return (float) switch (op) {
            case LINEAR -> v;
            case TANH -> Math.tanh(v);
            case SIGMOID -> sigmoid(v);
            case HARD_SIGMOID -> Math.min(Math.max(v + 3.0, 0.0), 6.0) / 6.0;
            case HARD_SIGMOID_KERAS2 -> Math.min(Math.max(0.2 * v + 0.5, 0.0), 1.0);
            case RELU -> v > 0 ? v : 0.0;
            case ELU -> v > 0 ? v : Math.expm1(v);
            case SELU -> v > 0 ? UnaryOp.SELU_SCALE * v : UnaryOp.SELU_SCALE * UnaryOp.SELU_ALPHA * Math.expm1(v);
            case SOFTPLUS -> v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
            case SOFTSIGN -> v / (1.0 + Math.abs(v));
            case SWISH -> v * sigmoid(v);
            case EXP -> Math.exp(v);
            case LOG -> Math.log(v);
            case NEG -> -v;
            case ABS -> Math.abs(v);
            case SQUARE -> v * v;
            case SQRT -> Math.sqrt(v);
            case RECIPROCAL -> 1.0 / v;
        };
    }

    /** {@code op'(x)}, the derivative at x (0 at the kinks of relu and the hard sigmoids' ends). */
    public static float derivative(UnaryOp op, float x) {
        double v = x;
        return (float) switch (op) {
            case LINEAR -> 1.0;
            case TANH -> {
                double t = Math.tanh(v);
                yield 1.0 - t * t;
            }
            case SIGMOID -> {
                double s = sigmoid(v);
                yield s * (1.0 - s);
            }
            case HARD_SIGMOID -> v > -3.0 && v < 3.0 ? 1.0 / 6.0 : 0.0;
            case HARD_SIGMOID_KERAS2 -> v > -2.5 && v < 2.5 ? 0.2 : 0.0;
            case RELU -> v > 0 ? 1.0 : 0.0;
            case ELU -> v > 0 ? 1.0 : Math.exp(v);
            case SELU -> v > 0 ? UnaryOp.SELU_SCALE : UnaryOp.SELU_SCALE * UnaryOp.SELU_ALPHA * Math.exp(v);
            case SOFTPLUS -> sigmoid(v);
            case SOFTSIGN -> 1.0 / ((1.0 + Math.abs(v)) * (1.0 + Math.abs(v)));
            case SWISH -> {
                double s = sigmoid(v);
                yield s + v * s * (1.0 - s);
            }
            case EXP -> Math.exp(v);
            case LOG -> 1.0 / v;
            case NEG -> -1.0;
            case ABS -> Math.signum(v);
            case SQUARE -> 2.0 * v;
            case SQRT -> 0.5 / Math.sqrt(v);
            case RECIPROCAL -> -1.0 / (v * v);
        };
    }

    /** {@code op(a, b)}. */
    public static float apply(BinaryOp op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
        };
    }

    /** The logistic function, without overflow for large |v|. */
    public static double sigmoid(double v) {
        if (v >= 0) {
            return 1.0 / (1.0 + Math.exp(-v));
        }
        double e = Math.exp(v);
        return e / (1.0 + e);
    }
}
