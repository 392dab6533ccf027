package io.rnn4j.engine.testing;

import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * Derivatives by central finite differences in float64: the fourth-order five-point stencil
 * {@code (f(x−2h) − 8f(x−h) + 8f(x+h) − f(x+2h)) / 12h} with {@code h = 1e-3 · max(1, |x|)}, whose
 * truncation (~h⁴) and cancellation (~1e-16/h) errors are both near 1e-12 relative for smooth f.
 * Keep points at least 2h from kinks.
 */
public final class FiniteDifferences {
    private FiniteDifferences() {
    }

    /** The step used at {@code x}. */
    public static double step(double x) {
        return 1e-3 * Math.max(1.0, Math.abs(x));
    }

    /** {@code f'(x)}. */
    public static double derivative(DoubleUnaryOperator f, double x) {
        double h = step(x);
        return (f.applyAsDouble(x - 2 * h) - 8 * f.applyAsDouble(x - h) + 8 * f.applyAsDouble(x + h)
                - f.applyAsDouble(x + 2 * h)) / (12 * h);
    }

    /** The gradient of a scalar function of many variables at {@code x} ({@code x} is left as it was). */
    public static double[] gradient(ToDoubleFunction<double[]> f, double[] x) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double xi = x[i];
            double h = step(xi);
            x[i] = xi - 2 * h;
            double m2 = f.applyAsDouble(x);
            x[i] = xi - h;
            double m1 = f.applyAsDouble(x);
            x[i] = xi + h;
            double p1 = f.applyAsDouble(x);
            x[i] = xi + 2 * h;
            double p2 = f.applyAsDouble(x);
            x[i] = xi;
            g[i] = (m2 - 8 * m1 + 8 * p1 - p2) / (12 * h);
        }
        return g;
    }
}
