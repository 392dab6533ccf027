package io.rnn4j.layers.optimizers;

import static io.rnn4j.layers.optimizers.TestWeights.kernel;
import static io.rnn4j.layers.optimizers.TestWeights.setGrad;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.layers.Weight;
import io.rnn4j.layers.optimizers.schedules.CosineDecay;
import io.rnn4j.layers.optimizers.schedules.ExponentialDecay;
import io.rnn4j.layers.optimizers.schedules.LearningRateSchedule;
import io.rnn4j.layers.optimizers.schedules.PiecewiseConstantDecay;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The schedules against Keras's formulas in float64 (bar: 1e-6 relative, they compute in float32
 * as Keras does), and an optimizer following one: the rate of update k is schedule(k), k from 0.
 */
class SchedulesTest {
    private static final long[] STEPS = {0, 1, 5, 9, 10, 11, 25, 100, 1000};

    private static void assertRate(LearningRateSchedule s, long step, double want) {
        assertThat(s.learningRate(step)).as("%s at step %d", s, step).isCloseTo(want,
                within(1e-6 * Math.max(1e-3, Math.abs(want))));
    }

    @Test
    void exponentialDecaySmoothAndStaircase() {
        var smooth = new ExponentialDecay(0.1, 10, 0.5);
        var stairs = new ExponentialDecay(0.1, 10, 0.5, true);
        for (long s : STEPS) {
            assertRate(smooth, s, 0.1 * Math.pow(0.5, s / 10.0));
            assertRate(stairs, s, 0.1 * Math.pow(0.5, Math.floor(s / 10.0)));
        }
        assertThat(stairs.learningRate(9)).isEqualTo(stairs.learningRate(0));
        assertThat(stairs.learningRate(10)).isLessThan(stairs.learningRate(9));
    }

    @Test
    void cosineDecayWithAlphaAndWarmup() {
        var plain = new CosineDecay(0.1, 100, 0.2);
        for (long s : STEPS) {
            double f = Math.min(s, 100) / 100.0;
            assertRate(plain, s, 0.1 * ((1 - 0.2) * 0.5 * (1 + Math.cos(Math.PI * f)) + 0.2));
        }
        var warm = new CosineDecay(0.0, 100, 0.0, 0.1, 10);
        for (long s : STEPS) {
            long c = Math.min(s, 110);
            double want = c < 10 ? (0.1 - 0.0) * c / 10.0 + 0.0 : 0.1 * 0.5 * (1 + Math.cos(Math.PI * (c - 10) / 100.0));
            assertRate(warm, s, want);
        }
        assertThat(warm.learningRate(10)).isCloseTo(0.1, within(1e-8));
        assertThat(warm.learningRate(110)).isCloseTo(0.0, within(1e-8));
    }

    @Test
    void piecewiseConstantSwitchesAfterEachBoundary() {
        var s = new PiecewiseConstantDecay(new long[] {10, 20}, new double[] {1.0, 0.5, 0.1});
        assertRate(s, 0, 1.0);
        assertRate(s, 10, 1.0);
        assertRate(s, 11, 0.5);
        assertRate(s, 20, 0.5);
        assertRate(s, 21, 0.1);
        assertRate(s, 1000, 0.1);
        assertThatThrownBy(() -> new PiecewiseConstantDecay(new long[] {10}, new double[] {1.0}))
                .hasMessageContaining("one more value than boundaries");
        assertThatThrownBy(() -> new PiecewiseConstantDecay(new long[] {10, 5}, new double[] {1, 2, 3}))
                .hasMessageContaining("boundaries must increase");
    }

    @Test
    void anOptimizerUsesTheScheduleAtItsIterationCount() {
        var schedule = new ExponentialDecay(0.1, 2, 0.5, true);
        Weight w = kernel(0f);
        SGD sgd = Optimizers.sgd(schedule);
        double x = 0;
        for (int k = 0; k < 6; k++) {
            assertThat(sgd.learningRate()).isEqualTo(schedule.learningRate(k));
            setGrad(w, new float[] {1f});
            sgd.apply(List.of(w));
            x -= (float) schedule.learningRate(k);
        }
        assertThat((double) w.value().toArray()[0]).isCloseTo(x, within(1e-6));
        assertThatThrownBy(() -> sgd.setLearningRate(0.5)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be set to a number");
    }
}
