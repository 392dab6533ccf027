package io.rnn4j.layers.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Distinct;
import io.rnn4j.layers.GradCheck;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Ops.max (the differentiable tf.reduce_max) and Ops.maximum / Ops.minimum: forward against plain
 * Java loops, gradients against float64 central differences ({@link GradCheck}) on inputs whose
 * values are all at least 1/n apart ({@link Distinct}) (a finite difference across a tie would measure a kink), and
 * TensorFlow's tie rules checked exactly: reduce_max splits the gradient equally among the tied
 * maxima (_MinOrMaxGrad), maximum/minimum give a tie wholly to the first argument
 * (_MaximumMinimumGrad). Seed 1101.
 */
class MaxOpsTest {
    private static final long SEED = 1101;
    private final Random r = new Random(SEED);

    @Test
    void maxAlongEachAxisMatchesLoopsAndDifferentiates() {
        System.out.println("MaxOpsTest seed " + SEED);
        Tensor x = Distinct.values(r, 2, 5, 3);
        float[] v = x.toArray();
        float[] overSteps = Ops.max(Variable.constant(x), 1, false).value().toArray();
        assertThat(Ops.max(Variable.constant(x), 1, false).shape()).isEqualTo(Shape.of(2, 3));
        assertThat(Ops.max(Variable.constant(x), 1, true).shape()).isEqualTo(Shape.of(2, 1, 3));
        assertThat(Ops.max(Variable.constant(x), -1, true).shape()).isEqualTo(Shape.of(2, 5, 1));
        for (int b = 0; b < 2; b++) {
            for (int f = 0; f < 3; f++) {
                float m = Float.NEGATIVE_INFINITY;
                for (int t = 0; t < 5; t++) {
                    m = Math.max(m, v[(b * 5 + t) * 3 + f]);
                }
                assertThat(overSteps[b * 3 + f]).as("max over steps, batch %d feature %d", b, f).isEqualTo(m);
            }
        }
        GradCheck.check("max axis 1", in -> Ops.max(in[0], 1, false), x);
        GradCheck.check("max axis 2 keepDim", in -> Ops.max(in[0], 2, true), x);
        GradCheck.check("max axis 0", in -> Ops.max(in[0], 0, false), x);
    }

    @Test
    void tiedMaximaShareTheGradientEquallyAsTensorFlow() {
        // Row 0: 3 ties at 2; row 1: one maximum; row 2: all equal (4 ties); row 3: +inf once, -inf ties.
        float inf = Float.POSITIVE_INFINITY;
        Tensor x = Tensor.of(new float[] {2, 1, 2, 2, -5, 7, 0, 0, 3, 3, 3, 3, 1, inf, 0, -1}, 4, 4);
        Variable p = Variable.parameter(x);
        Variable y = Ops.max(p, 1, false);
        assertThat(y.value().toArray()).containsExactly(2, 7, 3, inf);
        Ops.sumAll(Ops.mul(y, Variable.constant(Tensor.of(new float[] {3, 2, 1, 5}, 4)))).backward();
        assertThat(p.grad().toArray()).as("3·[1/3 each tie], 2·[the max], 1·[1/4 each], 5·[+inf only]")
                .containsExactly(1, 0, 1, 1, 0, 2, 0, 0, 0.25f, 0.25f, 0.25f, 0.25f, 0, 5, 0, 0);

        float ninf = Float.NEGATIVE_INFINITY;
        Variable q = Variable.parameter(Tensor.of(new float[] {ninf, ninf}, 1, 2));
        Ops.sumAll(Ops.max(q, 1, false)).backward();
        assertThat(q.grad().toArray()).as("-inf tied with -inf: split").containsExactly(0.5f, 0.5f);
    }

    @Test
    void maximumAndMinimumBroadcastAndDifferentiate() {
        // One grid for both, so no value of b ties (or nearly ties) one of a.
        float[] all = Distinct.values(r, 27).toArray();
        Tensor a = Tensor.of(java.util.Arrays.copyOf(all, 24), 2, 3, 4);
        Tensor b = Tensor.of(java.util.Arrays.copyOfRange(all, 24, 27), 3, 1);
        float[] av = a.toArray();
        float[] bv = b.toArray();
        float[] hi = Ops.maximum(Variable.constant(a), Variable.constant(b)).value().toArray();
        float[] lo = Ops.minimum(Variable.constant(a), Variable.constant(b)).value().toArray();
        for (int i = 0; i < 24; i++) {
            float other = bv[(i / 4) % 3];
            assertThat(hi[i]).as("maximum element %d", i).isEqualTo(Math.max(av[i], other));
            assertThat(lo[i]).as("minimum element %d", i).isEqualTo(Math.min(av[i], other));
        }
        GradCheck.check("maximum (2,3,4) vs (3,1)", in -> Ops.maximum(in[0], in[1]), a, b);
        GradCheck.check("minimum (2,3,4) vs (3,1)", in -> Ops.minimum(in[0], in[1]), a, b);
        GradCheck.check("maximum (3,1) vs (2,3,4)", in -> Ops.maximum(in[0], in[1]), b, a);
    }

    @Test
    void aTieGoesWhollyToTheFirstArgumentAsTensorFlow() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, -4}, 4);
        Tensor b = Tensor.of(new float[] {1, 5, 0, -4}, 4);
        for (boolean max : new boolean[] {true, false}) {
            Variable pa = Variable.parameter(a);
            Variable pb = Variable.parameter(b);
            Variable y = max ? Ops.maximum(pa, pb) : Ops.minimum(pa, pb);
            Ops.sumAll(y).backward();
            String op = max ? "maximum" : "minimum";
            assertThat(y.value().toArray()).as(op).containsExactly(max ? new float[] {1, 5, 3, -4}
                    : new float[] {1, 2, 0, -4});
            // Elements 0 and 3 tie: a gets them (a >= b for maximum, a <= b for minimum).
            assertThat(pa.grad().toArray()).as("%s: d/da", op).containsExactly(max ? new float[] {1, 0, 1, 1}
                    : new float[] {1, 1, 0, 1});
            assertThat(pb.grad().toArray()).as("%s: d/db", op).containsExactly(max ? new float[] {0, 1, 0, 0}
                    : new float[] {0, 0, 1, 0});
        }
        Variable pb = Variable.parameter(b);
        Ops.sumAll(Ops.maximum(Variable.constant(a), pb)).backward();
        assertThat(pb.grad().toArray()).as("b alone needing a gradient").containsExactly(0, 1, 0, 0);
    }

    @Test
    void badArgumentsAreRefused() {
        Variable x = Variable.constant(Tensor.of(new float[6], 2, 3));
        assertThatThrownBy(() -> Ops.maximum(x, Variable.constant(Tensor.of(new float[4], 4))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximum: shapes (2, 3) and (4,) "
                        + "do not broadcast");
        assertThatThrownBy(() -> Ops.max(Variable.constant(Tensor.of(new float[0], 2, 0)), 1, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be empty");
    }
}
