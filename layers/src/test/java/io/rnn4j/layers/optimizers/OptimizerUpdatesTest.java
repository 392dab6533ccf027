package io.rnn4j.layers.optimizers;

import static io.rnn4j.layers.optimizers.TestWeights.kernel;
import static io.rnn4j.layers.optimizers.TestWeights.setGrad;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.layers.Weight;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * AdamW, RMSprop (plain, momentum, centered, both) and Adagrad against Keras 3's update_step
 * written out here in float64, over four steps with changing gradients. Bar: agreement to 1e-6
 * relative (float32 device ops against the float64 replica).
 */
class OptimizerUpdatesTest {
    private static final float[][] GRADS = {{0.5f, -2f, 1e-3f}, {0.4f, -1f, 0f}, {-0.3f, 3f, 2e-3f}, {0.1f, 0.1f, -5f}};
    private static final float[] INIT = {1f, -1f, 0.5f};

    private static void assertClose(Weight w, double[] want, String what) {
        float[] got = w.value().toArray();
        for (int i = 0; i < want.length; i++) {
            assertThat((double) got[i]).as("%s [%d]", what, i).isCloseTo(want[i],
                    within(1e-6 * Math.max(1, Math.abs(want[i]))));
        }
    }

    @Test
    void rmspropPlainMomentumAndCenteredFollowKeras3() {
        for (double mu : new double[] {0, 0.9}) {
            for (boolean centered : new boolean[] {false, true}) {
                Weight w = kernel(INIT);
                RMSprop opt = new RMSprop(0.01).rho(0.8).momentum(mu).centered(centered);
                double[] x = TestWeights.toDouble(INIT);
                double[] v = new double[3];
                double[] m = new double[3];
                double[] avg = new double[3];
                for (int t = 0; t < GRADS.length; t++) {
                    setGrad(w, GRADS[t]);
                    opt.apply(List.of(w));
                    for (int i = 0; i < 3; i++) {
                        double g = GRADS[t][i];
                        v[i] = 0.8 * v[i] + (1 - 0.8) * g * g;
                        double denominator;
                        if (centered) {
                            avg[i] = 0.8 * avg[i] + (1 - 0.8) * g;
                            denominator = v[i] - avg[i] * avg[i] + 1e-7;
                        } else {
                            denominator = v[i] + 1e-7;
                        }
                        double increment = 0.01 * g / Math.sqrt(denominator);
                        if (mu > 0) {
                            m[i] = mu * m[i] + increment;
                            x[i] -= m[i];
                        } else {
                            x[i] -= increment;
                        }
                    }
                    assertClose(w, x, "rmsprop momentum " + mu + " centered " + centered + " step " + (t + 1));
                }
                List<String> slots = opt.state(List.of(w)).slotNames();
                assertThat(slots).as("Keras's slot names").containsExactlyElementsOf(
                        mu > 0 && centered ? List.of("velocity", "momentum", "average_gradient")
                                : mu > 0 ? List.of("velocity", "momentum")
                                : centered ? List.of("velocity", "average_gradient") : List.of("velocity"));
            }
        }
    }

    @Test
    void rmspropDefaultsAreKeras3s() {
        // Keras's docstring example: var 10, loss var²/2 (gradient = var), RMSprop(0.1).minimize once → 9.683772.
        Weight w = kernel(10f);
        setGrad(w, new float[] {10f});
        new RMSprop(0.1).apply(List.of(w));
        assertThat(w.value().toArray()[0]).isCloseTo(9.683772f, within(1e-5f));
    }

    @Test
    void adagradFollowsKeras3() {
        for (double initial : new double[] {0.1, 0.0}) {
            Weight w = kernel(INIT);
            Adagrad opt = new Adagrad(0.1).initialAccumulatorValue(initial);
            double[] x = TestWeights.toDouble(INIT);
            double[] acc = {initial, initial, initial};
            for (int t = 0; t < GRADS.length; t++) {
                setGrad(w, GRADS[t]);
                opt.apply(List.of(w));
                for (int i = 0; i < 3; i++) {
                    double g = GRADS[t][i];
                    acc[i] += g * g;
                    x[i] -= 0.1 * g / Math.sqrt(acc[i] + 1e-7);
                }
                assertClose(w, x, "adagrad initial " + initial + " step " + (t + 1));
            }
        }
        assertThat(new Adagrad().learningRate()).isEqualTo((float) 0.001);
    }

    @Test
    void adamWDecaysTheWeightThenTakesTheAdamStep() {
        Weight w = kernel(INIT);
        AdamW opt = new AdamW(0.01);
        opt.weightDecay(0.1);
        double[] x = TestWeights.toDouble(INIT);
        double[] m = new double[3];
        double[] v = new double[3];
        for (int t = 1; t <= GRADS.length; t++) {
            setGrad(w, GRADS[t - 1]);
            opt.apply(List.of(w));
            double alpha = 0.01 * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
            for (int i = 0; i < 3; i++) {
                double g = GRADS[t - 1][i];
                x[i] -= x[i] * 0.1 * 0.01;
                m[i] += (g - m[i]) * (1 - 0.9);
                v[i] += (g * g - v[i]) * (1 - 0.999);
                x[i] -= m[i] * alpha / (Math.sqrt(v[i]) + 1e-7);
            }
            assertClose(w, x, "adamw step " + t);
        }
        assertThat(new AdamW().weightDecay()).as("Keras's default weight_decay").isEqualTo(0.004);
        assertThat(new AdamW().kerasName()).isEqualTo("adamw");
    }

    @Test
    void weightDecayWorksOnEveryOptimizerAndSkipsExcludedNames() {
        Weight[] kb = TestWeights.kernelAndBias(new float[] {2f, -4f}, new float[] {1f, 3f});
        Optimizer sgd = new SGD(0.5).weightDecay(0.2).excludeFromWeightDecay("bias");
        setGrad(kb[0], new float[] {1f, 1f});
        setGrad(kb[1], new float[] {1f, 1f});
        sgd.apply(List.of(kb[0], kb[1]));
        // kernel: w − w·0.2·0.5 − 0.5·g ; bias: only − 0.5·g
        assertThat(kb[0].value().toArray()).containsExactly(2f - 0.2f - 0.5f, -4f + 0.4f - 0.5f);
        assertThat(kb[1].value().toArray()).containsExactly(0.5f, 2.5f);
    }

    @Test
    void badOptionsAreRefusedAndSlotLayoutFreezesAtTheFirstUpdate() {
        assertThatThrownBy(() -> new RMSprop().rho(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rho must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> new Adagrad().initialAccumulatorValue(-1))
                .hasMessageContaining("initial_accumulator_value must be >= 0");
        assertThatThrownBy(() -> new Adam(-0.1)).hasMessageContaining("learning_rate must be >= 0 and finite, got -0.1");
        Weight w = kernel(1f);
        setGrad(w, new float[] {1f});
        Adam adam = new Adam();
        adam.apply(List.of(w));
        assertThatThrownBy(() -> adam.amsgrad(true)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("set amsgrad before the first update");
        RMSprop rms = new RMSprop();
        rms.apply(List.of(w));
        assertThatThrownBy(() -> rms.centered(true)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theLearningRateIsHeldAsFloat32LikeKerasVariable() {
        Adam adam = new Adam(0.001);
        assertThat(adam.learningRate()).isEqualTo((double) 0.001f).isNotEqualTo(0.001);
        adam.setLearningRate(1e-4);
        assertThat(adam.learningRate()).isEqualTo((double) 1e-4f);
    }
}
