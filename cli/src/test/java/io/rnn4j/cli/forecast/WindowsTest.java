package io.rnn4j.cli.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Windowing, scaling and the baselines of the forecast demo. */
class WindowsTest {

    @Test
    void eachSampleIsTheWindowBeforeItsTarget() {
        double[] s = {0, 1, 2, 3, 4, 5, 6};
        Windows w = Windows.of(s, 3, 6, 3);
        assertThat(w.count()).isEqualTo(3);
        assertThat(w.first()).isEqualTo(3);
        assertThat(w.inputs()).containsExactly(0, 1, 2, 1, 2, 3, 2, 3, 4);
        assertThat(w.targets()).containsExactly(3, 4, 5);
    }

    @Test
    void windowsThatWouldReachOutsideTheSeriesAreRefused() {
        double[] s = new double[10];
        assertThatThrownBy(() -> Windows.of(s, 2, 8, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("need 3 <= from < to <= 10");
        assertThatThrownBy(() -> Windows.of(s, 5, 11, 3)).hasMessageContaining("<= 10");
        assertThatThrownBy(() -> Windows.of(s, 5, 8, 0)).hasMessageContaining("window must be >= 1");
    }

    @Test
    void standardizerUsesOnlyTheFittedRangeAndInverts() {
        double[] v = {1, 3, 1000};
        Standardizer z = Standardizer.fit(v, 0, 2);
        assertThat(z.mean()).isEqualTo(2);
        assertThat(z.std()).isEqualTo(1);
        double[] scaled = z.apply(v);
        assertThat(scaled).containsExactly(-1, 1, 998);
        assertThat(z.invert(scaled[2])).isCloseTo(1000, within(1e-12));
        assertThat(Standardizer.fit(new double[] {5, 5}, 0, 2).std()).as("a constant keeps scale 1").isEqualTo(1);
    }

    @Test
    void baselinesAndErrors() {
        double[] s = {1, 2, 4, 8};
        double[] naive = Accuracy.lagged(s, 1);
        assertThat(naive[0]).isNaN();
        assertThat(naive).containsSequence(1, 2, 4);
        assertThat(Accuracy.mae(s, naive, 1, 4)).isCloseTo((1 + 2 + 4) / 3.0, within(1e-12));
        assertThat(Accuracy.rmse(s, naive, 1, 4)).isCloseTo(Math.sqrt((1 + 4 + 16) / 3.0), within(1e-12));
    }
}
