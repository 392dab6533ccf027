package io.rnn4j.layers.optimizers.schedules;

import io.rnn4j.layers.KerasConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Keras's PiecewiseConstantDecay, the step schedule: {@code values[0]} while
 * {@code step <= boundaries[0]}, {@code values[i]} while {@code boundaries[i-1] < step <= boundaries[i]},
 * and the last value after the last boundary.
 */
public final class PiecewiseConstantDecay implements LearningRateSchedule {
    private final long[] boundaries;
    private final double[] values;

    /**
     * @param boundaries strictly increasing steps
     * @param values     one more than boundaries
     */
    public PiecewiseConstantDecay(long[] boundaries, double[] values) {
        if (boundaries.length == 0 || values.length != boundaries.length + 1) {
            throw new IllegalArgumentException("PiecewiseConstantDecay: expected at least one boundary and one more "
                    + "value than boundaries, got " + boundaries.length + " boundaries and " + values.length
                    + " values");
        }
        for (int i = 1; i < boundaries.length; i++) {
            if (boundaries[i] <= boundaries[i - 1]) {
                throw new IllegalArgumentException("PiecewiseConstantDecay: boundaries must increase, got "
                        + Arrays.toString(boundaries));
            }
        }
        for (double v : values) {
            Schedules.checkRate("PiecewiseConstantDecay", "values", v);
        }
        this.boundaries = boundaries.clone();
        this.values = values.clone();
    }

    @Override
    public double learningRate(long step) {
        for (int i = 0; i < boundaries.length; i++) {
            if (step <= boundaries[i]) {
                return (float) values[i];
            }
        }
        return (float) values[values.length - 1];
    }

    @Override
    public Optional<KerasConfig> kerasConfig() {
        List<Long> b = new ArrayList<>();
        for (long x : boundaries) {
            b.add(x);
        }
        List<Double> v = new ArrayList<>();
        for (double x : values) {
            v.add(x);
        }
        return Optional.of(KerasConfig.of("PiecewiseConstantDecay", "boundaries", b, "values", v, "name",
                "PiecewiseConstant"));
    }

    @Override
    public String toString() {
        return "PiecewiseConstantDecay(boundaries=" + Arrays.toString(boundaries) + ", values="
                + Arrays.toString(values) + ")";
    }
}
