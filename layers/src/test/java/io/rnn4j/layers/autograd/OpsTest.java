package io.rnn4j.layers.autograd;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.GradCheck;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every generic op: forward against a float64 computation written here, every input's gradient
 * against float64 central differences ({@link GradCheck}, bar stated there). Seed 42.
 */
class OpsTest {
    private final Random r = new Random(42);

    @Test
    void addBroadcastsAndSumsGradientsBackOverBroadcastAxes() {
        Tensor a = uniform(r, -1, 1, 2, 3);
        Tensor b = uniform(r, -1, 1, 3);
        float[] av = a.toArray();
        float[] bv = b.toArray();
        float[] y = Ops.add(Variable.constant(a), Variable.constant(b)).value().toArray();
        for (int i = 0; i < 6; i++) {
            assertThat(y[i]).isEqualTo(av[i] + bv[i % 3]);
        }
        GradCheck.check("add (2,3)+(3)", v -> Ops.add(v[0], v[1]), a, b);
        GradCheck.check("add (2,1)+(1,3)", v -> Ops.add(v[0], v[1]), uniform(r, -1, 1, 2, 1), uniform(r, -1, 1, 1, 3));
    }

    @Test
    void subMulDivWithBroadcasting() {
        GradCheck.check("sub", v -> Ops.sub(v[0], v[1]), uniform(r, -1, 1, 3, 4), uniform(r, -1, 1, 4));
        GradCheck.check("mul", v -> Ops.mul(v[0], v[1]), uniform(r, -1, 1, 2, 1, 3), uniform(r, -1, 1, 4, 1));
        GradCheck.check("div", v -> Ops.div(v[0], v[1]), uniform(r, -1, 1, 3, 2), uniform(r, 0.5f, 2, 2));
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor b = Tensor.of(new float[] {2, 4}, 2);
        assertThat(Ops.div(Variable.constant(a), Variable.constant(b)).value().toArray())
                .containsExactly(0.5f, 0.5f, 1.5f, 1f);
        assertThat(Ops.sub(Variable.constant(a), Variable.constant(b)).value().toArray())
                .containsExactly(-1f, -2f, 1f, 0f);
    }

