package io.rnn4j.layers.optimizers;

import static io.rnn4j.layers.optimizers.TestWeights.kernel;
import static io.rnn4j.layers.optimizers.TestWeights.setGrad;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Weight;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Adamax, Nadam, Adadelta, Lion and Ftrl against Keras 3.15.1's update_step (keras/src/optimizers/
 * NAME.py) written out here twice, over four steps with changing gradients: in float64 (bar: 1e-6
 * relative), and in float32 in Keras's expression order, where Keras casts its hyperparameters to
 * float32 (bar: the same bits, on the scalar backend whose ops round as float32 ops do).
 */
class AdamaxNadamAdadeltaLionFtrlUpdatesTest {
    private static final float[][] GRADS = {{0.5f, -2f, 1e-3f}, {0.4f, -1f, 0f}, {-0.3f, 3f, 2e-3f}, {0.1f, 0.1f, -5f}};
    private static final float[] INIT = {1f, -1f, 0.5f};

    private static void assertClose(Weight w, double[] want, String what) {
        float[] got = w.value().toArray();
        for (int i = 0; i < want.length; i++) {
            assertThat((double) got[i]).as("%s [%d] against float64", what, i).isCloseTo(want[i],
                    within(1e-6 * Math.max(1, Math.abs(want[i]))));
        }
    }

    /** The weight and each slot, bit for bit; slots too, as a last-bit change of a small update hides in w. */
    private static void assertSameBits(Optimizer opt, Weight w, String what, float[] want, float[]... slots) {
        assertThat(w.value().toArray()).as("%s against Keras's float32 expressions", what).containsExactly(want);
        OptimizerState s = opt.state(List.of(w));
        for (int j = 0; j < slots.length; j++) {
            assertThat(s.slots().get(0).get(j).toArray()).as("%s: slot %s against Keras's float32 expressions",
                    what, s.slotNames().get(j)).containsExactly(slots[j]);
        }
    }

    private static float pow(float x, float y) {
        return (float) Math.pow(x, y);
    }

    @Test
    void adamaxFollowsKeras3() {
        for (double[] o : new double[][] {{0.9, 0.999, 1e-7}, {0.8, 0.5, 1e-3}}) {
            double b1 = o[0];
            double b2 = o[1];
            double eps = o[2];
            Weight w = kernel(INIT);
            Adamax opt = new Adamax(0.01);
            if (b1 != 0.9) {
                opt.beta1(b1).beta2(b2).epsilon(eps);
            }
            double[] x = TestWeights.toDouble(INIT);
            double[] m = new double[3];
            double[] u = new double[3];
            float[] xf = INIT.clone();
            float[] mf = new float[3];
            float[] uf = new float[3];
            for (int t = 1; t <= GRADS.length; t++) {
                setGrad(w, GRADS[t - 1]);
                opt.apply(List.of(w));
                float b1Power = pow((float) b1, t);
                for (int i = 0; i < 3; i++) {
                    double g = GRADS[t - 1][i];
                    m[i] = b1 * m[i] + (1 - b1) * g;
                    u[i] = Math.max(b2 * u[i], Math.abs(g));
                    x[i] -= 0.01 / (1 - Math.pow(b1, t)) * m[i] / (u[i] + eps);

                    float gf = GRADS[t - 1][i];
                    mf[i] = mf[i] + (gf - mf[i]) * (float) (1 - b1);
                    uf[i] = Math.max((float) b2 * uf[i], Math.abs(gf));
                    xf[i] = xf[i] - (0.01f * mf[i]) / ((1f - b1Power) * (uf[i] + (float) eps));
                }
                assertClose(w, x, "adamax " + b1 + " step " + t);
                assertSameBits(opt, w, "adamax " + b1 + " step " + t, xf, mf, uf);
            }
            assertThat(opt.state(List.of(w)).slotNames()).containsExactly("momentum", "norm");
        }
    }

