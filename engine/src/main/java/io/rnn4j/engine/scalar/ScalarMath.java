package io.rnn4j.engine.scalar;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.UnaryOp;

/**
 * The elementwise functions and their derivatives, one value at a time, computed in double and
 * rounded once to float. Other backends use these as the tail of their vector loops and as the
 * oracle in tests.
 *
 * <p>Conventions every backend follows (the contract tests check them):
 * <ul>
 *   <li>NaN in, NaN out, for every function (relu included).
 *   <li>An activation never gives NaN for a finite input; at ±∞ it gives its limit (softsign ±1,
 *       swish 0 and +∞), where TensorFlow's formulas would give NaN.
 *   <li>Derivatives at the kinks are TensorFlow's gradients: relu'(0) = 0, abs'(0) = 0,
 *       selu'(0) = scale and elu'(0) = 1 (TF's Selu/EluGrad test the output {@code < 0}),
 *       Keras 3's hard_sigmoid (relu6(x + 3) / 6) has slope 1/6 on the open interval (-3, 3),
 *       Keras 2's (clip(0.2x + 0.5, 0, 1), a min/max pair whose gradients pass ties) has slope 0.2
 *       on the closed interval [-2.5, 2.5]. At ±∞ derivatives are their limits.
 * </ul>
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
            case RELU -> Math.max(v, 0.0); // Math.max keeps NaN, unlike v > 0 ? v : 0
            case ELU -> v > 0 ? v : Math.expm1(v);
            case SELU -> v > 0 ? UnaryOp.SELU_SCALE * v : UnaryOp.SELU_SCALE * UnaryOp.SELU_ALPHA * Math.expm1(v);
            case SOFTPLUS -> v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
            case SOFTSIGN -> Double.isInfinite(v) ? Math.signum(v) : v / (1.0 + Math.abs(v));
            case SWISH -> v == Double.NEGATIVE_INFINITY ? 0.0 : v * sigmoid(v);
            case EXP -> Math.exp(v);
            case LOG -> Math.log(v);
            case NEG -> -v;
            case ABS -> Math.abs(v);
            case SQUARE -> v * v;
            case SQRT -> Math.sqrt(v);
            case RECIPROCAL -> 1.0 / v;
        };
    }

    /** {@code op'(x)}, the derivative at x; at the kinks, TensorFlow's choice (see the class comment). */
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
            case HARD_SIGMOID_KERAS2 -> v >= -2.5 && v <= 2.5 ? 0.2 : 0.0;
            case RELU -> v > 0 ? 1.0 : 0.0;
            case ELU -> v > 0 ? 1.0 : Math.exp(v);
            case SELU -> v >= 0 ? UnaryOp.SELU_SCALE : UnaryOp.SELU_SCALE * UnaryOp.SELU_ALPHA * Math.exp(v);
            case SOFTPLUS -> sigmoid(v);
            case SOFTSIGN -> 1.0 / ((1.0 + Math.abs(v)) * (1.0 + Math.abs(v)));
            case SWISH -> {
                if (Double.isInfinite(v)) {
                    yield v > 0 ? 1.0 : 0.0; // v · s · (1 − s) is ∞ · 0 there
                }
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
