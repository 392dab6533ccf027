package io.rnn4j.layers.optimizers;

import static io.rnn4j.layers.optimizers.TestWeights.kernel;
import static io.rnn4j.layers.optimizers.TestWeights.setGrad;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.optimizers.schedules.ExponentialDecay;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Lamb against Keras 3.15.1's update_step (keras/src/optimizers/lamb.py) written out here twice,
 * over four steps with changing gradients: in float64 (bar: 1e-6 relative), and in float32 in
 * Keras's expression order (bar: the same bits, on the scalar backend, whose sums accumulate in
 * double before rounding to float32, as the reference here does). Then the trust ratio's edge
 * cases (a zero weight, a zero update, a NaN norm give ratio 1), names, get_config, option
 * refusals, and a state another Lamb continues from bit for bit.
 */
class LambTest {
    private static final float[][] GRADS = {{0.5f, -2f, 1e-3f}, {0.4f, -1f, 0f}, {-0.3f, 3f, 2e-3f}, {0.1f, 0.1f, -5f}};
    private static final float[] INIT = {1f, -1f, 0.5f};

    private static float sumOfSquaresF(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v * v;  // each square rounded to float32, as the device's SQUARE does
        }
        return (float) s;
    }

    @Test
    void lambFollowsKeras3InFloat64AndToTheBitInFloat32() {
        for (double[] o : new double[][] {{0.9, 0.999, 1e-7}, {0.8, 0.95, 1e-3}}) {
            double b1 = o[0];
            double b2 = o[1];
            double eps = o[2];
            Weight w = kernel(INIT);
            Lamb opt = new Lamb(0.01);
            if (b1 != 0.9) {
                opt.beta1(b1).beta2(b2).epsilon(eps);
            }
            double[] x = TestWeights.toDouble(INIT);
            double[] m = new double[3];
            double[] v = new double[3];
            float[] xf = INIT.clone();
            float[] mf = new float[3];
            float[] vf = new float[3];
            for (int t = 1; t <= GRADS.length; t++) {
                setGrad(w, GRADS[t - 1]);
                opt.apply(List.of(w));
                double[] r = new double[3];
                double wSq = 0;
                double rSq = 0;
                float[] rf = new float[3];
                float b1Power = (float) Math.pow((float) b1, (float) t);
                float b2Power = (float) Math.pow((float) b2, (float) t);
                for (int i = 0; i < 3; i++) {
                    double g = GRADS[t - 1][i];
                    m[i] = b1 * m[i] + (1 - b1) * g;
                    v[i] = b2 * v[i] + (1 - b2) * g * g;
                    r[i] = (m[i] / (1 - Math.pow(b1, t))) / (Math.sqrt(v[i] / (1 - Math.pow(b2, t))) + eps);
                    wSq += x[i] * x[i];
                    rSq += r[i] * r[i];

                    float gf = GRADS[t - 1][i];
                    mf[i] = mf[i] + (gf - mf[i]) * (float) (1 - b1);
                    vf[i] = vf[i] + (gf * gf - vf[i]) * (float) (1 - b2);
                    rf[i] = (mf[i] / (1f - b1Power)) / ((float) Math.sqrt(vf[i] / (1f - b2Power)) + (float) eps);
                }
                double ratio = Math.sqrt(wSq) / Math.sqrt(rSq);
                float wNorm = (float) Math.sqrt(sumOfSquaresF(xf));
                float rNorm = (float) Math.sqrt(sumOfSquaresF(rf));
                float ratioF = wNorm / rNorm;
                for (int i = 0; i < 3; i++) {
                    x[i] -= ratio * 0.01 * r[i];
                    xf[i] = xf[i] - (ratioF * 0.01f) * rf[i];
                }
                float[] got = w.value().toArray();
                for (int i = 0; i < 3; i++) {
                    assertThat((double) got[i]).as("lamb %s step %d [%d] against float64", b1, t, i)
                            .isCloseTo(x[i], within(1e-6 * Math.max(1, Math.abs(x[i]))));
                }
                assertThat(got).as("lamb %s step %d against Keras's float32 expressions", b1, t).containsExactly(xf);
                OptimizerState s = opt.state(List.of(w));
                assertThat(s.slots().get(0).get(0).toArray()).as("momentum, step %d", t).containsExactly(mf);
                assertThat(s.slots().get(0).get(1).toArray()).as("velocity, step %d", t).containsExactly(vf);
            }
            assertThat(opt.state(List.of(w)).slotNames()).containsExactly("momentum", "velocity");
            assertThat(opt.kerasVariableCount()).as("iteration, learning_rate, 2 slots of 3").isEqualTo(8);
        }
    }

    @Test
    void theTrustRatioIsOneWhenANormIsNotPositiveAsKerasWhereGivesIt() {
        // A zero weight: ‖w‖ = 0, so the step is Adam's first step lr · r ≈ −lr · sign(g), not zero.
        Weight zero = kernel(0f, 0f);
        new Lamb(0.1).apply(withGrad(zero, 0.5f, -2f));
        assertThat(zero.value().toArray()[0]).as("zero weight: ratio 1").isCloseTo(-0.1f, within(1e-5f));
        assertThat(zero.value().toArray()[1]).as("zero weight: ratio 1").isCloseTo(0.1f, within(1e-5f));

        // A zero gradient on zero moments: r = 0, ‖r‖ = 0, ratio 1, and the weight stays.
        Weight still = kernel(1f, -2f);
        new Lamb(0.1).apply(withGrad(still, 0f, 0f));
        assertThat(still.value().toArray()).containsExactly(1f, -2f);

        // A NaN weight: its norm is NaN, NaN > 0 is false, ratio 1 (not NaN): the finite element moves by lr · r.
        Weight nan = kernel(Float.NaN, 3f);
        new Lamb(0.1).apply(withGrad(nan, 1f, 1f));
        float[] got = nan.value().toArray();
        assertThat(got[0]).isNaN();
        assertThat(got[1]).as("NaN norm: ratio 1").isCloseTo(3f - 0.1f, within(1e-5f));
    }

    private static List<Weight> withGrad(Weight w, float... g) {
        setGrad(w, g);
        return List.of(w);
    }

    @Test
    void namesDefaultsAndGetConfigAreKeras3s() {
        assertThat(Optimizers.get("lamb")).isInstanceOf(Lamb.class);
        assertThat(Optimizers.get("LAMB")).as("any case, as Keras").isInstanceOf(Lamb.class);
        assertThat(Optimizers.lamb(0.5).learningRate()).isEqualTo(0.5);
        assertThat(Optimizers.lamb(new ExponentialDecay(0.1, 10, 0.5)).schedule()).isNotNull();
        Lamb lamb = Optimizers.lamb();
        assertThat(lamb.learningRate()).isEqualTo((double) 0.001f);
        assertThat(lamb.weightDecay()).isNull();
        KerasConfig k = lamb.kerasConfig().orElseThrow();
        assertThat(k.className()).isEqualTo("Lamb");
        // As keras.optimizers.Lamb().get_config() gives it in Keras 3.15.1, in its order.
        Map<String, Object> want = new LinkedHashMap<>();
        want.put("name", "lamb");
        want.put("learning_rate", (double) 0.001f);
        want.put("weight_decay", null);
        want.put("clipnorm", null);
        want.put("global_clipnorm", null);
        want.put("clipvalue", null);
        want.put("use_ema", false);
        want.put("ema_momentum", 0.99);
        want.put("ema_overwrite_frequency", null);
        want.put("loss_scale_factor", null);
        want.put("gradient_accumulation_steps", null);
        want.put("beta_1", 0.9);
        want.put("beta_2", 0.999);
        want.put("epsilon", 1e-7);
        assertThat(k.config()).containsExactlyEntriesOf(want);
        assertThat(new Lamb().beta1(0.8).beta2(0.9).epsilon(1e-4).kerasConfig().orElseThrow().config())
                .containsEntry("beta_1", 0.8).containsEntry("beta_2", 0.9).containsEntry("epsilon", 1e-4);
    }

    @Test
    void badOptionsAreRefusedNamingOptimizerOptionRangeAndValue() {
        assertThatThrownBy(() -> new Lamb().beta1(1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lamb: beta_1 must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> new Lamb().beta2(-0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lamb: beta_2 must be in [0, 1), got -0.1");
        assertThatThrownBy(() -> new Lamb().epsilon(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lamb: epsilon must be >= 0 and finite, got NaN");
        assertThatThrownBy(() -> new Lamb(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("learning_rate must be >= 0 and finite, got -1.0");
        assertThatThrownBy(() -> new Lamb().clipnorm(1).clipvalue(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lamb: only one of clipnorm, clipvalue and global_clipnorm");
    }

    @Test
    void aStateTakenMidwayContinuesToTheSameBitsInAnotherLamb() {
        float[][] grads = {{0.5f, -2f}, {0.4f, -1f}, {-0.3f, 3f}, {0.1f, 0.1f}, {1f, -1f}};
        Weight a = kernel(0.3f, -0.7f);
        Lamb first = new Lamb(0.05).beta1(0.8);
        for (int t = 0; t < 3; t++) {
            first.apply(withGrad(a, grads[t]));
        }
        Weight b = kernel(a.value().toArray());
        Lamb second = new Lamb(0.05).beta1(0.8);
        second.loadState(List.of(b), first.state(List.of(a)));
        assertThat(second.iterations()).isEqualTo(3);
        for (int t = 3; t < grads.length; t++) {
            first.apply(withGrad(a, grads[t]));
            second.apply(withGrad(b, grads[t]));
        }
        assertThat(b.value().toArray()).containsExactly(a.value().toArray());
        assertThatThrownBy(() -> new Adam().loadState(List.of(b), first.state(List.of(a))))
                .hasMessageContaining("the state is of optimizer 'lamb'");
    }
}
