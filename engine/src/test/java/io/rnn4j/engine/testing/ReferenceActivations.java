package io.rnn4j.engine.testing;

import io.rnn4j.engine.UnaryOp;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Every {@link UnaryOp} and its derivative in float64, written from the definitions (Keras 3 and
 * TensorFlow) and independently of the scalar backend: where a formula has a numerically safe form
 * that differs from the backend's, this one uses it, so the two agreeing means something.
 *
 * <p>Conventions the contract pins down: NaN gives NaN; at ±∞ an activation gives its limit and a
 * derivative its limit; at the kinks the derivative is TensorFlow's gradient (relu'(0) = 0,
 * abs'(0) = 0, elu'(0) = 1, selu'(0) = scale, hard_sigmoid slope 1/6 on the open (−3, 3), Keras 2
 * hard_sigmoid slope 0.2 on the closed [−2.5, 2.5], relu6 slope 1 on the open (0, 6), hard_tanh's
 * clip slope 1 on the closed [−1, 1], leaky_relu'(0) = 0.2, celu'(0) = 2 as TensorFlow's maximum
 * and minimum both pass a tie's gradient, the shrinks' slope 0 at ±0.5).
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
            case RELU6 -> new double[] {0, 6};
            case LEAKY_RELU, CELU -> new double[] {0};
            case HARD_SILU -> new double[] {-3, 3};
            case HARD_TANH, SPARSE_PLUS, SPARSE_SIGMOID -> new double[] {-1, 1};
            case SOFT_SHRINK, HARD_SHRINK -> new double[] {-0.5, 0.5};
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
            case RELU6 -> x <= 0 ? 0.0 : x >= 6 ? 6.0 : x;
            case LEAKY_RELU -> x > 0 ? x : 0.2 * x;
            case GELU -> x == Double.NEGATIVE_INFINITY ? 0.0 : x * normalCdf(x);
            case GELU_APPROXIMATE -> {
                if (Double.isInfinite(x)) {
                    yield Math.max(x, 0.0);
                }
                // TensorFlow's formula, 0.5x(1 + tanh(u)), with 1 + tanh(u) as 2/(1 + e^(−2u)) (no cancellation)
                double u = Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x);
                yield 0.5 * x * (2 / (1 + Math.exp(-2 * u)));
            }
            case MISH -> x == Double.NEGATIVE_INFINITY ? 0.0 : x > 20 ? x : x * Math.tanh(Math.log1p(Math.exp(x)));
            case HARD_SILU -> x <= -3 ? 0.0 : x >= 3 ? x : x * (x + 3) / 6.0;
            case CELU -> x > 0 ? x : Math.expm1(x);
            case HARD_TANH -> x < -1 ? -1.0 : x > 1 ? 1.0 : x;
            case LOG_SIGMOID -> x < 0 ? x - Math.log1p(Math.exp(x)) : -Math.log1p(Math.exp(-x));
            case TANH_SHRINK -> Math.abs(x) < 1 ? tanhShrinkExact(x) : x - Math.tanh(x);
            case SOFT_SHRINK -> x > 0.5 ? x - 0.5 : x < -0.5 ? x + 0.5 : 0.0;
            case HARD_SHRINK -> Math.abs(x) > 0.5 ? x : 0.0;
            case SQUAREPLUS -> Double.isInfinite(x) ? Math.max(x, 0.0)
                    : x >= 0 ? (x + Math.hypot(x, 2)) / 2 : 2 / (Math.hypot(x, 2) - x);
            case SPARSE_PLUS -> x <= -1 ? 0.0 : x >= 1 ? x : (x + 1) * (x + 1) / 4;
            case SPARSE_SIGMOID -> x <= -1 ? 0.0 : x >= 1 ? 1.0 : 0.5 * x + 0.5;
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
            case RELU6 -> x > 0 && x < 6 ? 1.0 : 0.0;
            case LEAKY_RELU -> x > 0 ? 1.0 : 0.2;
            case GELU -> Double.isInfinite(x) ? (x > 0 ? 1.0 : 0.0)
                    : normalCdf(x) + x * Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
            case GELU_APPROXIMATE -> {
                if (Double.isInfinite(x)) {
                    yield x > 0 ? 1.0 : 0.0;
                }
                // 0.5(1 + tanh u) + 0.5x·sech²(u)·u', sech² = 4e^(−2|u|)/(1 + e^(−2|u|))²
                double u = Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x);
                double du = Math.sqrt(2 / Math.PI) * (1 + 3 * 0.044715 * x * x);
                double eu = Math.exp(-2 * Math.abs(u));
                double onePlusTanh = u >= 0 ? 2 / (1 + eu) : 2 * eu / (1 + eu);
                yield 0.5 * onePlusTanh + 0.5 * x * (4 * eu / ((1 + eu) * (1 + eu))) * du;
            }
            case MISH -> {
                if (x > 20 || Double.isInfinite(x)) {
                    yield x > 0 ? 1.0 : 0.0;
                }
                // the closed form e^x ω / δ², ω = 4(x + 1) + 4e^2x + e^3x + e^x (4x + 6), δ = 2e^x + e^2x + 2
                double ex = Math.exp(x);
                double omega = 4 * (x + 1) + 4 * ex * ex + ex * ex * ex + ex * (4 * x + 6);
                double delta = 2 * ex + ex * ex + 2;
                yield ex * omega / (delta * delta);
            }
            case HARD_SILU -> x <= -3 ? 0.0 : x >= 3 ? 1.0 : x / 3 + 0.5;
            case CELU -> x > 0 ? 1.0 : x == 0 ? 2.0 : Math.exp(x);
            case HARD_TANH -> x >= -1 && x <= 1 ? 1.0 : 0.0;
            case LOG_SIGMOID -> x >= 0 ? e / (1.0 + e) : 1.0 / (1.0 + e);
            case TANH_SHRINK -> {
                double t = Math.tanh(x);
                yield t * t;
            }
            case SOFT_SHRINK, HARD_SHRINK -> Math.abs(x) > 0.5 ? 1.0 : 0.0;
            case SQUAREPLUS -> {
                if (Double.isInfinite(x)) {
                    yield x > 0 ? 1.0 : 0.0;
                }
                double r = Math.hypot(x, 2);
                yield x >= 0 ? 0.5 + x / (2 * r) : 2 / (r * (r - x));
            }
            case SPARSE_PLUS -> x <= -1 ? 0.0 : x >= 1 ? 1.0 : (x + 1) / 2;
            case SPARSE_SIGMOID -> x > -1 && x < 1 ? 0.5 : 0.0;
            case EXP -> Math.exp(x);
            case LOG -> 1.0 / x;
            case NEG -> -1.0;
            case ABS -> x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0;
            case SQUARE -> 2.0 * x;
            case SQRT -> 0.5 / Math.sqrt(x);
            case RECIPROCAL -> -1.0 / (x * x);
        };
    }

    /**
     * Φ(x) = erfc(−x/√2)/2, from erf's alternating Taylor series where |z| &lt;= 3 and, beyond,
     * {@code erfc(z) = 2/√π · e^(−z²) ∫₀^∞ e^(−2zu − u²) du} by Simpson's rule (a method of its own,
     * not the backends' series and continued fraction).
     */
    public static double normalCdf(double x) {
        if (Double.isInfinite(x)) {
            return x > 0 ? 1.0 : 0.0;
        }
        double z = -x / Math.sqrt(2);
        if (Math.abs(z) <= 3) {
            double term = z;
            double sum = z;
            for (int n = 1; Math.abs(term) > 1e-18; n++) {
                term *= -z * z / n;
                sum += term / (2 * n + 1);
            }
            return 0.5 * (1 - 2 / Math.sqrt(Math.PI) * sum);
        }
        double tail = 0.5 * erfcBySimpson(Math.abs(z));
        return z > 0 ? tail : 1 - tail;
    }

    private static double erfcBySimpson(double z) {
        int n = 4000;
        double upper = 40 / z;
        double h = upper / n;
        double sum = 0;
        for (int i = 0; i <= n; i++) {
            double u = i * h;
            double f = Math.exp(-2 * z * u - u * u);
            sum += (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2) * f;
        }
        return 2 / Math.sqrt(Math.PI) * Math.exp(-z * z) * sum * h / 3;
    }

    /** x − tanh(x) as sinh and cosh series in 50-digit decimals, free of the float cancellation. */
    private static double tanhShrinkExact(double x) {
        MathContext mc = new MathContext(50);
        BigDecimal v = new BigDecimal(x);
        BigDecimal v2 = v.multiply(v, mc);
        BigDecimal sinh = BigDecimal.ZERO;
        BigDecimal cosh = BigDecimal.ZERO;
        BigDecimal termS = v;
        BigDecimal termC = BigDecimal.ONE;
        for (int k = 0; k < 40; k++) {
            sinh = sinh.add(termS, mc);
            cosh = cosh.add(termC, mc);
            termS = termS.multiply(v2, mc).divide(BigDecimal.valueOf((2L * k + 2) * (2L * k + 3)), mc);
            termC = termC.multiply(v2, mc).divide(BigDecimal.valueOf((2L * k + 1) * (2L * k + 2)), mc);
        }
        return v.subtract(sinh.divide(cosh, mc), mc).doubleValue();
    }
}
