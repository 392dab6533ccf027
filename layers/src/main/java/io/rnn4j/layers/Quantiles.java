package io.rnn4j.layers;

import java.util.Arrays;

/**
 * Keras 3's approximate quantiles behind Discretization.adapt ({@code discretization.py}'s
 * summarize, merge_summaries, compress_summary and get_bin_boundaries), for data given in one
 * batch, with NumPy's arithmetic: the summary is float32 (values and weights), the percentages and
 * the interpolation ({@code np.interp}) float64, cast back to float32 after each compression.
 */
final class Quantiles {
    private Quantiles() {
    }

    /** The boundaries Keras's adapt learns from {@code values} (finite) for {@code numBins} bins (> 0). */
    static double[] binBoundaries(float[] values, double epsilon, int numBins) {
        float[][] summary = compress(summarize(values, epsilon), epsilon);
        float[] bins = compress(summary, 1.0 / numBins)[0];
        double[] out = new double[Math.max(bins.length - 1, 0)]; // all but the last, as Keras's [0, :-1]
        for (int i = 0; i < out.length; i++) {
            out[i] = bins[i];
        }
        return out;
    }

    /**
     * summarize: the sorted values from index {@code int(step - 1)} every {@code int(step)}, each
     * weighing {@code step}, where {@code step = max(n·epsilon, 1)}.
     */
    static float[][] summarize(float[] values, double epsilon) {
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        double numBuckets = 1.0 / epsilon;
        double step = Math.max(sorted.length / numBuckets, 1);
        int start = (int) (step - 1);
        int stride = (int) step;
        int m = sorted.length <= start ? 0 : (sorted.length - start + stride - 1) / stride;
        float[][] s = new float[2][m];
        for (int i = 0; i < m; i++) {
            s[0][i] = sorted[start + i * stride];
            s[1][i] = (float) step; // np.ones_like(float32) * step stays float32
        }
        return s;
    }

    /** compress_summary: unchanged when it has fewer than 1/epsilon entries, else interpolated to that many. */
    static float[][] compress(float[][] summary, double epsilon) {
        int m = summary[0].length;
        if (m * epsilon < 1) {
            return summary;
        }
        // np.arange(0.0, 1.0, epsilon): ceil(1/epsilon) values i·epsilon; plus epsilon.
        int count = (int) Math.ceil(1.0 / epsilon);
        double[] percents = new double[count];
        for (int i = 0; i < count; i++) {
            percents[i] = epsilon + i * epsilon;
        }
        float[] cum = new float[m];
        float total = 0;
        for (int i = 0; i < m; i++) {
            total += summary[1][i]; // float32 cumsum, in order
            cum[i] = total;
        }
        double[] xp = new double[m];
        double[] bins = new double[m];
        double[] cumD = new double[m];
        for (int i = 0; i < m; i++) {
            xp[i] = cum[i] / cum[m - 1]; // float32 division
            bins[i] = summary[0][i];
            cumD[i] = cum[i];
        }
        float[][] out = new float[2][count];
        double previous = 0;
        for (int i = 0; i < count; i++) {
            double c = interp(percents[i], xp, cumD);
            out[0][i] = (float) interp(percents[i], xp, bins);
            out[1][i] = (float) (c - previous);
            previous = c;
        }
        return out;
    }

    /**
     * np.interp(x, xp, fp) for increasing xp: fp[0] left of xp, fp[-1] right of it, fp[j] at the last
     * xp[j] ≤ x when that is the last point or equals x, else NumPy's {@code slope·(x − xp[j]) + fp[j]}.
     */
    static double interp(double x, double[] xp, double[] fp) {
        int n = xp.length;
        if (x > xp[n - 1]) {
            return fp[n - 1];
        }
        if (x < xp[0]) {
            return fp[0];
        }
        int lo = 0;
        int hi = n;
        while (lo < hi) { // the last j with xp[j] <= x, as NumPy's binary_search_with_guess returns
            int mid = (lo + hi) >>> 1;
            if (x >= xp[mid]) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int j = lo - 1;
        if (j == n - 1 || xp[j] == x) {
            return fp[j];
        }
        double slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
        return slope * (x - xp[j]) + fp[j];
    }
}
