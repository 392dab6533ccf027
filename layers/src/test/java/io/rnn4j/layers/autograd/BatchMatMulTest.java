package io.rnn4j.layers.autograd;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.GradCheck;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The batched matmul behind attention: forward against float64 sums for every combination of
 * transposed operands (1e-5), both gradients against float64 central differences ({@link GradCheck}),
 * and refusal of mismatched shapes. Seed 59.
 */
class BatchMatMulTest {
    private final Random r = new Random(59);

    /** (B, m, n) = op(a) · op(b) in double, a and b given in their stored layouts. */
    private static double[] reference(Tensor a, Tensor b, boolean ta, boolean tb) {
        int batch = a.dim(0);
        int m = ta ? a.dim(2) : a.dim(1);
        int k = ta ? a.dim(1) : a.dim(2);
        int n = tb ? b.dim(1) : b.dim(2);
        float[] av = a.toArray();
        float[] bv = b.toArray();
        double[] c = new double[batch * m * n];
        for (int p = 0; p < batch; p++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int q = 0; q < k; q++) {
                        double x = ta ? av[(p * k + q) * m + i] : av[(p * m + i) * k + q];
                        double y = tb ? bv[(p * n + j) * k + q] : bv[(p * k + q) * n + j];
                        s += x * y;
                    }
                    c[(p * m + i) * n + j] = s;
                }
            }
        }
        return c;
    }

    @Test
    void everyTransposeCombinationMatchesFloat64AndDifferentiates() {
        int b = 3;
        int m = 2;
        int k = 5;
        int n = 4;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Tensor a = ta ? uniform(r, -1, 1, b, k, m) : uniform(r, -1, 1, b, m, k);
                Tensor c = tb ? uniform(r, -1, 1, b, n, k) : uniform(r, -1, 1, b, k, n);
                Variable y = Ops.batchMatmul(Variable.constant(a), Variable.constant(c), ta, tb);
                assertThat(y.shape()).isEqualTo(Shape.of(b, m, n));
                float[] got = y.value().toArray();
                double[] want = reference(a, c, ta, tb);
                for (int i = 0; i < got.length; i++) {
                    assertThat((double) got[i]).as("transA %s transB %s element %d", ta, tb, i)
                            .isCloseTo(want[i], within(1e-5));
                }
                GradCheck.check("batch_matmul transA=" + ta + " transB=" + tb,
                        v -> Ops.batchMatmul(v[0], v[1], ta, tb), a, c);
            }
        }
    }

    @Test
    void mismatchedShapesAreRefused() {
        Variable a = Variable.constant(Tensor.zeros(2, 3, 4));
        assertThatThrownBy(() -> Ops.batchMatmul(a, Variable.constant(Tensor.zeros(2, 5, 6)), false, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batch_matmul: expected (B, m, k) · (B, k, n), got (2, 3, 4) · (2, 5, 6)");
        assertThatThrownBy(() -> Ops.batchMatmul(a, Variable.constant(Tensor.zeros(3, 4, 6)), false, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(2, 3, 4) · (3, 4, 6)");
    }
}
