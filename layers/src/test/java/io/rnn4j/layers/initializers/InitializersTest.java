package io.rnn4j.layers.initializers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.Seeds;
import org.junit.jupiter.api.Test;

/**
 * Keras's initializer definitions: bounds, variances (sample estimates over 40k values, within 3%),
 * orthogonality (to 1e-5), reproducibility from a seed. Seed 5.
 */
class InitializersTest {

    private static double variance(float[] v) {
        double mean = 0;
        for (float x : v) {
            mean += x;
        }
        mean /= v.length;
        double s = 0;
        for (float x : v) {
            s += (x - mean) * (x - mean);
        }
        return s / v.length;
    }

    @Test
    void uniformScalingsStayWithinKerasLimits() {
        Shape s = Shape.of(200, 200);
        float[] glorot = Initializers.glorotUniform().sample(s, Seeds.of(5));
        double limit = Math.sqrt(6.0 / 400);
        for (float x : glorot) {
            assertThat(Math.abs(x)).isLessThanOrEqualTo((float) limit);
        }
        assertThat(variance(glorot)).isCloseTo(limit * limit / 3, within(0.03 * limit * limit / 3));
        assertThat(variance(Initializers.heUniform().sample(s, Seeds.of(5)))).isCloseTo(2.0 / 200, within(0.03 * 2 / 200));
        assertThat(variance(Initializers.lecunUniform().sample(s, Seeds.of(5)))).isCloseTo(1.0 / 200, within(0.03 / 200));
    }

    @Test
    void truncatedNormalsHaveTheAskedVarianceAndNoTails() {
        Shape s = Shape.of(200, 200);
        float[] he = Initializers.heNormal().sample(s, Seeds.of(5));
        assertThat(variance(he)).isCloseTo(2.0 / 200, within(0.03 * 2 / 200));
        double cut = 2 * Math.sqrt(2.0 / 200) / 0.87962566103423978;
        for (float x : he) {
            assertThat((double) Math.abs(x)).isLessThanOrEqualTo(cut + 1e-6);
        }
        assertThat(variance(Initializers.glorotNormal().sample(s, Seeds.of(5)))).isCloseTo(1.0 / 200, within(0.03 / 200));
        assertThat(variance(Initializers.lecunNormal().sample(s, Seeds.of(5)))).isCloseTo(1.0 / 200, within(0.03 / 200));
        assertThat(variance(Initializers.randomNormal().sample(s, Seeds.of(5)))).isCloseTo(0.0025, within(0.03 * 0.0025));
    }

    @Test
    void orthogonalRowsOrColumnsAreOrthonormal() {
        for (Shape s : new Shape[] {Shape.of(5, 5), Shape.of(7, 3), Shape.of(3, 12)}) {
            float[] q = Initializers.orthogonal().sample(s, Seeds.of(5));
            int rows = s.dim(0);
            int cols = s.dim(1);
            boolean byColumns = rows >= cols;
            int n = byColumns ? cols : rows;
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    double dot = 0;
                    for (int k = 0; k < (byColumns ? rows : cols); k++) {
                        dot += byColumns ? (double) q[k * cols + a] * q[k * cols + b]
                                : (double) q[a * cols + k] * q[b * cols + k];
                    }
                    assertThat(dot).as("%s: <%d, %d>", s, a, b).isCloseTo(a == b ? 1 : 0, within(1e-5));
                }
            }
        }
    }

    @Test
    void constantsAndReproducibility() {
        assertThat(Initializers.ones().sample(Shape.of(3), Seeds.of(1))).containsExactly(1, 1, 1);
        assertThat(Initializers.constant(0.5f).sample(Shape.of(2), Seeds.of(1))).containsExactly(0.5f, 0.5f);
        assertThat(Initializers.zeros().sample(Shape.of(2), Seeds.of(1))).containsExactly(0, 0);
        float[] u = Initializers.randomUniform().sample(Shape.of(1000), Seeds.of(9));
        for (float x : u) {
            assertThat(x).isBetween(-0.05f, 0.05f);
        }
        assertThat(Initializers.glorotUniform().sample(Shape.of(4, 4), Seeds.of(2)))
                .containsExactly(Initializers.glorotUniform().sample(Shape.of(4, 4), Seeds.of(2)));
        assertThat(Initializers.of("he_normal").kerasName()).isEqualTo("he_normal");
        assertThatThrownBy(() -> Initializers.of("xavier")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("glorot_uniform").hasMessageContaining("'xavier'");
    }
}
