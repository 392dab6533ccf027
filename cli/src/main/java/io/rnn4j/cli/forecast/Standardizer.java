package io.rnn4j.cli.forecast;

/**
 * Shifts and scales values to mean 0 and standard deviation 1, with statistics taken from the
 * training part only (using the held-out part would leak the future into the model).
 */
public record Standardizer(double mean, double std) {

    /** The mean and standard deviation of {@code values[from..to)}. */
    public static Standardizer fit(double[] values, int from, int to) {
        if (to - from < 2) {
            throw new IllegalArgumentException("standardizer: need at least 2 values to fit, got " + (to - from));
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += values[i];
        }
        double mean = sum / (to - from);
        double sq = 0;
        for (int i = from; i < to; i++) {
            sq += (values[i] - mean) * (values[i] - mean);
        }
        double std = Math.sqrt(sq / (to - from));
        return new Standardizer(mean, std > 0 ? std : 1);
    }

    public double[] apply(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (values[i] - mean) / std;
        }
        return out;
    }

    public double invert(double scaled) {
        return scaled * std + mean;
    }
}