    @Test
    void matmulMatchesFloat64AndDifferentiates() {
        Tensor a = uniform(r, -1, 1, 3, 5);
        Tensor b = uniform(r, -1, 1, 5, 2);
        float[] av = a.toArray();
        float[] bv = b.toArray();
        float[] y = Ops.matmul(Variable.constant(a), Variable.constant(b)).value().toArray();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                double s = 0;
                for (int k = 0; k < 5; k++) {
                    s += (double) av[i * 5 + k] * bv[k * 2 + j];
                }
                assertThat((double) y[i * 2 + j]).isCloseTo(s, within(1e-6));
            }
        }
        GradCheck.check("matmul", v -> Ops.matmul(v[0], v[1]), a, b);
    }

    @Test
    void unaryActivationsAffineAndSoftmax() {
        for (UnaryOp op : new UnaryOp[] {UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.SOFTPLUS, UnaryOp.EXP,
            UnaryOp.SWISH, UnaryOp.ELU, UnaryOp.SQUARE}) {
            GradCheck.check("unary " + op, v -> Ops.unary(op, v[0]), uniform(r, -2, 2, 2, 3));
        }
        GradCheck.check("unary LOG", v -> Ops.unary(UnaryOp.LOG, v[0]), uniform(r, 0.5f, 2, 4));
        GradCheck.check("affine", v -> Ops.affine(v[0], -1.5f, 0.25f), uniform(r, -1, 1, 4));
        Tensor x = uniform(r, -2, 2, 2, 4);
        float[] xv = x.toArray();
        float[] s = Ops.softmax(Variable.constant(x), -1).value().toArray();
        for (int row = 0; row < 2; row++) {
            double z = 0;
            for (int j = 0; j < 4; j++) {
                z += Math.exp(xv[row * 4 + j]);
            }
            for (int j = 0; j < 4; j++) {
                assertThat((double) s[row * 4 + j]).isCloseTo(Math.exp(xv[row * 4 + j]) / z, within(1e-6));
            }
        }
        GradCheck.check("softmax axis -1", v -> Ops.softmax(v[0], -1), x);
        GradCheck.check("log_softmax axis 0", v -> Ops.logSoftmax(v[0], 0), uniform(r, -2, 2, 3, 2));
    }

    @Test
    void reductionsAlongAnAxisAndOverAll() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertThat(Ops.sum(Variable.constant(x), 1, false).value().toArray()).containsExactly(6f, 15f);
        assertThat(Ops.mean(Variable.constant(x), 0, true).value().shape()).isEqualTo(Shape.of(1, 3));
        assertThat(Ops.mean(Variable.constant(x), 0, true).value().toArray()).containsExactly(2.5f, 3.5f, 4.5f);
        assertThat(Ops.sumAll(Variable.constant(x)).value().item()).isEqualTo(21f);
        assertThat(Ops.meanAll(Variable.constant(x)).value().shape().rank()).isZero();
        GradCheck.check("sum axis 1", v -> Ops.sum(v[0], 1, false), uniform(r, -1, 1, 2, 3, 2));
        GradCheck.check("mean axis 0 keepdim", v -> Ops.mean(v[0], 0, true), uniform(r, -1, 1, 3, 2));
        GradCheck.check("meanAll", v -> Ops.meanAll(v[0]), uniform(r, -1, 1, 2, 3));
    }

    @Test
    void shapeOps() {
        GradCheck.check("reshape", v -> Ops.reshape(Ops.unary(UnaryOp.TANH, v[0]), 3, -1), uniform(r, -1, 1, 2, 3));
        GradCheck.check("broadcastTo", v -> Ops.broadcastTo(v[0], Shape.of(2, 4, 3)), uniform(r, -1, 1, 2, 1, 3));
        GradCheck.check("concat axis 1", v -> Ops.concat(1, v[0], v[1]), uniform(r, -1, 1, 2, 2), uniform(r, -1, 1, 2, 3));
        GradCheck.check("split axis 2, first part", v -> Ops.split(v[0], 2, 1, 3)[1], uniform(r, -1, 1, 2, 2, 4));
        GradCheck.check("reverse axis 1", v -> Ops.reverse(v[0], 1), uniform(r, -1, 1, 2, 3, 2));
        GradCheck.check("slice axis 1", v -> Ops.slice(v[0], 1, 1, 2), uniform(r, -1, 1, 2, 4, 2));
        GradCheck.check("slice axis 0", v -> Ops.slice(v[0], 0, 1, 1), uniform(r, -1, 1, 3, 2));
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 1, 3, 2);
        assertThat(Ops.reverse(Variable.constant(x), 1).value().toArray()).containsExactly(5, 6, 3, 4, 1, 2);
        assertThat(Ops.slice(Variable.constant(x), 1, 2, 1).value().toArray()).containsExactly(5, 6);
    }

    @Test
    void clipPassesTheGradientOnlyInsideTheRangeAsTensorFlow() {
        Tensor x = Tensor.of(new float[] {-2f, 0.25f, 0.5f, 3f, 1f}, 5);
        Variable v = Variable.parameter(x);
        Variable y = Ops.clip(v, 0f, 1f);
        assertThat(y.value().toArray()).containsExactly(0f, 0.25f, 0.5f, 1f, 1f);
        Ops.sumAll(y).backward();
        // TF's clip_by_value: gradient 1 where lo <= x <= hi (the bound itself included).
        assertThat(v.grad().toArray()).containsExactly(0f, 1f, 1f, 0f, 1f);
        GradCheck.check("clip inside", w -> Ops.clip(w[0], -5f, 5f), uniform(r, -1, 1, 4));
    }

    @Test
    void gatherGivesTheTableAScatteredGradient() {
        Tensor table = uniform(r, -1, 1, 5, 3);
        Tensor ids = Tensor.of(new float[] {4, 0, 4, 2}, 2, 2);
        Variable y = Ops.gather(Variable.constant(table), ids);
        assertThat(y.shape()).isEqualTo(Shape.of(2, 2, 3));
        float[] t = table.toArray();
        assertThat(y.value().toArray()[0]).isEqualTo(t[12]);
        GradCheck.check("gather", v -> Ops.gather(v[0], ids), table);
    }
}