    @Test
    void nadamFollowsKeras3WithItsMomentumScheduleAndUProduct() {
        for (double[] o : new double[][] {{0.9, 0.999, 1e-7}, {0.7, 0.9, 1e-3}}) {
            double b1 = o[0];
            double b2 = o[1];
            double eps = o[2];
            Weight w = kernel(INIT);
            Nadam opt = new Nadam(0.01).beta1(b1).beta2(b2).epsilon(eps);
            double[] x = TestWeights.toDouble(INIT);
            double[] m = new double[3];
            double[] v = new double[3];
            double uProduct = 1;
            float[] xf = INIT.clone();
            float[] mf = new float[3];
            float[] vf = new float[3];
            float b1f = (float) b1;
            float b2f = (float) b2;
            float uProductF = 1f;
            for (int t = 1; t <= GRADS.length; t++) {
                setGrad(w, GRADS[t - 1]);
                opt.apply(List.of(w));
                double uT = b1 * (1 - 0.5 * Math.pow(0.96, t));
                double uNext = b1 * (1 - 0.5 * Math.pow(0.96, t + 1));
                uProduct *= uT;
                uProductF = uProductF * b1f * (1f - 0.5f * pow(0.96f, t));
                float uTf = b1f * (1f - 0.5f * pow(0.96f, t));
                float uNextF = b1f * (1f - 0.5f * pow(0.96f, t + 1));
                float uProductNextF = uProductF * uNextF;
                float b2Power = pow(b2f, t);
                for (int i = 0; i < 3; i++) {
                    double g = GRADS[t - 1][i];
                    m[i] = b1 * m[i] + (1 - b1) * g;
                    v[i] = b2 * v[i] + (1 - b2) * g * g;
                    double mHat = uNext * m[i] / (1 - uProduct * uNext) + (1 - uT) * g / (1 - uProduct);
                    double vHat = v[i] / (1 - Math.pow(b2, t));
                    x[i] -= 0.01 * mHat / (Math.sqrt(vHat) + eps);

                    float gf = GRADS[t - 1][i];
                    mf[i] = mf[i] + (gf - mf[i]) * (1f - b1f);
                    vf[i] = vf[i] + (gf * gf - vf[i]) * (1f - b2f);
                    float mHatF = (uNextF * mf[i]) / (1f - uProductNextF) + ((1f - uTf) * gf) / (1f - uProductF);
                    float vHatF = vf[i] / (1f - b2Power);
                    xf[i] = xf[i] - (mHatF * 0.01f) / ((float) Math.sqrt(vHatF) + (float) eps);
                }
                assertClose(w, x, "nadam " + b1 + " step " + t);
                assertSameBits(opt, w, "nadam " + b1 + " step " + t, xf, mf, vf);
            }
            OptimizerState s = opt.state(List.of(w));
            assertThat(s.slotNames()).containsExactly("momentum", "velocity");
            assertThat(s.scalars()).as("u_product after four steps").containsExactly(
                    java.util.Map.entry("u_product", uProductF));
            List<Tensor> vars = s.kerasVariables();
            assertThat(vars).as("momentum, velocity, then u_product last, as Keras saves them").hasSize(3);
            assertThat(vars.get(2).shape().rank()).isZero();
            assertThat(vars.get(2).item()).isEqualTo(uProductF);
            assertThat(opt.kerasVariableCount()).as("iteration, learning_rate, 2 slots of 3, u_product").isEqualTo(9);
        }
    }

