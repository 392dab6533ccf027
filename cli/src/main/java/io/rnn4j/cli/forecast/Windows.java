package io.rnn4j.cli.forecast;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;

/**
 * Supervised samples cut from a series with a sliding window: each input is {@code window}
 * consecutive values, shaped (window, 1) as a recurrent layer takes it; its target is the value
 * that follows.
 *
 * @param inputs  (count, window, 1), row-major
 * @param targets (count, 1)
 * @param first   the index in the series of the first sample's target
 */
public record Windows(float[] inputs, float[] targets, int count, int window, int first) {

    /**
     * The samples whose targets are {@code series[from]} .. {@code series[to - 1]}; each input is
     * the {@code window} values before its target, so {@code from} must be at least {@code window}.
     */
    public static Windows of(double[] series, int from, int to, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1, got " + window);
        }
        if (from < window || to > series.length || from >= to) {
            throw new IllegalArgumentException("windows: targets " + from + ".." + (to - 1) + " with window " + window
                    + " need " + window + " <= from < to <= " + series.length);
        }
        int count = to - from;
        float[] x = new float[count * window];
        float[] y = new float[count];
        for (int s = 0; s < count; s++) {
            int target = from + s;
            for (int k = 0; k < window; k++) {
                x[s * window + k] = (float) series[target - window + k];
            }
            y[s] = (float) series[target];
        }
        return new Windows(x, y, count, window, from);
    }

    /** The inputs as a (count, window, 1) tensor. */
    public Tensor inputs(Device device) {
        return device.tensor(inputs, count, window, 1);
    }

    /** The targets as a (count, 1) tensor. */
    public Tensor targets(Device device) {
        return device.tensor(targets, count, 1);
    }
}
