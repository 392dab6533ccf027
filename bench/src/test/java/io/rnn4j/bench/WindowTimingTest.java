package io.rnn4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WindowTimingTest {
    @Test
    void theMedianIsTheMiddleValueOrTheMeanOfTheMiddleTwo() {
        assertThat(WindowTiming.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(WindowTiming.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(WindowTiming.median(new double[] {7})).isEqualTo(7);
        assertThat(WindowTiming.median(new double[0])).isNaN();
    }

    @Test
    void aWindowRunsTheBodyAtLeastTheAskedNumberOfTimesEvenWhenItIsOver() {
        int[] runs = new int[1];
        double micros = WindowTiming.medianMicros(() -> runs[0]++, 0, 5);
        assertThat(runs[0]).isEqualTo(5);
        assertThat(micros).isGreaterThanOrEqualTo(0);
    }
}
