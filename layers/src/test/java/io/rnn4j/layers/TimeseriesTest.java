package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Timeseries.windows as keras.utils.timeseries_dataset_from_array places them (the windows and
 * targets worked out by hand from keras/src/utils/timeseries_dataset_utils.py for the cases below:
 * start/end index, stride, sampling rate, targets shorter than data), Keras's refusals in its
 * words, and Labels.toCategorical (to_categorical). Exact values.
 */
class TimeseriesTest {
    /** 10 steps of 2 features: step s is (2s, 2s + 1). */
    private static Tensor data() {
        float[] v = new float[20];
        for (int i = 0; i < 20; i++) {
            v[i] = i;
        }
        return Tensor.of(v, 10, 2);
    }

    private static Tensor targets(int from) {
        float[] t = new float[10 - from];
        for (int i = 0; i < t.length; i++) {
            t[i] = 10 * (i + from);
        }
        return Tensor.of(t, t.length);
    }

    @Test
    void windowsWithStartEndStrideAndSamplingRateAreKerass() {
        // start 1, end 9: steps 1..8; windows of 3 every 2nd step, a window every 2 steps:
        // 4 start positions below 9 - 1 - 2·2, so windows at steps 1 and 3
        Timeseries.Windows w = Timeseries.windows(data(), targets(0), 3, 2, 2, 1, 9);
        assertThat(w.x().shape().dims()).containsExactly(2, 3, 2);
        assertThat(w.x().toArray()).containsExactly(2, 3, 6, 7, 10, 11, 6, 7, 10, 11, 14, 15);
        assertThat(w.y().toArray()).as("each window's target is its first step's").containsExactly(10, 30);
    }

    @Test
    void targetsMovedOnByTheWindowLengthPredictTheNextStep() {
        // the Keras docs' recipe: targets = data[sequence_length:], so no more windows than targets
        Timeseries.Windows w = Timeseries.windows(data(), targets(4), 4);
        assertThat(w.x().shape().dims()).containsExactly(6, 4, 2);
        assertThat(w.y().toArray()).containsExactly(40, 50, 60, 70, 80, 90);
        float[] x = w.x().toArray();
        assertThat(new float[] {x[0], x[6], x[8 * 5], x[8 * 5 + 6]}).as("window 0 steps 0..3, window 5 steps 5..8")
                .containsExactly(0, 6, 10, 16);
        assertThat(Timeseries.windows(targets(0), null, 8).x().shape().dims()).as("1-D data, no targets")
                .containsExactly(3, 8);
        assertThat(Timeseries.windows(targets(0), null, 8).y()).isNull();
    }

    @Test
    void kerassRefusalsInItsWords() {
        assertThatThrownBy(() -> Timeseries.windows(data(), null, 3, 1, 10, null, null))
                .hasMessage("`sampling_rate` must be lower than the length of the data. Received: sampling_rate=10, "
                        + "for data of length 10");
        assertThatThrownBy(() -> Timeseries.windows(data(), null, 3, 0, 1, null, null))
                .hasMessage("`sequence_stride` must be higher than 0. Received: sequence_stride=0");
        assertThatThrownBy(() -> Timeseries.windows(data(), null, 3, 1, 1, 5, 4))
                .hasMessage("`end_index` must be higher than `start_index`. Received: start_index=5, and end_index=4");
        assertThatThrownBy(() -> Timeseries.windows(data(), null, 3, 1, 1, null, 10))
                .hasMessage("`end_index` must be lower than the length of the data. Received: end_index=10, for data "
                        + "of length 10");
        assertThatThrownBy(() -> Timeseries.windows(data(), null, 3, 1, 1, 10, null))
                .hasMessage("`start_index` must be lower than the length of the data. Received: start_index=10, for "
                        + "data of length 10");
        assertThatThrownBy(() -> Timeseries.windows(data(), null, 11)).hasMessageContaining("no window of 11 steps");
        assertThatThrownBy(() -> Timeseries.windows(data(), targets(7), 3, 1, 1, 4, null))
                .hasMessage("timeseries windows: the window at step 6 has no target: targets has 3 steps (Keras's "
                        + "gather would fail on it)");
    }

    @Test
    void toCategoricalIsKerass() {
        assertThat(Labels.toCategorical(new int[] {2, 0, 1}, 0).toArray()).as("classes: largest label + 1")
                .containsExactly(0, 0, 1, 1, 0, 0, 0, 1, 0);
        assertThat(Labels.toCategorical(new int[] {1}, 4).shape().dims()).containsExactly(1, 4);
        assertThatThrownBy(() -> Labels.toCategorical(new int[] {0, 4}, 4))
                .hasMessage("to_categorical: expected labels in [0, 4), got 4 at index 1");
        Tensor column = Tensor.of(new float[] {2, 0, 1}, 3, 1);
        assertThat(Labels.toCategorical(column, 0).shape().dims()).as("a trailing axis of 1 dropped, as Keras")
                .containsExactly(3, 3);
        assertThat(Labels.toCategorical(column, 0).toArray()).containsExactly(0, 0, 1, 1, 0, 0, 0, 1, 0);
        assertThatThrownBy(() -> Labels.toCategorical(Tensor.of(new float[] {0.5f}, 1), 2))
                .hasMessage("to_categorical: expected whole-number labels, got 0.5 at index 0");
    }
}
