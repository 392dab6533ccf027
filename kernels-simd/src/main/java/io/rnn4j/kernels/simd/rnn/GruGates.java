package io.rnn4j.kernels.simd.rnn;

import static io.rnn4j.kernels.simd.platform.SimdConstants.fma;
import static io.rnn4j.kernels.simd.rnn.Lanes.FMA;
import static io.rnn4j.kernels.simd.rnn.Lanes.L;
import static io.rnn4j.kernels.simd.rnn.Lanes.S;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.engine.scalar.ScalarMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The GRU step's pointwise part (reset_after, Keras's default activations, with bias) with the
 * recurrent bias added in its passes rather than copied in first, and two divisions per unit
 * instead of three: r = σ(sr) is divided out
 * (it scales the recurrent candidate inside tanh), while z and n stay {@link GateFractions} and
 * {@code h' = n + z·(h − n) = (N<sub>n</sub>·D<sub>z</sub> + N<sub>z</sub>·(h·D<sub>n</sub> −
 * N<sub>n</sub>)) / (D<sub>z</sub>·D<sub>n</sub>)} is divided once. The step's product writes
 * h·U alone, and the sums keep Keras's order, {@code (x·W + b0) + (h·U + b1)}. At batch 1 the
 * step is bound by streaming U (G1: 1.1 µs of 1.6); in JVM runs alternating with the generic path's,
 * this pass took G1 from 160–175 to 155–157 µs and G2 from 615–634 to 609–628 µs (medians, one
 * thread, this project's AVX-512 machine, whose speed drifts by 10 % from minute to minute).
 *
 * <p>Training takes the same pass (h' is the same bits either way) and also keeps what backward
 * reads: the pre-activations, rh = h·U<sub>h</sub> + b1<sub>h</sub>, and z, r, n divided out of
 * the same fractions into the gates row.
 *
 * <p>Accuracy against float64 ({@code GruGatesTest}: 400 rows each of 1 to 256 units, pre-activations
 * mostly in [−8, 8] and one in eight in [−40, 40], h in [−1, 1]), in ulp of max(|n|, |z·(h − n)|),
 * the terms h' sums (n taken from the candidate sum as rounded, which is the generic path's sum):
 * h' within 4.21 ulp at 512 bits with FMA, 4.13–4.25 at 128 and 256 bits and without FMA; the kept
 * z, r, n within 2.49 ulp. The test holds them to {@value #H_ULPS} and {@value #GATE_ULPS}. (The
 * generic path rounds each activation first, σ within 2.41 ulp and tanh 2.50, and its h' errs on
 * the same scale.) NaN gives NaN; ±∞ saturate (σ(−∞) gives e<sup>−87</sup> rather than 0).
 * Elements that do not fill a vector take the activations one by one ({@link ScalarMath}) as the
 * generic path does.
 */
final class GruGates {
    /** The bounds of the class comment, as the test checks them. */
    static final int H_ULPS = 8;
    static final int GATE_ULPS = 4;

    private GruGates() {
    }

    /** Whether this pass computes the cell: sigmoid gates, tanh, and a recurrent bias to add. */
    static boolean applies(UnaryOp activation, UnaryOp recurrentActivation, boolean bias) {
        return activation == UnaryOp.TANH && recurrentActivation == UnaryOp.SIGMOID && bias;
    }

    /**
     * One row of n units. {@code g} at {@code go} holds the input side {@code [xz, xr, xh] = x·W +
     * b0} and is consumed; {@code recur} at {@code ro} holds {@code h·U} (blocks of n, no bias);
     * {@code b1}'s block k starts at {@code b1o + k·b1Stride}; h' is made from {@code hp} at
     * {@code hpo} into {@code hn} at {@code hno} (may be the same place) and {@code out} at
     * {@code oo}. In training ({@code rh} not null) rh goes to {@code rh} at {@code rho}, the
     * pre-activations to {@code pre} at {@code po} when {@code pre} is not null, and z, r, n
     * replace the input side in {@code g}.
     */
    static void step(float[] g, int go, float[] recur, int ro, float[] b1, int b1o, int b1Stride, float[] hp,
            int hpo, float[] hn, int hno, float[] out, int oo, int n, float[] pre, int po, float[] rh, int rho) {
        int v = S.loopBound(n);
        sums(g, go, recur, ro, b1, b1o, pre, po, v);
        sums(g, go + n, recur, ro + n, b1, b1o + b1Stride, pre, po + n, v);
        if (v == n) {
            GateFractions.sigmoidParts(g, go, 2 * n);
        } else {
            GateFractions.sigmoidParts(g, go, v);
            GateFractions.sigmoidParts(g, go + n, v);
        }
        candidate(g, go, n, recur, ro + 2 * n, b1, b1o + 2 * b1Stride, pre, po + 2 * n, rh, rho, v);
        GateFractions.tanhParts(g, go + 2 * n, g, go + 2 * n, v);
        update(g, go, n, hp, hpo, hn, hno, out, oo, v);
        if (rh != null) {
            GateFractions.sigmoidOf(g, go, g, go, v);
            GateFractions.sigmoidOf(g, go + n, g, go + n, v);
            GateFractions.tanhOf(g, go + 2 * n, g, go + 2 * n, v);
        }
        for (int j = v; j < n; j++) {
            float sz = g[go + j] + (recur[ro + j] + b1[b1o + j]);
            float sr = g[go + n + j] + (recur[ro + n + j] + b1[b1o + b1Stride + j]);
            float z = ScalarMath.apply(UnaryOp.SIGMOID, sz);
            float r = ScalarMath.apply(UnaryOp.SIGMOID, sr);
            float rhj = recur[ro + 2 * n + j] + b1[b1o + 2 * b1Stride + j];
            float sh = fma(r, rhj, g[go + 2 * n + j]);
            float nn = ScalarMath.apply(UnaryOp.TANH, sh);
            float hv = fma(z, hp[hpo + j] - nn, nn);
            hn[hno + j] = hv;
            out[oo + j] = hv;
            if (pre != null) {
                pre[po + j] = sz;
                pre[po + n + j] = sr;
                pre[po + 2 * n + j] = sh;
            }
            if (rh != null) {
                rh[rho + j] = rhj;
                g[go + j] = z;
                g[go + n + j] = r;
                g[go + 2 * n + j] = nn;
            }
        }
    }

    /** {@code g = g + (recur + b1)} over v floats, copied to {@code pre} when it is not null. */
    private static void sums(float[] g, int go, float[] recur, int ro, float[] b1, int bo, float[] pre, int po,
            int v) {
        for (int j = 0; j < v; j += L) {
            FloatVector rb = FloatVector.fromArray(S, recur, ro + j).add(FloatVector.fromArray(S, b1, bo + j));
            FloatVector s = FloatVector.fromArray(S, g, go + j).add(rb);
            s.intoArray(g, go + j);
            if (pre != null) {
                s.intoArray(pre, po + j);
            }
        }
    }

    /**
     * The candidate's pre-activation {@code xh + r·rh} over the h block, with r divided out of its
     * fraction (r's signed E in the r block) and {@code rh = recur_h + b1_h}.
     */
    private static void candidate(float[] g, int go, int n, float[] recur, int ro, float[] b1, int bo, float[] pre,
            int po, float[] rh, int rho, int v) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int j = 0; j < v; j += L) {
            FloatVector sr = FloatVector.fromArray(S, g, go + n + j);
            FloatVector er = sr.abs();
            FloatVector r = er.blend(one, sr.compare(VectorOperators.GE, 0f)).div(er.add(one));
            FloatVector rhv = FloatVector.fromArray(S, recur, ro + j).add(FloatVector.fromArray(S, b1, bo + j));
            FloatVector xh = FloatVector.fromArray(S, g, go + 2 * n + j);
            FloatVector sh = FMA ? r.fma(rhv, xh) : r.mul(rhv).add(xh);
            sh.intoArray(g, go + 2 * n + j);
            if (pre != null) {
                sh.intoArray(pre, po + j);
            }
            if (rh != null) {
                rhv.intoArray(rh, rho + j);
            }
        }
    }

    /** {@code h' = (N_n·D_z + N_z·(h·D_n − N_n)) / (D_z·D_n)} into hn and out, over v floats. */
    private static void update(float[] g, int go, int n, float[] hp, int hpo, float[] hn, int hno, float[] out,
            int oo, int v) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector two = FloatVector.broadcast(S, 2f);
        for (int j = 0; j < v; j += L) {
            FloatVector sz = FloatVector.fromArray(S, g, go + j);
            FloatVector nn = FloatVector.fromArray(S, g, go + 2 * n + j);
            FloatVector h = FloatVector.fromArray(S, hp, hpo + j);
            FloatVector ez = sz.abs();
            FloatVector nz = ez.blend(one, sz.compare(VectorOperators.GE, 0f));
            FloatVector dz = ez.add(one);
            FloatVector dn = two.sub(nn.abs());
            // h·D_n − N_n: one rounding with FMA, so h near n keeps its difference.
            FloatVector d = FMA ? h.fma(dn, nn.neg()) : h.mul(dn).sub(nn);
            FloatVector num = FMA ? nz.fma(d, nn.mul(dz)) : nz.mul(d).add(nn.mul(dz));
            FloatVector hv = num.div(dz.mul(dn));
            hv.intoArray(hn, hno + j);
            hv.intoArray(out, oo + j);
        }
    }
}
