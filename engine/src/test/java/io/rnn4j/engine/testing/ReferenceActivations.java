package io.rnn4j.engine.testing;

import io.rnn4j.engine.UnaryOp;

/**
 * Every {@link UnaryOp} and its derivative in float64, written from the definitions (Keras 3 and
 * TensorFlow) and independently of the scalar backend: where a formula has a numerically safe form
 * that differs from the backend's, this one uses it, so the two agreeing means something.
 *
 * <p>Conventions the contract pins down: NaN gives NaN; at ±∞ an activation gives its limit and a
 * derivative its limit; at the kinks the derivative is TensorFlow's gradient (relu'(0) = 0,
 * abs'(0) = 0, elu'(0) = 1, selu'(0) = scale, hard_sigmoid slope 1/6 on the open (−3, 3), Keras 2
 * hard_sigmoid slope 0.2 on the closed [−2.5, 2.5]).
 */
public final class ReferenceActivations {
    private static final double ALPHA = 1.6732632423543772848170429916717;
    private static final double SCALE = 1.0507009873554804934193349852946;

    private ReferenceActivations() {
    }

    /** Whether {@code op} is a Keras activation (never NaN for finite input) rather than plain math. */
    public static boolean isActivation(UnaryOp op) {
        return switch (op) {
            case EXP, LOG, NEG, ABS, SQUARE, SQRT, RECIPROCAL -> false;
            default -> true;
        };
    }

    /**
     * The points where {@code op} or its derivative is not smooth (softsign's derivative has a corner
     * at 0), which finite differences must keep clear of.
     */
    public static double[] kinks(UnaryOp op) {
        return switch (op) {
            case RELU, ELU, SELU, ABS, SOFTSIGN -> new double[] {0};
            case HARD_SIGMOID -> new double[] {-3, 3};
            case HARD_SIGMOID_KERAS2 -> new double[] {-2.5, 2.5};
            case LOG, SQRT, RECIPROCAL -> new double[] {0};
            default -> new double[0];
        };
    }

    /** Whether {@code x} is where {@code op} is defined and real (log and sqrt need x > 0, 1/x needs x ≠ 0). */
    public static boolean inDomain(UnaryOp op, double x) {
        return switch (op) {
            case LOG, SQRT -> x > 0;
            case RECIPROCAL -> x != 0;
            default -> true;
        };
    }

    /** {@code op(x)}. */
    public static double value(UnaryOp op, double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        return switch (op) {
            case LINEAR -> x;
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1.0 / (1.0 + Math.exp(-x)); // no cancellation: exp(-x) only grows the denominator
            case HARD_SIGMOID -> x <= -3 ? 0.0 : x >= 3 ? 1.0 : x / 6.0 + 0.5;
            case HARD_SIGMOID_KERAS2 -> x <= -2.5 ? 0.0 : x >= 2.5 ? 1.0 : 0.2 * x + 0.5;
            case RELU -> x > 0 ? x : 0.0;
            case ELU -> x > 0 ? x : Math.expm1(x);
            case SELU -> x > 0 ? SCALE * x : SCALE * ALPHA * Math.expm1(x);
            case SOFTPLUS -> x > 30 ? x + Math.exp(-x) : Math.log1p(Math.exp(x));
            case SOFTSIGN -> Double.isInfinite(x) ? Math.signum(x) : x / (1.0 + Math.abs(x));
            case SWISH -> x == Double.NEGATIVE_INFINITY ? 0.0 : x / (1.0 + Math.exp(-x));
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SQUARE -> x * x;
            case SQRT -> Math.sqrt(x);
            case RECIPROCAL -> 1.0 / x;
        };
    }

    /** {@code op'(x)}. */
    public static double derivative(UnaryOp op, double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        double e = Math.exp(-Math.abs(x)); // in (0, 1]: the logistic terms without overflow
        return switch (op) {
            case LINEAR -> 1.0;
            case TANH -> {
                double c = Math.cosh(x);
                yield 1.0 / (c * c);
            }
            case SIGMOID -> e / ((1.0 + e) * (1.0 + e));
            case HARD_SIGMOID -> x > -3 && x < 3 ? 1.0 / 6.0 : 0.0;
            case HARD_SIGMOID_KERAS2 -> x >= -2.5 && x <= 2.5 ? 0.2 : 0.0;
            case RELU -> x > 0 ? 1.0 : 0.0;
            case ELU -> x > 0 ? 1.0 : Math.exp(x);
            case SELU -> x >= 0 ? SCALE : SCALE * ALPHA * Math.exp(x);
            case SOFTPLUS -> x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
            case SOFTSIGN -> 1.0 / ((1.0 + Math.abs(x)) * (1.0 + Math.abs(x)));
            case SWISH -> {
                if (Double.isInfinite(x)) {
                    yield x > 0 ? 1.0 : 0.0;
                }
                double s = x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
                double oneMinusS = x >= 0 ? e / (1.0 + e) : 1.0 / (1.0 + e);
                yield s * (1.0 + x * oneMinusS);
            }
            case EXP -> Math.exp(x);
            case LOG -> 1.0 / x;
            case NEG -> -1.0;
            case ABS -> x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0;
            case SQUARE -> 2.0 * x;
            case SQRT -> 0.5 / Math.sqrt(x);
            case RECIPROCAL -> -1.0 / (x * x);
        };
    }
}
