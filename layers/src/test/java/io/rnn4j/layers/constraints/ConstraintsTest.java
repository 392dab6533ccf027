package io.rnn4j.layers.constraints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Autograd;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.regularizers.Regularizers;
import org.junit.jupiter.api.Test;

/** Keras's constraints and regularizers on small matrices whose answers are worked out by hand. */
class ConstraintsTest {

    @Test
    void maxNormScalesDownOnlyColumnsLongerThanTheLimit() {
        // Columns (axis 0 norms): (3, 4) has norm 5, (0.6, 0.8) has norm 1.
        Tensor w = Tensor.of(new float[] {3, 0.6f, 4, 0.8f}, 2, 2);
        Constraints.maxNorm(2f, 0).apply(w);
        float[] v = w.toArray();
        double s = 2 / (1e-7 + 5);
        assertThat((double) v[0]).isCloseTo(3 * s, within(1e-6));
        assertThat((double) v[2]).isCloseTo(4 * s, within(1e-6));
        assertThat((double) v[1]).isCloseTo(0.6 / (1 + 1e-7), within(1e-6));
    }

    @Test
    void minMaxNormIsKerasFloat32Formula() {
        // Keras's MinMaxNorm(0.5, 2, rate 0.75): columns of norm 5, 1 and 0.2; desired = 0.75·clip + 0.25·norm.
        float[] w0 = {3, 0.6f, 0.12f, 4, 0.8f, 0.16f};
        Tensor w = Tensor.of(w0.clone(), 2, 3);
        Constraints.minMaxNorm(0.5, 2, 0.75, 0).apply(w);
        float[] v = w.toArray();
        for (int col = 0; col < 3; col++) {
            float a = w0[col];
            float b = w0[3 + col];
            float norm = (float) Math.sqrt(a * a + b * b);
            float desired = 0.75f * Math.min(Math.max(norm, 0.5f), 2f) + 0.25f * norm;
            float scale = desired / (1e-7f + norm);
            assertThat(v[col]).as("column %d, first entry, float32 as Keras", col).isEqualTo(a * scale);
            assertThat(v[3 + col]).as("column %d, second entry", col).isEqualTo(b * scale);
        }
        assertThat(Constraints.minMaxNorm().kerasConfig().orElseThrow().toString()).contains("MinMaxNorm");
    }

    @Test
    void unitNormAndNonNeg() {
        Tensor w = Tensor.of(new float[] {3, 4}, 1, 2);
        Constraints.unitNorm(1).apply(w);
        assertThat((double) w.toArray()[0]).isCloseTo(0.6, within(1e-6));
        Tensor n = Tensor.of(new float[] {-1, 2, -0.5f}, 3);
        Constraints.nonNeg().apply(n);
        assertThat(n.toArray()).containsExactly(0, 2, 0);
    }

    @Test
    void regularizerPenalties() {
        Variable w = Variable.parameter(Tensor.of(new float[] {1, -2, 3}, 3));
        assertThat((double) Regularizers.l2(0.01f).penalty(w).value().item()).isCloseTo(0.14, within(1e-7));
        assertThat((double) Regularizers.l1(0.1f).penalty(w).value().item()).isCloseTo(0.6, within(1e-7));
        Variable both = Regularizers.l1l2(0.1f, 0.01f).penalty(w);
        both.backward();
        // d/dw (0.1|w| + 0.01 w²) = 0.1 sign(w) + 0.02 w
        float[] g = w.grad().toArray();
        assertThat((double) g[1]).isCloseTo(-0.1 - 0.04, within(1e-7));
        try (var _ = Autograd.noGrad()) {
            assertThat((double) both.value().item()).isCloseTo(0.74, within(1e-6));
        }
    }
}
