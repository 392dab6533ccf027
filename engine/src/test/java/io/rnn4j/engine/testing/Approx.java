package io.rnn4j.engine.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;

/**
 * Assertions of float32 results against float64 expectations, one tolerance per element. The
 * failure message names what was compared, the bar, how many elements missed it and the first few
 * of them with their got/want/tolerance.
 *
 * <p>Special values: where the expectation is NaN the result must be NaN; where it rounds to an
 * infinite float the result must be that infinity; elsewhere the result must be finite and within
 * the tolerance.
 */
public final class Approx {
    /** One unit of float32 rounding: 2⁻²³ (the spacing of floats in [1, 2)). */
    public static final double EPS = 0x1p-23;

    private static final int SHOWN = 5;

    private Approx() {
    }

    /** {@code got[i]} within {@code tol[i]} of {@code want[i]} for every i. */
    public static void assertClose(String what, float[] got, double[] want, double[] tol, String bar) {
        if (got.length != want.length) {
            fail(what + ": got " + got.length + " values, want " + want.length);
        }
        int misses = 0;
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < got.length; i++) {
            if (!within(got[i], want[i], tol[i])) {
                if (misses < SHOWN) {
                    first.append("\n  [").append(i).append("] got ").append(got[i]).append(", want ")
                            .append(want[i]).append(" ± ").append((float) tol[i]);
                }
                misses++;
            }
        }
        if (misses > 0) {
            fail(what + ": " + misses + " of " + got.length + " elements miss the bar (" + bar + "):" + first);
        }
    }

    /** Exact equality (NaN equals NaN; 0 equals -0), element by element. */
    public static void assertExact(String what, float[] got, float[] want) {
        double[] w = new double[want.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = want[i];
        }
        assertClose(what, got, w, new double[want.length], "exactly equal");
    }

    /** Exact equality with a float64 expectation that must be a float (the result of one rounding). */
    public static void assertExact(String what, float[] got, double[] want) {
        double[] w = new double[want.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) want[i];
        }
        assertClose(what, got, w, new double[want.length], "exactly equal to the float64 result rounded once");
    }

    /** Whether {@code got} meets {@code want ± tol} under the special-value rules above. */
    public static boolean within(float got, double want, double tol) {
        if (Double.isNaN(want)) {
            return Float.isNaN(got);
        }
        float rounded = (float) want;
        if (Float.isInfinite(rounded)) {
            return got == rounded;
        }
        return Float.isFinite(got) && Math.abs(got - want) <= tol;
    }

    /** Per-element tolerance {@code factor · magnitude[i]}, plus a floor of the smallest normal float. */
    public static double[] scaled(double[] magnitude, double factor) {
        double[] tol = new double[magnitude.length];
        for (int i = 0; i < tol.length; i++) {
            tol[i] = factor * magnitude[i] + Float.MIN_NORMAL;
        }
        return tol;
    }

    /** Per-element tolerance of {@code ulps} float units at each expected value, plus the smallest normal float. */
    public static double[] ulps(double[] want, int ulps) {
        double[] tol = new double[want.length];
        for (int i = 0; i < tol.length; i++) {
            float w = (float) want[i];
            tol[i] = Float.isFinite(w) ? ulps * (double) Math.ulp(w) + Float.MIN_NORMAL : 0;
        }
        return tol;
    }

    /** The elements as doubles. */
    public static double[] widen(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i];
        }
        return out;
    }

    /** For messages: a shape as {@code (2, 3)}. */
    public static String shape(int... dims) {
        String s = Arrays.toString(dims);
        return "(" + s.substring(1, s.length() - 1) + (dims.length == 1 ? ",)" : ")");
    }
}
