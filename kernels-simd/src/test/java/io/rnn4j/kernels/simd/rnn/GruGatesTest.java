package io.rnn4j.kernels.simd.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.rnn4j.kernels.simd.platform.SimdConstants;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fused GRU pass against float64 (σ, tanh and the interpolation computed exactly from the
 * float inputs and the kernel's own candidate sum, then rounded once): h' within
 * {@link GruGates#H_ULPS} ulp of max(|n|, |z·(h − n)|), training's kept z, r, n within
 * {@link GruGates#GATE_ULPS} ulp, h' the same bits with and without them, and the kept
 * pre-activations and rh exactly the sums in Keras's order; rows of 1, a vector ± 1, several
 * vectors with a tail and 256 units, with the recurrent bias laid out at a stride as the split
 * batch-1 mode reads it; and the special values.
 */
class GruGatesTest {
    private static final long SEED = 0x9a7e_5eedL;

    @Test
    void matchesFloat64WithinTheDocumentedUlps() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        int l = SimdConstants.LANES;
        double worstH = 0;
        double worstGate = 0;
        for (int n : new int[] {1, l - 1, l, l + 1, 3 * l + 5, 256}) {
            int stride = n + 3; // b1's blocks apart, as in a wider layer's bias row
            for (int rep = 0; rep < 400; rep++) {
                float[] g = new float[3 * n];
                float[] recur = new float[3 * n];
                float[] b1 = new float[3 * stride];
                float[] h = new float[n];
                for (int j = 0; j < 3 * n; j++) {
                    // Mostly where the gates are neither 0 nor 1, some far out on both sides.
                    g[j] = (float) (rnd.nextInt(8) == 0 ? rnd.nextDouble(-40, 40) : rnd.nextDouble(-8, 8));
                    recur[j] = (float) rnd.nextDouble(-4, 4);
                }
                for (int j = 0; j < b1.length; j++) {
                    b1[j] = (float) rnd.nextDouble(-0.5, 0.5);
                }
                for (int j = 0; j < n; j++) {
                    h[j] = (float) rnd.nextDouble(-1, 1);
                }
                float[] gi = g.clone();
                float[] hn = new float[n];
                float[] out = new float[n];
                GruGates.step(g, 0, recur, 0, b1, 0, stride, h, 0, hn, 0, out, 0, n, null, 0, null, 0);
                // Training on a copy, offset in its arrays: the same h', and what backward reads.
                float[] gt = new float[3 * n + 5];
                System.arraycopy(gi, 0, gt, 5, 3 * n);
                float[] pre = new float[3 * n + 2];
                float[] rh = new float[n + 1];
                float[] ht = h.clone();
                GruGates.step(gt, 5, recur, 0, b1, 0, stride, ht, 0, ht, 0, new float[n], 0, n, pre, 2, rh, 1);
                for (int j = 0; j < n; j++) {
                    String what = "seed " + SEED + " n=" + n + " j=" + j + " x=(" + gi[j] + ", " + gi[n + j] + ", "
                            + gi[2 * n + j] + ") recur=(" + recur[j] + ", " + recur[n + j] + ", " + recur[2 * n + j]
                            + ") h=" + h[j];
                    assertThat(ht[j]).as(what + ": h' with and without the training outputs").isEqualTo(hn[j]);
                    assertThat(out[j]).as(what + ": out is h'").isEqualTo(hn[j]);
                    float sz = gi[j] + (recur[j] + b1[j]);
                    float sr = gi[n + j] + (recur[n + j] + b1[stride + j]);
                    float rhj = recur[2 * n + j] + b1[2 * stride + j];
                    assertThat(new float[] {pre[2 + j], pre[2 + n + j], rh[1 + j]})
                            .as(what + ": kept sums, (x·W + b0) + (h·U + b1)").containsExactly(sz, sr, rhj);
                    double z = sigmoid(sz);
                    double r = sigmoid(sr);
                    // From the kernel's own candidate sum xh + r·rh: its roundings (and r's) are the
                    // generic path's operations, checked with the kept gates below.
                    double nn = Math.tanh(pre[2 + 2 * n + j]);
                    double exact = nn + z * (h[j] - nn);
                    // On the scale of the terms summed, as Keras's own z·h + (1 − z)·n: z's rounding alone moves
                    // h' by |h − n|·ulp(z), far more than an ulp of a small h' where they cancel.
                    double scale = Math.ulp((float) Math.max(Math.abs(nn), Math.abs(z * (h[j] - nn))));
                    double hErr = Math.abs(hn[j] - exact) / scale;
                    worstH = Math.max(worstH, hErr);
                    if (!(hErr <= GruGates.H_ULPS)) {
                        fail("%s: h' = %s, exact %s (%.2f ulp)", what, hn[j], exact, hErr);
                    }
                    double[] exactGates = {z, r, Math.tanh(pre[2 + 2 * n + j])};
                    for (int b = 0; b < 3; b++) {
                        double e = Math.abs(gt[5 + b * n + j] - exactGates[b])
                                / Math.ulp((float) Math.abs(exactGates[b]));
                        worstGate = Math.max(worstGate, e);
                        if (!(e <= GruGates.GATE_ULPS)) {
                            fail("%s: gate %d = %s, exact %s (%.2f ulp)", what, b, gt[5 + b * n + j], exactGates[b], e);
                        }
                    }
                }
            }
        }
        System.out.printf("GruGatesTest at %s: worst h' %.2f ulp, training's activations %.2f ulp%n",
                SimdConstants.describe(), worstH, worstGate);
    }

    @Test
    void nanPropagatesAndInfinitiesSaturate() {
        int n = 2 * SimdConstants.LANES;
        float[] g = new float[3 * n];
        float[] recur = new float[3 * n];
        float[] b1 = new float[3 * n];
        float[] h = new float[n];
        g[0] = Float.NaN; // z of unit 0
        h[1] = Float.NaN; // h of unit 1
        for (int b = 0; b < 3; b++) {
            g[b * n + 2] = Float.POSITIVE_INFINITY; // unit 2: every pre-activation +∞
            g[b * n + 3] = Float.NEGATIVE_INFINITY; // unit 3: every pre-activation −∞
        }
        recur[2 * n + 2] = 1f;
        recur[2 * n + 3] = 1f;
        h[2] = 0.25f;
        h[3] = 0.25f;
        float[] out = new float[n];
        GruGates.step(g, 0, recur, 0, b1, 0, n, h, 0, h, 0, out, 0, n, null, 0, null, 0);
        assertThat(h[0]).as("NaN in z").isNaN();
        assertThat(h[1]).as("NaN in h").isNaN();
        assertThat(h[2]).as("every gate at +inf: z = 1 keeps h").isEqualTo(0.25f);
        assertThat(h[3]).as("every gate at -inf: z = 0, n = tanh(-inf) = -1").isCloseTo(-1f,
                org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(h[4]).as("all zero: z = 0.5, n = 0, h = 0").isEqualTo(0f);
        assertThat(out).as("out is h'").containsExactly(h);
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
