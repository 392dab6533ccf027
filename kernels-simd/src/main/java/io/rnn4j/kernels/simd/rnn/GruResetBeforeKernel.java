package io.rnn4j.kernels.simd.rnn;

import static io.rnn4j.kernels.simd.rnn.Lanes.L;
import static io.rnn4j.kernels.simd.rnn.Lanes.S;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.kernels.simd.math.Activations;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * GRU with reset_after=False (Keras ≤ 2.2's GRU), one bias: {@code z, r = σr(x·W_zr + hd·U_zr + b)},
 * {@code n = σ(x·W_h + b_h + (r·hd)·U_h)}, {@code h' = z·h + (1 − z)·n}.
 *
 * <p>The reset gate comes before the h block's product, so each step has two dependent products:
 * {@code hd·U_zr} (accumulated into the projection's z, r blocks), then {@code (r·hd)·U_h}
 * (into its h block); backward runs them in reverse through U_hᵀ and U_zrᵀ.
 */
final class GruResetBeforeKernel extends CellKernel {
    private final UnaryOp act;
    private final UnaryOp rec;

    GruResetBeforeKernel(RnnCall q) {
        super(q);
        this.act = q.spec.activation();
        this.rec = q.spec.recurrentActivation();
    }

    @Override
    void forward(int r0, int r1) {
        int nb = r1 - r0;
        float[] scratch = Activations.scratch();
        int n = units;
        boolean train = q.training();
        float[] h = new float[nb * n];
        float[] hd = q.drop == null ? null : new float[nb * n];
        boolean[] started = new boolean[nb];
        initial(q.h0, q.h0Off, r0, r1, h);
        float[] g = train ? q.ws : ThreadBuffers.projection(nb * steps * width);
        int gBase = train ? gatesRow(r0, 0) : 0;
        project(r0, r1, g, gBase);
        // r·hd: kept in the workspace for dU_h when training, else one row per batch row.
        float[] rhd = train ? q.ws : new float[nb * n];
        Product uzr = forwardProduct(0, 2 * n);
        Product uh = forwardProduct(2 * n, n);
        for (int s = 0; s < steps; s++) {
            int t = q.time(s);
            float[] a = recurrentInput(r0, r1, t, h, hd);
            if (anyUsed(r0, r1, t)) {
                uzr.multiply(nb, a, 0, n, g, gBase + t * width, steps * width, true);
            }
            int rhdBase = train ? q.wsRow(lay.extra, r0, t, n) : 0;
            int rhdStride = train ? steps * n : n;
            for (int b = r0; b < r1; b++) {
                int row = b - r0;
                int go = gBase + (row * steps + t) * width;
                int ro = rhdBase + row * rhdStride;
                if (!q.used(b, t)) {
                    Arrays.fill(rhd, ro, ro + n, 0f); // finite, and unused: this row's gradients are 0
                    continue;
                }
                int po = preRow(b, t);
                if (po >= 0) {
                    System.arraycopy(g, go, q.ws, po, 2 * n);
                }
                Activations.apply(rec, g, go, g, go, 2 * n, scratch);
                Lanes.mul(g, go + n, a, row * n, rhd, ro, n);
            }
            if (anyUsed(r0, r1, t)) {
                uh.multiply(nb, rhd, rhdBase, rhdStride, g, gBase + t * width + 2 * n, steps * width, true);
            }
            for (int b = r0; b < r1; b++) {
                int row = b - r0;
                int ho = row * n;
                if (!q.used(b, t)) {
                    maskedOutput(b, s, started[row], h, ho);
                    continue;
                }
                int go = gBase + (row * steps + t) * width;
                int po = preRow(b, t);
                if (po >= 0) {
                    System.arraycopy(g, go + 2 * n, q.ws, po + 2 * n, n);
                }
                Activations.apply(act, g, go + 2 * n, g, go + 2 * n, n, scratch);
                GruKernel.interpolate(g, go, h, ho, q.out, outRow(b, s), n);
                started[row] = true;
            }
        }
        last(h, r0, r1, q.lastH, q.lastHOff);
    }

    @Override
    void backward(int r0, int r1) {
        int nb = r1 - r0;
        float[] scratch = Activations.scratch();
        int n = units;
        float[] ws = q.ws;
        float[] dh = new float[nb * n];
        float[] carry = new float[nb * n];
        float[] dRhd = new float[nb * n];
        float[] dhd = new float[nb * n];
        initialGradient(q.dLastH, q.dLastHOff, r0, r1, dh);
        Product uhT = backwardProduct(2 * n, n);
        Product uzrT = backwardProduct(0, 2 * n);
        int dBase = dGatesRow(r0, 0);
        for (int s = steps - 1; s >= 0; s--) {
            int t = q.time(s);
            for (int b = r0; b < r1; b++) {
                int ho = (b - r0) * n;
                int dgo = dGatesRow(b, t);
                if (!collectOutputGradient(b, s, t, carry, dh, ho)) {
                    Arrays.fill(ws, dgo, dgo + width, 0f);
                    continue;
                }
                int go = gatesRow(b, t);
                GruKernel.interpolationGradients(ws, go, q.wsRow(lay.hPrev, b, t, n), dh, ho, ws, dgo, n);
                activationGradient(act, go + 2 * n, preRow(b, t) + 2 * n, ws, dgo + 2 * n, n, scratch);
            }
            // d(r·hd) = dn'·U_hᵀ
            if (anyUsed(r0, r1, t)) {
                uhT.multiply(nb, ws, dBase + t * width + 2 * n, steps * width, dRhd, 0, n, false);
            }
            for (int b = r0; b < r1; b++) {
                int ho = (b - r0) * n;
                if (!q.used(b, t)) {
                    Arrays.fill(dhd, ho, ho + n, 0f);
                    continue;
                }
                int go = gatesRow(b, t);
                int dgo = dGatesRow(b, t);
                resetGradients(b, ws, go, q.wsRow(lay.hPrev, b, t, n), dRhd, ho, dgo, dhd, n);
                activationGradient(rec, go, preRow(b, t), ws, dgo, 2 * n, scratch);
            }
            // dhd += [dz', dr']·U_zrᵀ
            if (anyUsed(r0, r1, t)) {
                uzrT.multiply(nb, ws, dBase + t * width, steps * width, dhd, 0, n, true);
            }
            for (int b = r0; b < r1; b++) {
                if (q.used(b, t)) {
                    addThroughDropout(b, dhd, (b - r0) * n, dh, (b - r0) * n);
                }
            }
        }
        last(dh, r0, r1, q.dh0, q.dh0Off);
    }

    /**
     * From d(r·hd): dr = d(r·hd)·hd into the r block of the dGates row, and dhd = d(r·hd)·r, with
     * hd = h_prev·drop.
     */
    private void resetGradients(int b, float[] w, int go, int hpo, float[] dRhd, int ho, int dgo, float[] dhd,
            int n) {
        float[] drop = q.drop;
        int dOff = q.dropOff + b * n;
        int j = 0;
        int bound = S.loopBound(n);
        // Two loops rather than a conditional multiply: a vector assigned on a branch is boxed.
        if (drop == null) {
            for (; j < bound; j += L) {
                FloatVector d = FloatVector.fromArray(S, dRhd, ho + j);
                d.mul(FloatVector.fromArray(S, w, hpo + j)).intoArray(w, dgo + n + j);
                d.mul(FloatVector.fromArray(S, w, go + n + j)).intoArray(dhd, ho + j);
            }
        } else {
            for (; j < bound; j += L) {
                FloatVector d = FloatVector.fromArray(S, dRhd, ho + j);
                FloatVector hdv = FloatVector.fromArray(S, w, hpo + j).mul(FloatVector.fromArray(S, drop, dOff + j));
                d.mul(hdv).intoArray(w, dgo + n + j);
                d.mul(FloatVector.fromArray(S, w, go + n + j)).intoArray(dhd, ho + j);
            }
        }
        for (; j < n; j++) {
            float hdv = drop == null ? w[hpo + j] : w[hpo + j] * drop[dOff + j];
            w[dgo + n + j] = dRhd[ho + j] * hdv;
            dhd[ho + j] = dRhd[ho + j] * w[go + n + j];
        }
    }
}
