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
            case SOFTPLUS -> softplus(v);
            case SOFTSIGN -> Double.isInfinite(v) ? Math.signum(v) : v / (1.0 + Math.abs(v));
            case SWISH -> v == Double.NEGATIVE_INFINITY ? 0.0 : v * sigmoid(v);
            case RELU6 -> Math.min(Math.max(v, 0.0), 6.0);
            case LEAKY_RELU -> v > 0 ? v : UnaryOp.LEAKY_RELU_SLOPE * v;
            case GELU -> v == Double.NEGATIVE_INFINITY ? 0.0 : v * normalCdf(v);
            case GELU_APPROXIMATE -> v == Double.NEGATIVE_INFINITY ? 0.0 : v * sigmoid(2 * geluTanhArgument(v));
            case MISH -> v == Double.NEGATIVE_INFINITY ? 0.0 : v * Math.tanh(softplus(v));
            case HARD_SILU -> v == Double.NEGATIVE_INFINITY ? 0.0 : v * (Math.min(Math.max(v + 3.0, 0.0), 6.0) / 6.0);
            case CELU -> v > 0 ? v : Math.expm1(v);
            case HARD_TANH -> Math.min(Math.max(v, -1.0), 1.0);
            case LOG_SIGMOID -> -softplus(-v);
            case TANH_SHRINK -> tanhShrink(v);
            case SOFT_SHRINK -> v > UnaryOp.SHRINK_THRESHOLD ? v - UnaryOp.SHRINK_THRESHOLD
                    : v < -UnaryOp.SHRINK_THRESHOLD ? v + UnaryOp.SHRINK_THRESHOLD : Double.isNaN(v) ? v : 0.0;
            case HARD_SHRINK -> Math.abs(v) > UnaryOp.SHRINK_THRESHOLD || Double.isNaN(v) ? v : 0.0;
            case SQUAREPLUS -> squareplus(v);
            case SPARSE_PLUS -> v <= -1 ? 0.0 : v < 1 ? (v + 1) * (v + 1) / 4 : v;
            case SPARSE_SIGMOID -> v <= -1 ? 0.0 : v >= 1 ? 1.0 : (v + 1) / 2;
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
            case RELU6 -> v > 0 && v < 6 ? 1.0 : 0.0;
            case LEAKY_RELU -> v > 0 ? 1.0 : UnaryOp.LEAKY_RELU_SLOPE;
            case GELU -> {
                if (Double.isInfinite(v)) {
                    yield v > 0 ? 1.0 : 0.0;
                }
                yield normalCdf(v) + v * Math.exp(-0.5 * v * v) * INV_SQRT_2PI;
            }
            case GELU_APPROXIMATE -> {
                if (Double.isInfinite(v)) {
                    yield v > 0 ? 1.0 : 0.0;
                }
                double s = sigmoid(2 * geluTanhArgument(v));
                // d/dx x·σ(2u) = σ + x·σ(1 − σ)·2u', u' = √(2/π)(1 + 3·0.044715 x²)
                yield s + v * s * (1 - s) * 2 * SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * v * v);
            }
            case MISH -> {
                if (Double.isInfinite(v)) {
                    yield v > 0 ? 1.0 : 0.0; // x · (1 − t²) · σ is ∞ · 0 there
                }
                double t = Math.tanh(softplus(v));
                yield t + v * (1.0 - t * t) * sigmoid(v);
            }
            case HARD_SILU -> {
                if (Double.isInfinite(v)) {
                    yield v > 0 ? 1.0 : 0.0;
                }
                // relu6's gradient is TensorFlow's, on the open interval: hard_silu'(±3) is hard_sigmoid(±3)
                double inside = v > -3.0 && v < 3.0 ? v / 6.0 : 0.0;
                yield Math.min(Math.max(v + 3.0, 0.0), 6.0) / 6.0 + inside;
            }
            // TensorFlow's maximum and minimum both pass a tie's gradient to x: at 0, 1 + e^0
            case CELU -> v > 0 ? 1.0 : v == 0 ? 2.0 : Math.exp(v);
            case HARD_TANH -> v >= -1.0 && v <= 1.0 ? 1.0 : 0.0; // clip_by_value passes the bounds
            case LOG_SIGMOID -> sigmoid(-v);
            case TANH_SHRINK -> {
                double t = Math.tanh(v);
                yield t * t;
            }
            case SOFT_SHRINK, HARD_SHRINK -> Math.abs(v) > UnaryOp.SHRINK_THRESHOLD ? 1.0 : 0.0;
            case SQUAREPLUS -> {
                if (Double.isInfinite(v)) {
                    yield v > 0 ? 1.0 : 0.0;
                }
                double r = Math.sqrt(v * v + UnaryOp.SQUAREPLUS_B);
                // (1 + v / r) / 2, written without cancellation for v < 0
                yield v >= 0 ? (1.0 + v / r) / 2 : UnaryOp.SQUAREPLUS_B / (2 * r * (r - v));
            }
            case SPARSE_PLUS -> v <= -1 ? 0.0 : v < 1 ? (v + 1) / 2 : 1.0;
            case SPARSE_SIGMOID -> v > -1 && v < 1 ? 0.5 : 0.0;
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

    private static final double INV_SQRT_2PI = 0.3989422804014326779399460599343819;
    private static final double INV_SQRT_PI = 0.5641895835477562869480794515607726;
    private static final double SQRT_HALF = 0.7071067811865475244008443621048490;
    private static final double SQRT_2_OVER_PI = 0.7978845608028654;
    private static final double GELU_CUBIC = 0.044715;

    /** u = √(2/π)(x + 0.044715 x³), the tanh argument of the approximate gelu. */
    private static double geluTanhArgument(double v) {
        return SQRT_2_OVER_PI * (v + GELU_CUBIC * v * v * v);
    }

    /** log(1 + e^v), without overflow for large v. */
    public static double softplus(double v) {
        return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
    }

    /** {@code (v + sqrt(v² + b)) / 2} with b = 4, without cancellation for v &lt; 0 (there it is b / (2(r − v))). */
    private static double squareplus(double v) {
        if (Double.isInfinite(v)) {
            return v > 0 ? v : 0.0;
        }
        double r = Math.sqrt(v * v + UnaryOp.SQUAREPLUS_B);
        return v >= 0 ? (v + r) / 2 : UnaryOp.SQUAREPLUS_B / (2 * (r - v));
    }

    /**
     * {@code v − tanh(v)}; below |v| = 0.1, where the difference would cancel, its series
     * {@code v³/3 − 2v⁵/15 + 17v⁷/315 − 62v⁹/2835 + 1382v¹¹/155925 − 21844v¹³/6081075}.
     */
    private static double tanhShrink(double v) {
        if (Math.abs(v) >= 0.1 || Double.isNaN(v)) {
            return v - Math.tanh(v);
        }
        double v2 = v * v;
        return v * v2 * (1.0 / 3 + v2 * (-2.0 / 15 + v2 * (17.0 / 315 + v2 * (-62.0 / 2835 + v2 * (1382.0 / 155925
                + v2 * (-21844.0 / 6081075))))));
    }

    /** The standard normal distribution function Φ(v) = erfc(−v / √2) / 2, to double precision in its tails. */
    public static double normalCdf(double v) {
        return 0.5 * erfc(-v * SQRT_HALF);
    }

    /**
     * The complementary error function, with a small relative error also where it is tiny (z up to
     * 26.5, where it underflows double). Below 3 it is 1 − erf(z) from erf's series
     * {@code e^(−z²) · 2/√π · Σ (2z²)ⁿ z / (1·3·…·(2n+1))}, whose terms are all positive; from 3 on,
     * the continued fraction {@code e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …))))}.
     */
    public static double erfc(double z) {
        if (Double.isNaN(z)) {
            return z;
        }
        if (z < 0) {
            return 2.0 - erfc(-z);
        }
        if (z < 3.0) {
            double z2 = z * z;
            double term = z;
            double sum = z;
            for (int n = 1; term > 1e-17 * sum; n++) {
                term *= 2 * z2 / (2 * n + 1);
                sum += term;
            }
            return 1.0 - 2 * INV_SQRT_PI * Math.exp(-z2) * sum;
        }
        if (z > 27.0) {
            return 0.0;
        }
        // Evaluated from its tail: 60 levels reach double precision for z >= 3
        double f = z;
        for (int n = 60; n >= 1; n--) {
            f = z + 0.5 * n / f;
        }
        return Math.exp(-z * z) * INV_SQRT_PI / f;
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
