package io.rnn4j.kernels.simd.rnn;

import static io.rnn4j.kernels.simd.platform.SimdConstants.fma;
import static io.rnn4j.kernels.simd.rnn.Lanes.FMA;
import static io.rnn4j.kernels.simd.rnn.Lanes.L;
import static io.rnn4j.kernels.simd.rnn.Lanes.S;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.kernels.simd.math.Activations;
import io.rnn4j.kernels.simd.rnn.BlockBuffers.Use;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * GRU with reset_after (Keras's default, cuDNN's form), gate blocks z, r, h; bias rows b0 (input)
 * and b1 (recurrent): {@code [xz, xr, xh] = x·W + b0}, {@code [rz, rr, rh] = hd·U + b1},
 * {@code z = σr(xz + rz)}, {@code r = σr(xr + rr)}, {@code n = σ(xh + r·rh)},
 * {@code h' = z·h + (1 − z)·n} (h itself, not hd, as Keras).
 *
 * <p>With the default activations and a bias, {@link GruGates} takes the whole pointwise part in
 * one fused pass. The recurrent product goes to its own rows (the h block must stay apart from the
 * input's to be scaled by r); backward sends {@code [dz, dr, r·dn]} back through Uᵀ in one product.
 */
final class GruKernel extends CellKernel {
    private final Product u = new Product();
    private UnaryOp act;
    private UnaryOp rec;

    GruKernel(RnnCall q) {
        super(q);
    }

    @Override
    void bindOptions() {
        act = q.spec.activation();
        rec = q.spec.recurrentActivation();
    }

    @Override
    void prepareProducts(boolean backward) {
        if (backward) {
            backwardProduct(u, 0, width);
        } else {
            forwardProduct(u, 0, width);
        }
    }

    @Override
    void clearProducts() {
        u.clear();
    }

    @Override
    void forward(BlockBuffers buf, int r0, int r1) {
        int nb = r1 - r0;
        float[] scratch = buf.scratch;
        int n = units;
        boolean train = q.training();
        float[] h = buf.zeroed(Use.H, nb * n);
        float[] hd = q.drop == null ? null : buf.zeroed(Use.HD, nb * n);
        float[] recur = buf.zeroed(Use.RECUR, nb * width);
        boolean[] started = buf.started(nb);
        initial(q.h0, q.h0Off, r0, r1, h);
        float[] g = train ? q.ws : buf.stale(Use.PROJECTION, nb * steps * width);
        int gBase = train ? gatesRow(r0, 0) : 0;
        project(r0, r1, g, gBase);
        // Row 1 of the (2, 3H) bias; without bias the recurrent side adds nothing.
        float[] b1 = q.bias;
        int b1o = q.biasOff + width;
        // The default cell adds b1 in its fused pass; the generic one starts recur from it.
        boolean fused = GruGates.applies(act, rec, b1 != null);
        boolean fromBias = b1 != null && !fused;
        for (int s = 0; s < steps; s++) {
            int t = q.time(s);
            float[] a = recurrentInput(r0, r1, t, h, hd);
            if (anyUsed(r0, r1, t)) {
                // Generic: recur = hd·U + b1, the product added to the bias (Keras's recurrent
                // side), so neither gate pass below needs a bias pass of its own.
                if (fromBias) {
                    for (int row = 0; row < nb; row++) {
                        System.arraycopy(b1, b1o, recur, row * width, width);
                    }
                }
                u.multiply(nb, a, 0, n, recur, 0, width, fromBias);
            }
            for (int b = r0; b < r1; b++) {
                int row = b - r0;
                int ho = row * n;
                int go = gBase + (row * steps + t) * width;
                int ro = row * width;
                if (!q.used(b, t)) {
                    maskedOutput(b, s, started[row], h, ho);
                    continue;
                }
                int po = preRow(b, t);
                if (fused) {
                    GruGates.step(g, go, recur, ro, b1, b1o, n, h, ho, h, ho, q.out, outRow(b, s), n,
                            po >= 0 ? q.ws : null, po, train ? q.ws : null, train ? q.wsRow(lay.extra, b, t, n) : 0);
                    started[row] = true;
                    continue;
                }
                Lanes.addTo(g, go, recur, ro, 2 * n); // (x·W + b0) + (hd·U + b1), as Keras
                if (po >= 0) {
                    System.arraycopy(g, go, q.ws, po, 2 * n);
                }
                Activations.apply(rec, g, go, g, go, 2 * n, scratch);
                // rh = hd·U_h + b1_h: recur's h block itself, kept in the workspace for backward.
                float[] rh = train ? q.ws : recur;
                int rho = train ? q.wsRow(lay.extra, b, t, n) : ro + 2 * n;
                if (train) {
                    System.arraycopy(recur, ro + 2 * n, rh, rho, n);
                }
                candidate(g, go, rh, rho, n);
                if (po >= 0) {
                    System.arraycopy(g, go + 2 * n, q.ws, po + 2 * n, n);
                }
                Activations.apply(act, g, go + 2 * n, g, go + 2 * n, n, scratch);
                interpolate(g, go, h, ho, q.out, outRow(b, s), n);
                started[row] = true;
            }
        }
        last(h, r0, r1, q.lastH, q.lastHOff);
    }

    /** The candidate's pre-activation {@code xh + r·rh}, in place over the h block. */
    static void candidate(float[] g, int go, float[] rh, int rho, int n) {
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += L) {
            FloatVector r = FloatVector.fromArray(S, g, go + n + j);
            FloatVector xh = FloatVector.fromArray(S, g, go + 2 * n + j);
            FloatVector rhv = FloatVector.fromArray(S, rh, rho + j);
            (FMA ? r.fma(rhv, xh) : r.mul(rhv).add(xh)).intoArray(g, go + 2 * n + j);
        }
        for (; j < n; j++) {
            g[go + 2 * n + j] = fma(g[go + n + j], rh[rho + j], g[go + 2 * n + j]);
        }
    }

    /** {@code h = n + z·(h − n)}, in place over the state and into the output row. */
    static void interpolate(float[] g, int go, float[] h, int ho, float[] out, int outOff, int n) {
        interpolate(g, go, h, ho, h, ho, out, outOff, n);
    }

    /** {@code h' = n + z·(h − n)} from h at {@code hpo} into h' at {@code hno} and the output row. */
    static void interpolate(float[] g, int go, float[] hp, int hpo, float[] hn, int hno, float[] out, int outOff,
            int n) {
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += L) {
            FloatVector z = FloatVector.fromArray(S, g, go + j);
            FloatVector nn = FloatVector.fromArray(S, g, go + 2 * n + j);
            FloatVector d = FloatVector.fromArray(S, hp, hpo + j).sub(nn);
            FloatVector v = FMA ? z.fma(d, nn) : z.mul(d).add(nn);
            v.intoArray(hn, hno + j);
            v.intoArray(out, outOff + j);
        }
        for (; j < n; j++) {
            float nn = g[go + 2 * n + j];
            float v = fma(g[go + j], hp[hpo + j] - nn, nn);
            hn[hno + j] = v;
            out[outOff + j] = v;
        }
    }

    @Override
    void backward(BlockBuffers buf, int r0, int r1) {
        int nb = r1 - r0;
        float[] scratch = buf.scratch;
        int n = units;
        float[] ws = q.ws;
        float[] dh = buf.zeroed(Use.DH, nb * n);
        float[] carry = buf.zeroed(Use.CARRY, nb * n);
        float[] dhRec = buf.zeroed(Use.DH_REC, nb * n);
        float[] dRecur = buf.zeroed(Use.D_RECUR, nb * width);
        initialGradient(q.dLastH, q.dLastHOff, r0, r1, dh);
        Product ut = u;
        for (int s = steps - 1; s >= 0; s--) {
            int t = q.time(s);
            for (int b = r0; b < r1; b++) {
                int row = b - r0;
                int ho = row * n;
                int dgo = dGatesRow(b, t);
                int dro = q.wsRow(lay.dRecH, b, t, n);
                int rr = row * width;
                if (!collectOutputGradient(b, s, t, carry, dh, ho)) {
                    Arrays.fill(ws, dgo, dgo + width, 0f);
                    Arrays.fill(ws, dro, dro + n, 0f);
                    Arrays.fill(dRecur, rr, rr + width, 0f);
                    continue;
                }
                int go = gatesRow(b, t);
                int po = preRow(b, t);
                interpolationGradients(ws, go, q.wsRow(lay.hPrev, b, t, n), dh, ho, ws, dgo, n);
                activationGradient(act, go + 2 * n, po + 2 * n, ws, dgo + 2 * n, n, scratch);
                resetGradients(ws, go, q.wsRow(lay.extra, b, t, n), dgo, dro, n);
                activationGradient(rec, go, po, ws, dgo, 2 * n, scratch);
                System.arraycopy(ws, dgo, dRecur, rr, 2 * n);
                System.arraycopy(ws, dro, dRecur, rr + 2 * n, n);
            }
            if (anyUsed(r0, r1, t)) {
                ut.multiply(nb, dRecur, 0, width, dhRec, 0, n, false);
            }
            for (int b = r0; b < r1; b++) {
                if (q.used(b, t)) {
                    addThroughDropout(b, dhRec, (b - r0) * n, dh, (b - r0) * n);
                }
            }
        }
        last(dh, r0, r1, q.dh0, q.dh0Off);
    }

    /**
     * Through {@code h' = z·h + (1 − z)·n}: dz = dh·(h − n) and dn = dh·(1 − z) into the z and h
     * blocks of the dGates row, and dh = dh·z (the direct path to the previous h).
     */
    static void interpolationGradients(float[] g, int go, int hpo, float[] dh, int ho, float[] d, int dgo, int n) {
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += L) {
            FloatVector z = FloatVector.fromArray(S, g, go + j);
            FloatVector nn = FloatVector.fromArray(S, g, go + 2 * n + j);
            FloatVector hp = FloatVector.fromArray(S, g, hpo + j);
            FloatVector dhv = FloatVector.fromArray(S, dh, ho + j);
            dhv.mul(hp.sub(nn)).intoArray(d, dgo + j);
            dhv.mul(z.neg().add(1f)).intoArray(d, dgo + 2 * n + j);
            dhv.mul(z).intoArray(dh, ho + j);
        }
        for (; j < n; j++) {
            float z = g[go + j];
            float dhv = dh[ho + j];
            d[dgo + j] = dhv * (g[hpo + j] - g[go + 2 * n + j]);
            d[dgo + 2 * n + j] = dhv * (1f - z);
            dh[ho + j] = dhv * z;
        }
    }

    /** From dn' (the h block, after act'): dr = dn'·rh into the r block, and r·dn' into dRecH. */
    private static void resetGradients(float[] w, int go, int rho, int dgo, int dro, int n) {
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += L) {
            FloatVector dn = FloatVector.fromArray(S, w, dgo + 2 * n + j);
            dn.mul(FloatVector.fromArray(S, w, rho + j)).intoArray(w, dgo + n + j);
            dn.mul(FloatVector.fromArray(S, w, go + n + j)).intoArray(w, dro + j);
        }
        for (; j < n; j++) {
            float dn = w[dgo + 2 * n + j];
            w[dgo + n + j] = dn * w[rho + j];
            w[dro + j] = dn * w[go + n + j];
        }
    }
}
