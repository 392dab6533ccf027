package io.rnn4j.layers.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.constraints.Constraints;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Adam and SGD against Keras 3's update formulas written out here in float64, over several steps
 * with changing gradients (agreement to 1e-6 relative: float32 ops vs the float64 replica).
 */
class OptimizersTest {
    private static final float[][] GRADS = {{0.5f, -2f, 1e-3f}, {0.4f, -1f, 0f}, {-0.3f, 3f, 2e-3f}, {0.1f, 0.1f, -5f}};

    /** A weight of 3 values, the gradient set directly on its parameter. */
    private static Weight weight(float... init) {
        Dense d = new Dense(3).useBias(false);
        d.build(Shape.of(1));
        Weight w = d.weights().get(0);
        w.set(Tensor.of(init, 1, 3));
        return w;
    }

    private static void setGrad(Weight w, float[] g) {
        w.variable().zeroGrad();
        // d(Σ w·g)/dw = g: a real backward puts exactly g there.
        io.rnn4j.layers.autograd.Ops.sumAll(io.rnn4j.layers.autograd.Ops.mul(w.variable(),
                io.rnn4j.layers.autograd.Variable.constant(Tensor.of(g, 1, 3)))).backward();
    }

    @Test
    void adamFollowsKeras3() {
        for (boolean amsgrad : new boolean[] {false, true}) {
            Weight w = weight(1f, -1f, 0.5f);
            Adam adam = new Adam(0.01).amsgrad(amsgrad);
            double[] x = {1, -1, 0.5};
            double[] m = new double[3];
            double[] v = new double[3];
            double[] vHat = new double[3];
            for (int t = 1; t <= GRADS.length; t++) {
                setGrad(w, GRADS[t - 1]);
                adam.apply(List.of(w));
                double alpha = 0.01 * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
                for (int i = 0; i < 3; i++) {
                    double g = GRADS[t - 1][i];
                    m[i] += (g - m[i]) * (1 - 0.9);
                    v[i] += (g * g - v[i]) * (1 - 0.999);
                    vHat[i] = Math.max(vHat[i], v[i]);
                    x[i] -= m[i] * alpha / (Math.sqrt(amsgrad ? vHat[i] : v[i]) + 1e-7);
                }
                float[] got = w.value().toArray();
                for (int i = 0; i < 3; i++) {
                    assertThat((double) got[i]).as("amsgrad=%s step %d [%d]", amsgrad, t, i)
                            .isCloseTo(x[i], within(1e-6 * Math.max(1, Math.abs(x[i]))));
                }
            }
            assertThat(adam.iterations()).isEqualTo(GRADS.length);
        }
    }

    @Test
    void sgdPlainMomentumAndNesterovFollowKeras3() {
        for (double mu : new double[] {0, 0.9}) {
            for (boolean nesterov : new boolean[] {false, true}) {
                Weight w = weight(1f, -1f, 0.5f);
                SGD sgd = new SGD(0.1).momentum(mu).nesterov(nesterov);
                double[] x = {1, -1, 0.5};
                double[] m = new double[3];
                for (float[] g : GRADS) {
                    setGrad(w, g);
                    sgd.apply(List.of(w));
                    for (int i = 0; i < 3; i++) {
                        if (mu == 0) {
                            x[i] -= g[i] * 0.1;
                        } else {
                            m[i] = -g[i] * 0.1 + m[i] * mu;
                            x[i] += nesterov ? -g[i] * 0.1 + m[i] * mu : m[i];
                        }
                    }
                }
                float[] got = w.value().toArray();
                for (int i = 0; i < 3; i++) {
                    assertThat((double) got[i]).as("momentum %s nesterov %s [%d]", mu, nesterov, i)
                            .isCloseTo(x[i], within(1e-6));
                }
            }
        }
    }

    @Test
    void constraintsApplyAfterTheUpdateAndGradlessWeightsAreSkipped() {
        Dense d = new Dense(2).useBias(false).kernelConstraint(Constraints.nonNeg());
        d.build(Shape.of(1));
        Weight w = d.weights().get(0);
        w.set(Tensor.of(new float[] {0.05f, 1f}, 1, 2));
        Weight untouched = weight(1, 2, 3);
        untouched.variable().zeroGrad();
        w.variable().zeroGrad();
        io.rnn4j.layers.autograd.Ops.sumAll(w.variable()).backward();
        new SGD(0.1).apply(List.of(w, untouched));
        assertThat(w.value().toArray()).containsExactly(0f, 0.9f);
        assertThat(untouched.value().toArray()).containsExactly(1, 2, 3);
    }
}
