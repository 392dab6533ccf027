package io.rnn4j.kernels.simd.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.rnn4j.kernels.simd.platform.SimdConstants;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fused LSTM inference pass against float64 (σ, tanh and the cell update computed exactly,
 * then rounded once): c' within {@link LstmGates#C_ULPS} ulp of the larger of |f·c| and |i·g|, h
 * within {@link LstmGates#H_ULPS} ulp of |h| plus what c's own error moves it by, training's stored
 * activations within {@link LstmGates#GATE_ULPS} ulp, and c', h the same bits with and without
 * them; rows of 1, a
 * vector ± 1, several vectors with a tail and 256 units; and the special values.
 */
class LstmGatesTest {
    private static final long SEED = 0x1_57a7e5L;

    @Test
    void matchesFloat64WithinTheDocumentedUlps() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        int l = SimdConstants.LANES;
        double worstC = 0;
        double worstH = 0;
        double worstGate = 0;
        for (int n : new int[] {1, l - 1, l, l + 1, 3 * l + 5, 256}) {
            for (int rep = 0; rep < 400; rep++) {
                float[] z = new float[4 * n];
                float[] c = new float[n];
                for (int j = 0; j < z.length; j++) {
                    // Mostly where the gates are neither 0 nor 1, some far out on both sides.
                    z[j] = (float) (rnd.nextInt(8) == 0 ? rnd.nextDouble(-40, 40) : rnd.nextDouble(-12, 12));
                }
                for (int j = 0; j < n; j++) {
                    c[j] = (float) rnd.nextDouble(-4, 4);
                }
                float[] zs = z.clone();
                float[] cs = c.clone();
                float[] h = new float[n];
                float[] out = new float[n];
                // Training on copies: the same c' and h, and the activations backward reads.
                float[] zt = z.clone();
                float[] ct = c.clone();
                float[] ht = new float[n];
                float[] gates = new float[4 * n];
                float[] actC = new float[n];
                LstmGates.step(z, 0, c, 0, h, 0, out, 0, n, new float[n], null, 0, null, 0);
                LstmGates.step(zt, 0, ct, 0, ht, 0, new float[n], 0, n, new float[n], gates, 0, actC, 0);
                assertThat(ct).as("seed " + SEED + " n=" + n + ": c' with and without the training outputs").isEqualTo(c);
                assertThat(ht).as("seed " + SEED + " n=" + n + ": h with and without the training outputs").isEqualTo(h);
                for (int j = 0; j < n; j++) {
                    double i = sigmoid(zs[j]);
                    double f = sigmoid(zs[n + j]);
                    double g = Math.tanh(zs[2 * n + j]);
                    double o = sigmoid(zs[3 * n + j]);
                    double cn = f * cs[j] + i * g;
                    double th = Math.tanh(cn);
                    double hn = o * th;
                    String what = "seed " + SEED + " n=" + n + " j=" + j + " z=(" + zs[j] + ", " + zs[n + j] + ", "
                            + zs[2 * n + j] + ", " + zs[3 * n + j] + ") c=" + cs[j];
                    double cScale = Math.ulp((float) Math.max(Math.abs(f * cs[j]), Math.abs(i * g)));
                    double cErr = Math.abs(c[j] - cn) / cScale;
                    // h moves by o·tanh'(c')·Δc' through c's error, and rounds on its own scale.
                    double moved = o * (1 - th * th) * Math.abs(c[j] - cn);
                    double hErr = Math.max(0, Math.abs(h[j] - hn) - moved) / Math.ulp((float) Math.abs(hn));
                    double[] exact = {i, f, g, o};
                    for (int b = 0; b < 4; b++) {
                        double e = Math.abs(gates[b * n + j] - exact[b]) / Math.ulp((float) Math.abs(exact[b]));
                        worstGate = Math.max(worstGate, e);
                        if (!(e <= LstmGates.GATE_ULPS)) {
                            fail("%s: gate %d = %s, exact %s (%.2f ulp)", what, b, gates[b * n + j], exact[b], e);
                        }
                    }
                    double actErr = Math.abs(actC[j] - Math.tanh(c[j])) / Math.ulp((float) Math.abs(Math.tanh(c[j])));
                    worstGate = Math.max(worstGate, actErr);
                    if (!(actErr <= LstmGates.GATE_ULPS)) {
                        fail("%s: tanh(c') = %s, exact %s (%.2f ulp)", what, actC[j], Math.tanh(c[j]), actErr);
                    }
                    worstC = Math.max(worstC, cErr);
                    worstH = Math.max(worstH, hErr);
                    if (!(cErr <= LstmGates.C_ULPS) || !(hErr <= LstmGates.H_ULPS)) {
                        fail("%s: c' = %s (exact %s, %.2f ulp), h = %s (exact %s, %.2f ulp)", what, c[j], cn, cErr,
                                h[j], hn, hErr);
                    }
                    assertThat(out[j]).as(what + ": out is h").isEqualTo(h[j]);
                }
            }
        }
        System.out.printf("LstmGatesTest at %s: worst c' %.2f ulp, h %.2f ulp, training's activations %.2f ulp%n",
                SimdConstants.describe(), worstC, worstH, worstGate);
    }

    @Test
    void nanPropagatesAndInfinitiesSaturate() {
        int n = 2 * SimdConstants.LANES;
        float[] z = new float[4 * n];
        float[] c = new float[n];
        z[0] = Float.NaN; // i of unit 0
        c[1] = Float.NaN; // c of unit 1
        for (int b = 0; b < 4; b++) {
            z[b * n + 2] = Float.POSITIVE_INFINITY; // unit 2: every gate +∞
            z[b * n + 3] = Float.NEGATIVE_INFINITY; // unit 3: every gate −∞
        }
        c[2] = 1f;
        c[3] = 1f;
        float[] h = new float[n];
        LstmGates.step(z, 0, c, 0, h, 0, new float[n], 0, n, new float[n], null, 0, null, 0);
        assertThat(c[0]).as("NaN in z").isNaN();
        assertThat(h[0]).as("NaN in z").isNaN();
        assertThat(c[1]).as("NaN in c").isNaN();
        assertThat(h[1]).as("NaN in c").isNaN();
        assertThat(c[2]).as("c' with every gate at +inf: 1·1 + 1·1").isEqualTo(2f);
        assertThat(h[2]).as("h = tanh(2)").isCloseTo((float) Math.tanh(2), org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(c[3]).as("c' with every gate at -inf: about 0").isBetween(-1e-30f, 1e-30f);
        assertThat(h[3]).as("h with every gate at -inf: about 0").isBetween(-1e-30f, 1e-30f);
        assertThat(c[4]).as("all zero: c' = 0.5·0 + 0.5·0").isEqualTo(0f);
        assertThat(h[4]).as("all zero").isEqualTo(0f);
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
