package io.rnn4j.engine.testing;

import java.util.SplittableRandom;

/**
 * Float64 central finite differences of an {@link RnnProblem}'s loss, computed with
 * {@link Float64Rnn}: the oracle for every recurrent backward kernel.
 *
 * <p>With the step {@value #EPS} the truncation error (~ε²) and the rounding error
 * (~1e-16·|L|/ε) are both far below float32 resolution, so the only error left in a comparison
 * is the backend's own float32 arithmetic.
 *
 * <p>Except at a kink: a piecewise activation (hard sigmoid, ReLU, SELU at 0) whose argument lies
 * within ε of its corner gives a central difference that averages two slopes, while the analytic
 * gradient takes one. Such an entry is detected by its one-sided differences disagreeing and left
 * out ({@code NaN}): it has no derivative to check. (A random problem hit one: GRU with hard
 * sigmoid, dKernel off by 0.0015 in both the scalar and the SIMD backend.)
 */
public final class RnnGradientCheck {
    /** The finite-difference step. */
    public static final double EPS = 1e-6;
    /**
     * How far the one-sided differences may part, relative to the larger (or 1), before the point
     * counts as a kink: smoothly they differ by about ε·|L''|, orders of magnitude less.
     */
    static final double KINK = 1e-4;

    private RnnGradientCheck() {
    }

    /**
     * dL/d{@code param}[i] for each i in {@code indices}, or {@code NaN} where the loss has a kink
     * within the step; {@code param} is one of p's arrays, perturbed in place.
     */
    public static double[] numeric(RnnProblem p, double[] param, int[] indices) {
        double[] g = new double[indices.length];
        double at = p.loss(Float64Rnn.forward(p));
        for (int n = 0; n < indices.length; n++) {
            int i = indices[n];
            double keep = param[i];
            param[i] = keep + EPS;
            double plus = p.loss(Float64Rnn.forward(p));
            param[i] = keep - EPS;
            double minus = p.loss(Float64Rnn.forward(p));
            param[i] = keep;
            double right = (plus - at) / EPS;
            double left = (at - minus) / EPS;
            boolean kink = Math.abs(right - left) > KINK * Math.max(1, Math.max(Math.abs(right), Math.abs(left)));
            g[n] = kink ? Double.NaN : (plus - minus) / (2 * EPS);
        }
        return g;
    }

    /**
     * The indices to check in an array of {@code size}: all of them up to {@code max}, else the
     * first, the last and {@code max − 2} drawn at random (so a large gradient is still probed at
     * its ends, where off-by-one errors live).
     */
    public static int[] sample(int size, int max, SplittableRandom rnd) {
        if (size <= max) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] some = new int[max];
        some[0] = 0;
        some[1] = size - 1;
        for (int i = 2; i < max; i++) {
            some[i] = rnd.nextInt(size);
        }
        return some;
    }

    /**
     * Compares an analytic gradient with finite differences at the sampled indices: each must be
     * within {@code tol · max(1, max|numeric|)}; a {@code NaN} difference (a kink) is skipped.
     * Returns null when all agree, else a message naming the first index that does not (for
     * assertion failures).
     */
    public static String compare(String name, float[] analytic, double[] numeric, int[] indices, double tol) {
        double scale = 1.0;
        for (double v : numeric) {
            if (!Double.isNaN(v)) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        for (int n = 0; n < indices.length; n++) {
            if (Double.isNaN(numeric[n])) {
                continue;
            }
            double diff = Math.abs(analytic[indices[n]] - numeric[n]);
            if (!(diff <= tol * scale)) {
                return name + "[" + indices[n] + "]: backend " + analytic[indices[n]] + ", float64 finite difference "
                        + numeric[n] + " (|diff| " + diff + " > " + tol + " × scale " + scale + ")";
            }
        }
        return null;
    }
}