    @Test
    void adadeltaFollowsKeras3() {
        for (double[] o : new double[][] {{0.95, 1e-7}, {0.5, 1e-3}}) {
            double rho = o[0];
            double eps = o[1];
            Weight w = kernel(INIT);
            Adadelta opt = new Adadelta(1.0).rho(rho).epsilon(eps);
            double[] x = TestWeights.toDouble(INIT);
            double[] accGrad = new double[3];
            double[] accDelta = new double[3];
            float[] xf = INIT.clone();
            float[] agf = new float[3];
            float[] adf = new float[3];
            float rf = (float) rho;
            float oneMinusRho = (float) (1 - rho);
            float epsf = (float) eps;
            for (int t = 1; t <= GRADS.length; t++) {
                setGrad(w, GRADS[t - 1]);
                opt.apply(List.of(w));
                for (int i = 0; i < 3; i++) {
                    double g = GRADS[t - 1][i];
                    accGrad[i] = rho * accGrad[i] + (1 - rho) * g * g;
                    double delta = -Math.sqrt(accDelta[i] + eps) * g / Math.sqrt(accGrad[i] + eps);
                    accDelta[i] = rho * accDelta[i] + (1 - rho) * delta * delta;
                    x[i] += 1.0 * delta;

                    float gf = GRADS[t - 1][i];
                    agf[i] = rf * agf[i] + oneMinusRho * (gf * gf);
                    float deltaF = -(((float) Math.sqrt(adf[i] + epsf) * gf) / (float) Math.sqrt(agf[i] + epsf));
                    adf[i] = rf * adf[i] + oneMinusRho * (deltaF * deltaF);
                    xf[i] = xf[i] + 1f * deltaF;
                }
                assertClose(w, x, "adadelta rho " + rho + " step " + t);
                assertSameBits(opt, w, "adadelta rho " + rho + " step " + t, xf, agf, adf);
            }
            assertThat(opt.state(List.of(w)).slotNames()).containsExactly("accumulated_grad", "accumulated_delta_var");
        }
    }

    @Test
    void lionFollowsKeras3SignOfZeroAndOfASubnormalIncluded() {
        // step 1: a zero gradient on a zero momentum moves nothing (sign 0); a subnormal one moves by lr
        float[][] grads = {{0f, 1e-44f, -3f}, {0.4f, -1f, 0f}, {-0.3f, 3f, 2e-3f}, {0.1f, 0.1f, -5f}};
        for (double[] o : new double[][] {{0.9, 0.99}, {0.5, 0.8}}) {
            double b1 = o[0];
            double b2 = o[1];
            Weight w = kernel(INIT);
            Lion opt = new Lion(0.01).beta1(b1).beta2(b2);
            double[] x = TestWeights.toDouble(INIT);
            double[] m = new double[3];
            float[] xf = INIT.clone();
            float[] mf = new float[3];
            float b1f = (float) b1;
            float b2f = (float) b2;
            for (int t = 1; t <= grads.length; t++) {
                setGrad(w, grads[t - 1]);
                opt.apply(List.of(w));
                for (int i = 0; i < 3; i++) {
                    double g = grads[t - 1][i];
                    x[i] -= 0.01 * Math.signum(m[i] * b1 + g * (1 - b1));
                    m[i] = m[i] * b2 + g * (1 - b2);

                    float gf = grads[t - 1][i];
                    xf[i] = xf[i] - 0.01f * Math.signum(mf[i] * b1f + gf * (1f - b1f));
                    mf[i] = mf[i] * b2f + gf * (1f - b2f);
                }
                assertClose(w, x, "lion " + b1 + " step " + t);
                assertSameBits(opt, w, "lion " + b1 + " step " + t, xf, mf);
                if (t == 1) {
                    assertThat(w.value().toArray()[0]).as("sign(0) = 0").isEqualTo(1f);
                    assertThat(w.value().toArray()[1]).as("sign(1e-44) = 1").isEqualTo(-1f - 0.01f);
                }
            }
            assertThat(opt.state(List.of(w)).slotNames()).containsExactly("momentum");
        }
    }

