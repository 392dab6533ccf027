package io.rnn4j.layers.initializers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.constraints.Constraints;
import io.rnn4j.layers.regularizers.Regularizers;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keras's VarianceScaling and TruncatedNormal: the variance each mode and distribution gives
 * (sample estimates over 48k values, within 3%), the two-standard-deviation cut of the truncated
 * forms, the tails of the untruncated one; and the Keras class and arguments every initializer,
 * regularizer and constraint reports. Seed 9.
 */
class VarianceScalingTest {
    /** (in 300, out 160): fan_in 300, fan_out 160, fan_avg 230. */
    private static final Shape KERNEL = Shape.of(300, 160);

    private static double[] moments(float[] v) {
        double mean = 0;
        for (float x : v) {
            mean += x;
        }
        mean /= v.length;
        double s = 0;
        double max = 0;
        for (float x : v) {
            s += (x - mean) * (x - mean);
            max = Math.max(max, Math.abs(x));
        }
        return new double[] {mean, s / v.length, max};
    }

    @Test
    void everyModeAndDistributionHasKerasVariance() {
        double[][] fans = {{300}, {160}, {230}};
        String[] modes = {"fan_in", "fan_out", "fan_avg"};
        for (int m = 0; m < 3; m++) {
            for (String dist : new String[] {"uniform", "truncated_normal", "untruncated_normal"}) {
                double want = 2.5 / fans[m][0];
                float[] v = Initializers.varianceScaling(2.5, modes[m], dist).sample(KERNEL, Seeds.of(9));
                double[] s = moments(v);
                assertThat(s[1]).as("%s %s variance (seed 9)", modes[m], dist).isCloseTo(want, within(0.03 * want));
                double sd = Math.sqrt(want);
                switch (dist) {
                    case "uniform" -> assertThat(s[2]).as("uniform limit sqrt(3·variance)")
                            .isLessThanOrEqualTo(Math.sqrt(3 * want) + 1e-7);
                    case "truncated_normal" -> assertThat(s[2]).as("cut at 2 stddev of the rescaled normal")
                            .isLessThanOrEqualTo(2 * sd / 0.87962566103423978 + 1e-6);
                    default -> assertThat(s[2]).as("an untruncated normal has tails past 2.5 stddev in 48k draws")
                            .isGreaterThan(2.5 * sd / 0.87962566103423978);
                }
            }
        }
    }

    @Test
    void truncatedNormalCutsAtTwoStddevAroundTheMean() {
        float[] v = Initializers.truncatedNormal(0.5f, 0.2f).sample(KERNEL, Seeds.of(9));
        double[] s = moments(v);
        assertThat(s[0]).isCloseTo(0.5, within(0.003));
        // The variance of a standard normal cut at ±2 is 0.87962566103423978².
        double want = 0.04 * 0.87962566103423978 * 0.87962566103423978;
        assertThat(s[1]).isCloseTo(want, within(0.03 * want));
        for (float x : v) {
            assertThat((double) Math.abs(x - 0.5f)).isLessThanOrEqualTo(0.4 + 1e-6);
        }
        assertThat(Initializers.of("truncated_normal").kerasConfig()).contains(KerasConfig.of("TruncatedNormal",
                "mean", 0.0, "stddev", 0.05));
    }

    @Test
    void badSettingsAreRefusedNamingThem() {
        assertThatThrownBy(() -> Initializers.varianceScaling(1, "fan_sum", "uniform"))
                .hasMessage("variance_scaling: mode must be one of fan_in, fan_out, fan_avg; got 'fan_sum'");
        assertThatThrownBy(() -> Initializers.varianceScaling(1, "fan_in", "normal"))
                .hasMessageContaining("distribution must be one of uniform, truncated_normal, untruncated_normal");
        assertThatThrownBy(() -> Initializers.varianceScaling(0, "fan_in", "uniform"))
                .hasMessageContaining("scale must be > 0");
    }

    @Test
    void eachOneNamesItsKerasClassAndArguments() {
        assertThat(Initializers.glorotUniform().kerasConfig()).contains(KerasConfig.of("GlorotUniform"));
        assertThat(Initializers.heNormal().kerasConfig()).contains(KerasConfig.of("HeNormal"));
        assertThat(Initializers.lecunUniform().kerasConfig()).contains(KerasConfig.of("LecunUniform"));
        assertThat(Initializers.zeros().kerasConfig()).contains(KerasConfig.of("Zeros"));
        assertThat(Initializers.ones().kerasConfig()).contains(KerasConfig.of("Ones"));
        assertThat(Initializers.constant(0.1f).kerasConfig()).contains(KerasConfig.of("Constant", "value", 0.1));
        assertThat(Initializers.randomUniform(-0.1f, 0.3f).kerasConfig()).contains(KerasConfig.of("RandomUniform",
                "minval", -0.1, "maxval", 0.3));
        assertThat(Initializers.randomNormal().kerasConfig()).contains(KerasConfig.of("RandomNormal", "mean", 0.0,
                "stddev", 0.05));
        assertThat(Initializers.orthogonal(1.5).kerasConfig()).contains(KerasConfig.of("Orthogonal", "gain", 1.5));
        assertThat(Initializers.varianceScaling(2.0, "fan_out", "untruncated_normal").kerasConfig())
                .contains(new KerasConfig("VarianceScaling", Map.of("scale", 2.0, "mode", "fan_out", "distribution",
                        "untruncated_normal")));
        assertThat(Regularizers.l2(0.01f).kerasConfig()).contains(KerasConfig.of("L2", "l2", 0.01));
        assertThat(Regularizers.l1(0.2f).kerasConfig()).contains(KerasConfig.of("L1", "l1", 0.2));
        assertThat(Regularizers.l1l2(0.1f, 0.3f).kerasConfig()).contains(KerasConfig.of("L1L2", "l1", 0.1, "l2", 0.3));
        assertThat(Constraints.maxNorm(3f, 1).kerasConfig()).contains(KerasConfig.of("MaxNorm", "max_value", 3.0,
                "axis", 1));
        assertThat(Constraints.nonNeg().kerasConfig()).contains(KerasConfig.of("NonNeg"));
        assertThat(Constraints.unitNorm().kerasConfig()).contains(KerasConfig.of("UnitNorm", "axis", 0));
    }
}
