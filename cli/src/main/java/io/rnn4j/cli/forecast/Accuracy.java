package io.rnn4j.cli.forecast;

/** Forecast errors over the held-out part of a series, and the baselines a model must beat. */
public final class Accuracy {
    private Accuracy() {
    }

    /** Mean absolute error of {@code predicted[i]} against {@code actual[i]} for i in [from, to). */
    public static double mae(double[] actual, double[] predicted, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += Math.abs(actual[i] - predicted[i]);
        }
        return s / (to - from);
    }

    /** Root mean squared error over [from, to). */
    public static double rmse(double[] actual, double[] predicted, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += (actual[i] - predicted[i]) * (actual[i] - predicted[i]);
        }
        return Math.sqrt(s / (to - from));
    }

    /**
     * The forecast that repeats an earlier value: {@code lag} 1 is the naive last-value forecast,
     * {@code lag} = the season length (12 for monthly data) the seasonal-naive one. Entries before
     * {@code lag} are NaN.
     */
    public static double[] lagged(double[] series, int lag) {
        double[] out = new double[series.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = i >= lag ? series[i - lag] : Double.NaN;
        }
        return out;
    }
}