    @Test
    void ftrlFollowsKeras3WithItsDefaultPowerAndRegularization() {
        // {l1, l2, l2 shrinkage, beta, initial accumulator}: Keras's defaults, then every term on
        for (double[] o : new double[][] {{0, 0, 0, 0, 0.1}, {0.05, 0.3, 0.2, 0.5, 0.4}}) {
            double l1 = o[0];
            double l2 = o[1];
            double shrink = o[2];
            double beta = o[3];
            double init = o[4];
            float lr = 0.1f;
            Weight w = kernel(INIT);
            Ftrl opt = new Ftrl(lr).l1RegularizationStrength(l1).l2RegularizationStrength(l2)
                    .l2ShrinkageRegularizationStrength(shrink).beta(beta).initialAccumulatorValue(init);
            double[] x = TestWeights.toDouble(INIT);
            double[] n = {init, init, init};
            double[] z = new double[3];
            float[] xf = INIT.clone();
            float[] nf = {(float) init, (float) init, (float) init};
            float[] zf = new float[3];
            float l2Reg = (float) l2 + (float) beta / (2f * lr);
            for (int t = 1; t <= GRADS.length; t++) {
                setGrad(w, GRADS[t - 1]);
                opt.apply(List.of(w));
                for (int i = 0; i < 3; i++) {
                    double g = GRADS[t - 1][i];
                    double newN = n[i] + g * g;
                    z[i] += g + 2 * shrink * x[i] - (Math.sqrt(newN) - Math.sqrt(n[i])) / lr * x[i];
                    double quadratic = Math.sqrt(newN) / lr + 2 * (l2 + beta / (2 * lr));
                    x[i] = (Math.clamp(z[i], -l1, l1) - z[i]) / quadratic;
                    n[i] = newN;

                    float gf = GRADS[t - 1][i];
                    float newNf = nf[i] + gf * gf;
                    float gradToUse = gf + (float) (2 * shrink) * xf[i];
                    zf[i] = zf[i] + (gradToUse - (((float) Math.sqrt(newNf) - (float) Math.sqrt(nf[i])) / lr) * xf[i]);
                    float quadraticF = (float) Math.sqrt(newNf) / lr + 2f * l2Reg;
                    float clipped = Math.min(Math.max(zf[i], -(float) l1), (float) l1);
                    xf[i] = (clipped - zf[i]) / quadraticF;
                    nf[i] = newNf;
                }
                assertClose(w, x, "ftrl " + java.util.Arrays.toString(o) + " step " + t);
                assertSameBits(opt, w, "ftrl " + java.util.Arrays.toString(o) + " step " + t, xf, nf, zf);
            }
            assertThat(opt.state(List.of(w)).slotNames()).containsExactly("accumulator", "linear");
        }
    }

    @Test
    void ftrlTakesOtherLearningRatePowers() {
        // p = 0 (a fixed rate) and 1 exactly; 0.7 through exp(p·ln n), a few float32 roundings from a float32 power
        float[][] grads = {{0.5f, -2f, 0.3f}, {0.4f, -1f, 0.2f}, {-0.3f, 3f, 0.6f}, {0.1f, 0.4f, -5f}};
        for (double power : new double[] {0, -1, -0.7}) {
            double p = -power;
            float lr = 0.1f;
            Weight w = kernel(INIT);
            Ftrl opt = new Ftrl(lr).learningRatePower(power);
            double[] x = TestWeights.toDouble(INIT);
            double[] n = {0.1, 0.1, 0.1};
            double[] z = new double[3];
            for (int t = 1; t <= grads.length; t++) {
                setGrad(w, grads[t - 1]);
                opt.apply(List.of(w));
                for (int i = 0; i < 3; i++) {
                    double g = grads[t - 1][i];
                    double newN = n[i] + g * g;
                    z[i] += g - (Math.pow(newN, p) - Math.pow(n[i], p)) / lr * x[i];
                    x[i] = -z[i] / (Math.pow(newN, p) / lr);
                    n[i] = newN;
                }
                assertClose(w, x, "ftrl learning_rate_power " + power + " step " + t);
            }
        }
    }
}
