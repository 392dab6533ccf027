package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Sequential;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Keras's Softmax layer (keras/src/layers/activations/softmax.py, Keras 3.16) against float64
 * references computed here: along the last axis, another axis and two adjacent axes; with a mask
 * the masked positions take -1e9 before the softmax and 0 after (a wholly masked row is zeros), the
 * mask broadcasting NumPy style as Keras's where does and refused when it cannot; gradients by
 * finite differences, masked or not; logits kept for the crossentropies; None timesteps; the mask
 * passed on; bad axes. Seed 17, fixed.
 */
class SoftmaxLayerTest {
    private final Random r = new Random(17);

    /** Float64 softmax of x (B, T, F) along axis 1 or 2, keeping positions where keep (same shape) is 1. */
    private static double[] reference(float[] x, int b, int t, int f, int axis, float[] keep) {
        double[] out = new double[x.length];
        int n = axis == 2 ? f : t;
        int stride = axis == 2 ? 1 : f;
        for (int i = 0; i < b; i++) {
            for (int o = 0; o < (axis == 2 ? t : f); o++) {
                int base = i * t * f + (axis == 2 ? o * f : o);
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    int k = base + j * stride;
                    max = Math.max(max, keep == null || keep[k] != 0 ? x[k] : -1e9);
                }
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    int k = base + j * stride;
                    sum += Math.exp((keep == null || keep[k] != 0 ? x[k] : -1e9) - max);
                }
                for (int j = 0; j < n; j++) {
                    int k = base + j * stride;
                    double v = Math.exp((keep == null || keep[k] != 0 ? x[k] : -1e9) - max) / sum;
                    out[k] = keep == null || keep[k] != 0 ? v : 0;
                }
            }
        }
        return out;
    }

    private static void close(String what, float[] got, double[] want) {
        for (int i = 0; i < want.length; i++) {
            assertThat((double) got[i]).as("%s [%d]", what, i).isCloseTo(want[i], within(1e-6));
        }
    }

    private static Variable call(Softmax s, Tensor x, Tensor mask) {
        if (!s.isBuilt()) {
            s.build(x.shape().tail());
        }
        return s.call(Variable.constant(x), mask, CallContext.inference());
    }

    @Test
    void alongTheLastAxisAnotherAxisAndTwoAdjacentAxesAsFloat64() {
        Tensor x = GradCheck.uniform(r, -4, 4, 2, 3, 5);
        close("axis -1", call(new Softmax(), x, null).value().toArray(), reference(x.toArray(), 2, 3, 5, 2, null));
        close("axis 1", call(new Softmax(1), x, null).value().toArray(), reference(x.toArray(), 2, 3, 5, 1, null));
        // Over (1, 2): one distribution per batch row, as exp(x - logsumexp(x, (1, 2))).
        float[] v = x.toArray();
        float[] y = call(new Softmax(1, 2), x, null).value().toArray();
        for (int i = 0; i < 2; i++) {
            double sum = 0;
            for (int k = 0; k < 15; k++) {
                sum += Math.exp(v[i * 15 + k]);
            }
            for (int k = 0; k < 15; k++) {
                assertThat((double) y[i * 15 + k]).as("axes [1, 2] at %d", k)
                        .isCloseTo(Math.exp(v[i * 15 + k]) / sum, within(1e-6));
            }
        }
        assertThat(call(new Softmax(), Tensor.of(new float[] {1, 2, 1}, 1, 3), null).value().toArray())
                .as("Keras's docstring example").usingComparatorWithPrecision(1e-7f)
                .containsExactly(0.21194157f, 0.5761169f, 0.21194157f);
    }

    @Test
    void maskedPositionsGetLargeNegativeBeforeAndZeroAfterAsKeras3() {
        Tensor x = GradCheck.uniform(r, -4, 4, 3, 4);
        float[] m = {1, 0, 1, 1, 0, 0, 0, 0, 1, 1, 1, 0};
        Tensor mask = Tensor.of(m, 3, 4);
        Softmax s = new Softmax();
        float[] y = call(s, x, mask).value().toArray();
        close("masked (batch, steps) scores", y, reference(x.toArray(), 1, 3, 4, 2, m));
        assertThat(new float[] {y[4], y[5], y[6], y[7]}).as("a wholly masked row: zeros, not uniform")
                .containsOnly(0f);
        assertThat(y[1]).as("a masked position: exactly 0").isEqualTo(0f);
        Tensor soft = Tensor.of(new float[] {0.7f, 0.5f, 0.2f, 1f, 1, 1, 1, 1, 1, 1, 1, 1}, 3, 4);
        float[] ys = call(s, x, soft).value().toArray();
        assertThat(ys[1]).as("mask 0.5 is not > 0.5: masked").isEqualTo(0f);
        assertThat(ys[2]).as("mask 0.2: masked").isEqualTo(0f);
        assertThat(ys[0]).as("mask 0.7 > 0.5: kept").isGreaterThan(0f);
    }

    @Test
    void aMaskBroadcastsAlignedAtTheLastAxisOrIsRefused() {
        // Attention scores (batch, queries, keys) with a (batch, 1, keys) padding mask.
        Tensor x = GradCheck.uniform(r, -3, 3, 2, 3, 4);
        float[] km = {1, 1, 0, 1, 1, 0, 0, 1};
        float[] full = new float[24];
        for (int i = 0; i < 24; i++) {
            full[i] = km[(i / 12) * 4 + i % 4];
        }
        close("(2, 1, 4) mask over (2, 3, 4)", call(new Softmax(), x, Tensor.of(km, 2, 1, 4)).value().toArray(),
                reference(x.toArray(), 2, 3, 4, 2, full));
        Softmax s = new Softmax();
        assertThatThrownBy(() -> call(s, x, Tensor.of(new float[6], 2, 3)))
                .as("a (batch, steps) mask over (batch, steps, features): Keras aligns it with (steps, features)")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Softmax")
                .hasMessageContaining("mask must broadcast").hasMessageContaining("(2, 3)");
        assertThatThrownBy(() -> call(s, x, Tensor.of(new float[48], 2, 2, 3, 4)))
                .hasMessageContaining("no more axes");
    }

    @Test
    void gradientsMatchFiniteDifferencesMaskedOrNot() {
        Tensor mask = Tensor.of(new float[] {1, 0, 1, 1, 1, 1, 0, 0}, 2, 4);
        for (Softmax s : new Softmax[] {new Softmax(), new Softmax(1), new Softmax(1, 2)}) {
            s.build(Shape.of(3, 4));
            GradCheck.check("Softmax " + java.util.Arrays.toString(s.axes()),
                    v -> s.call(v[0], null, CallContext.inference()), GradCheck.uniform(r, -2, 2, 2, 3, 4));
        }
        Softmax s = new Softmax();
        s.build(Shape.of(4));
        GradCheck.check("Softmax masked", v -> s.call(v[0], mask, CallContext.inference()),
                GradCheck.uniform(r, -2, 2, 2, 4));
    }

    @Test
    void logitsMaskPassingNoneTimestepsAndBadAxes() {
        Tensor x = GradCheck.uniform(r, -2, 2, 2, 4);
        Softmax s = new Softmax();
        Variable in = Variable.constant(x);
        s.build(Shape.of(4));
        assertThat(s.call(in, null, CallContext.inference()).logits()).as("logits kept for the crossentropies")
                .isSameAs(in);
        Tensor mask = Tensor.of(new float[] {1, 1, 0, 1, 1, 1, 1, 1}, 2, 4);
        assertThat(s.computeMask(in, mask)).as("the mask passes on").isSameAs(mask);
        assertThat(s.call(in, mask, CallContext.inference()).logits()).as("masked: Keras's where drops the logits")
                .isNull();

        Sequential m = Sequential.of(Input.shape(Input.NONE, 3), new Softmax(1));
        for (int steps : new int[] {1, 6}) {
            Tensor y = m.predict(GradCheck.uniform(r, -1, 1, 2, steps, 3));
            float[] v = y.toArray();
            double sum = 0;
            for (int k = 0; k < steps; k++) {
                sum += v[k * 3];
            }
            assertThat(sum).as("softmax over %s steps sums to 1", steps).isCloseTo(1, within(1e-6));
        }
        assertThatThrownBy(() -> Sequential.of(Input.shape(3, 4), new Softmax(3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("axis 3 is out of range");
        assertThatThrownBy(() -> Sequential.of(Input.shape(3, 4, 2), new Softmax(1, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("adjacent");
    }
}
