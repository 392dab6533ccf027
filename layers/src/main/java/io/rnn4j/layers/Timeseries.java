package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;

/**
 * Keras's {@code keras.utils.timeseries_dataset_from_array}: the windows of a series as one
 * {@code (windows, sequence_length, ...)} tensor, and each window's target, ready for
 * {@code fit} (which batches and shuffles, so the batch_size, shuffle and seed of Keras's function
 * have no counterpart here).
 *
 * <pre>{@code
 * // the last 24 hourly readings (5 features) -> the temperature 24 hours after the window's start,
 * // as the Keras weather example: targets are the series moved on by the window length
 * Timeseries.Windows w = Timeseries.windows(features, temperaturesFrom24, 24);
 * model.fit(w.x(), w.y(), Fit.defaults().epochs(10));
 * }</pre>
 *
 * <p>As Keras computes them: window i starts at step {@code start_index + i·sequence_stride} and
 * takes {@code sequence_length} steps every {@code sampling_rate}; its target is
 * {@code targets[start_index + i·sequence_stride]} (the target of the window's first step: move
 * the targets to predict a later one); there are as many windows as start positions below
 * {@code end_index − start_index − (sequence_length − 1)·sampling_rate}, and no more than targets.
 */
public final class Timeseries {
    private Timeseries() {
    }

    /** The windows {@code (windows, sequence_length, ...)} and their targets {@code (windows, ...)} (null without targets). */
    public record Windows(Tensor x, Tensor y) {
    }

    /** Every window of {@code sequenceLength} consecutive steps (stride 1, sampling rate 1, the whole series). */
    public static Windows windows(Tensor data, Tensor targets, int sequenceLength) {
        return windows(data, targets, sequenceLength, 1, 1, null, null);
    }

    /**
     * The windows with Keras's options: {@code sequence_stride} steps between window starts,
     * {@code sampling_rate} steps between a window's steps, only the steps from {@code startIndex}
     * (null: 0) to before {@code endIndex} (null: the end).
     *
     * @param data    the series, steps first: {@code (steps)} or {@code (steps, features...)}
     * @param targets the target of the window starting at each step, steps first (may be shorter than
     *                data: then there are no more windows than targets), or null for windows only
     * @throws IllegalArgumentException for Keras's refusals (a sampling rate or stride not in
     *                                  [1, steps), a start or end index out of the series or out of
     *                                  order; Keras's own messages), for a window whose start has
     *                                  no target, and where no window fits (Keras gives an empty
     *                                  dataset, on which fit then fails)
     */
    public static Windows windows(Tensor data, Tensor targets, int sequenceLength, int sequenceStride,
            int samplingRate, Integer startIndex, Integer endIndex) {
        int[] shape = data.shape().dims();
        if (shape.length == 0) {
            throw new IllegalArgumentException("timeseries windows: expected data with the steps first, got a scalar");
        }
        int steps = shape[0];
        if (targets != null && targets.shape().rank() == 0) {
            throw new IllegalArgumentException("timeseries windows: expected targets with the steps first, got a scalar");
        }
        check(steps, sequenceLength, sequenceStride, samplingRate, startIndex, endIndex);
        int start = startIndex == null ? 0 : startIndex;
        int end = endIndex == null ? steps : endIndex;
        long positions = (long) end - start - (long) (sequenceLength - 1) * samplingRate;
        if (targets != null) {
            positions = Math.min(positions, targets.shape().dim(0));
        }
        int count = positions <= 0 ? 0 : (int) ((positions + sequenceStride - 1) / sequenceStride);
        if (count == 0) {
            throw new IllegalArgumentException("timeseries windows: no window of " + sequenceLength + " steps every "
                    + samplingRate + " fits in steps [" + start + ", " + end + ") of the data");
        }
        int[] xShape = new int[shape.length + 1];
        xShape[0] = count;
        xShape[1] = sequenceLength;
        System.arraycopy(shape, 1, xShape, 2, shape.length - 1);
        int per = (int) (data.size() / Math.max(steps, 1));
        float[] values = data.toArray();
        float[] x = new float[count * sequenceLength * per];
        for (int w = 0; w < count; w++) {
            int first = start + w * sequenceStride;
            for (int s = 0; s < sequenceLength; s++) {
                System.arraycopy(values, (first + s * samplingRate) * per, x, (w * sequenceLength + s) * per, per);
            }
        }
        Tensor y = null;
        if (targets != null) {
            int last = start + (count - 1) * sequenceStride;
            if (last >= targets.shape().dim(0)) {
                throw new IllegalArgumentException("timeseries windows: the window at step " + last + " has no target: "
                        + "targets has " + targets.shape().dim(0) + " steps (Keras's gather would fail on it)");
            }
            int[] tShape = targets.shape().dims().clone();
            int tPer = (int) (targets.size() / targets.shape().dim(0));
            float[] t = targets.toArray();
            float[] yv = new float[count * tPer];
            for (int w = 0; w < count; w++) {
                System.arraycopy(t, (start + w * sequenceStride) * tPer, yv, w * tPer, tPer);
            }
            tShape[0] = count;
            y = Tensor.of(yv, tShape);
        }
        return new Windows(Tensor.of(x, xShape), y);
    }

    /** Keras's checks, in its order and words. */
    private static void check(int steps, int length, int stride, int rate, Integer start, Integer end) {
        if (length < 1) {
            throw new IllegalArgumentException("`sequence_length` must be higher than 0. Received: sequence_length="
                    + length);
        }
        if (start != null && start != 0) {
            if (start < 0) {
                throw new IllegalArgumentException("`start_index` must be 0 or greater. Received: start_index="
                        + start);
            }
            if (start >= steps) {
                throw new IllegalArgumentException("`start_index` must be lower than the length of the data. "
                        + "Received: start_index=" + start + ", for data of length " + steps);
            }
        }
        if (end != null && end != 0) {
            if (start != null && start != 0 && end <= start) {
                throw new IllegalArgumentException("`end_index` must be higher than `start_index`. Received: "
                        + "start_index=" + start + ", and end_index=" + end);
            }
            if (end >= steps) {
                throw new IllegalArgumentException("`end_index` must be lower than the length of the data. "
                        + "Received: end_index=" + end + ", for data of length " + steps);
            }
            if (end < 0) {
                throw new IllegalArgumentException("`end_index` must be higher than 0. Received: end_index=" + end);
            }
        }
        if (end != null && end == 0) {
            throw new IllegalArgumentException("`end_index` must be higher than 0. Received: end_index=0");
        }
        requireBelow("sampling_rate", rate, steps);
        requireBelow("sequence_stride", stride, steps);
    }

    private static void requireBelow(String name, int value, int steps) {
        if (value <= 0) {
            throw new IllegalArgumentException("`" + name + "` must be higher than 0. Received: " + name + "=" + value);
        }
        if (value >= steps) {
            throw new IllegalArgumentException("`" + name + "` must be lower than the length of the data. Received: "
                    + name + "=" + value + ", for data of length " + steps);
        }
    }
}
