package io.rnn4j.kernels.simd.rnn;

import static io.rnn4j.kernels.simd.platform.SimdConstants.fma;
import static io.rnn4j.kernels.simd.rnn.Lanes.FMA;
import static io.rnn4j.kernels.simd.rnn.Lanes.L;
import static io.rnn4j.kernels.simd.rnn.Lanes.S;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.kernels.simd.math.Activations;
import io.rnn4j.kernels.simd.rnn.BlockBuffers.Use;
import jdk.incubator.vector.FloatVector;

/**
 * LSTM, gate blocks i, f, c, o (Keras): {@code z = x·W + hd·U + b}, {@code c' = f·c + i·g},
 * {@code h' = o·act(c')} with i, f, o = recurrent_activation and g = activation of their blocks.
 *
 * <p>Forward per step: the pre-activations of the block's rows, {@code [x hd]·[W; U] + b} in one
 * product (a small batch: {@code hd·U} added to the step's rows of the input projection made
 * first), the activations over them, then one pass updates c and writes h into the state and the
 * output; with the default activations, {@link LstmGates} does all of that in one fused pass.
 * Backward per step: one pass for dL/dc and the four gate gradients, the activation
 * derivatives in place, then {@code dz·Uᵀ} for dh.
 */
final class LstmKernel extends CellKernel {
    private final Product u = new Product();
    private UnaryOp act;
    private UnaryOp rec;

    LstmKernel(RnnCall q) {
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
        } else if (stacked == null) {
            forwardProduct(u, 0, width);
        }
    }

    @Override
    void clearProducts() {
        u.clear();
    }

    @Override
    boolean stacks() {
        return true;
    }

    @Override
    void forward(BlockBuffers buf, int r0, int r1) {
        int nb = r1 - r0;
        float[] scratch = buf.scratch;
        int n = units;
        boolean train = q.training();
        float[] h = buf.zeroed(Use.H, nb * n);
        float[] c = buf.zeroed(Use.C, nb * n);
        float[] hd = q.drop == null ? null : buf.zeroed(Use.HD, nb * n);
        float[] acScratch = buf.zeroed(Use.ROW, n);
        boolean[] started = buf.started(nb);
        initial(q.h0, q.h0Off, r0, r1, h);
        initial(q.c0, q.c0Off, r0, r1, c);
        // z: the pre-activations. Stacked, each step's rows (G·H apart) are made afresh; else every
        // step's input projection is made first (rows b·T + t; in the workspace when training) and
        // each step adds hd·U to its rows.
        boolean fused = stacked != null;
        float[] z;
        int zBase = 0;
        if (fused) {
            z = buf.stale(Use.PROJECTION, nb * width);
        } else {
            z = train ? q.ws : buf.stale(Use.PROJECTION, nb * steps * width);
            zBase = train ? gatesRow(r0, 0) : 0;
            project(r0, r1, z, zBase);
        }
        int zStride = fused ? width : steps * width;
        // The default activations take the pointwise part in one pass.
        boolean fastGates = LstmGates.applies(act, rec);
        for (int s = 0; s < steps; s++) {
            int t = q.time(s);
            float[] a = recurrentInput(r0, r1, t, h, hd);
            int zAt = fused ? 0 : zBase + t * width;
            if (anyUsed(r0, r1, t)) {
                if (fused) {
                    stackedStep(r0, r1, t, a, z);
                } else {
                    u.multiply(nb, a, 0, n, z, zAt, zStride, true);
                }
            }
            for (int b = r0; b < r1; b++) {
                int row = b - r0;
                int ho = row * n;
                int zo = zAt + row * zStride;
                if (!q.used(b, t)) {
                    maskedOutput(b, s, started[row], h, ho);
                    if (train) {
                        System.arraycopy(c, ho, q.ws, q.wsRow(lay.cNew, b, t, n), n); // the kept c
                    }
                    continue;
                }
                if (train && lay.pre != Workspace.ABSENT) {
                    System.arraycopy(z, zo, q.ws, q.wsRow(lay.pre, b, t, width), width);
                }
                if (fastGates) {
                    LstmGates.step(z, zo, c, ho, h, ho, q.out, outRow(b, s), n, acScratch, train ? q.ws : null,
                            train ? gatesRow(b, t) : 0, q.ws, train ? q.wsRow(lay.actC, b, t, n) : 0);
                    started[row] = true;
                    if (train) {
                        System.arraycopy(c, ho, q.ws, q.wsRow(lay.cNew, b, t, n), n);
                    }
                    continue;
                }
                // The gates: over z in inference; into the workspace's gates row when training.
                float[] g = train ? q.ws : z;
                int go = train ? gatesRow(b, t) : zo;
                Activations.apply(rec, z, zo, g, go, 2 * n, scratch);
                Activations.apply(act, z, zo + 2 * n, g, go + 2 * n, n, scratch);
                Activations.apply(rec, z, zo + 3 * n, g, go + 3 * n, n, scratch);
                updateCell(g, go, c, ho, n);
                float[] ac = train ? q.ws : acScratch;
                int aco = train ? q.wsRow(lay.actC, b, t, n) : 0;
                Activations.apply(act, c, ho, ac, aco, n, scratch);
                hidden(g, go + 3 * n, ac, aco, h, ho, q.out, outRow(b, s), n);
                started[row] = true;
                if (train) {
                    System.arraycopy(c, ho, q.ws, q.wsRow(lay.cNew, b, t, n), n);
                }
            }
        }
        last(h, r0, r1, q.lastH, q.lastHOff);
        last(c, r0, r1, q.lastC, q.lastCOff);
    }

    /** {@code c = f·c + i·g} (i, f, g the first three blocks at go). */
    static void updateCell(float[] g, int go, float[] c, int co, int n) {
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += L) {
            FloatVector i = FloatVector.fromArray(S, g, go + j);
            FloatVector f = FloatVector.fromArray(S, g, go + n + j);
            FloatVector gg = FloatVector.fromArray(S, g, go + 2 * n + j);
            FloatVector cv = FloatVector.fromArray(S, c, co + j);
            (FMA ? f.fma(cv, i.mul(gg)) : f.mul(cv).add(i.mul(gg))).intoArray(c, co + j);
        }
        for (; j < n; j++) {
            c[co + j] = fma(g[go + n + j], c[co + j], g[go + j] * g[go + 2 * n + j]);
        }
    }

    /** {@code h = o · act(c)}, into the state and the output row. */
    static void hidden(float[] g, int oo, float[] ac, int aco, float[] h, int ho, float[] out, int outOff,
            int n) {
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += L) {
            FloatVector v = FloatVector.fromArray(S, g, oo + j).mul(FloatVector.fromArray(S, ac, aco + j));
            v.intoArray(h, ho + j);
            v.intoArray(out, outOff + j);
        }
        for (; j < n; j++) {
            float v = g[oo + j] * ac[aco + j];
            h[ho + j] = v;
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
        float[] dc = buf.zeroed(Use.DC, nb * n);
        float[] carry = buf.zeroed(Use.CARRY, nb * n);
        float[] dhRec = buf.zeroed(Use.DH_REC, nb * n);
        float[] tmp = buf.zeroed(Use.TMP, n);
        float[] zeros = buf.zeroed(Use.ZEROS, n);
        initialGradient(q.dLastH, q.dLastHOff, r0, r1, dh);
        initialGradient(q.dLastC, q.dLastCOff, r0, r1, dc);
        Product ut = u;
        int dBase = dGatesRow(r0, 0);
        for (int s = steps - 1; s >= 0; s--) {
            int t = q.time(s);
            for (int b = r0; b < r1; b++) {
                int row = b - r0;
                int ho = row * n;
                int dgo = dGatesRow(b, t);
                if (!collectOutputGradient(b, s, t, carry, dh, ho)) {
                    java.util.Arrays.fill(ws, dgo, dgo + width, 0f);
                    continue;
                }
                int go = gatesRow(b, t);
                int aco = q.wsRow(lay.actC, b, t, n);
                int cno = q.wsRow(lay.cNew, b, t, n);
                float[] cPrev;
                int cpo;
                if (s > 0) {
                    cPrev = ws;
                    cpo = q.wsRow(lay.cNew, b, q.time(s - 1), n);
                } else if (q.c0 != null) {
                    cPrev = q.c0;
                    cpo = q.c0Off + b * n;
                } else {
                    cPrev = zeros;
                    cpo = 0;
                }
                // dL/dc' through h' = o·act(c'): dh·o·act'(c').
                Lanes.mul(dh, ho, ws, go + 3 * n, tmp, 0, n);
                activationGradient(act, aco, cno, tmp, 0, n, scratch);
                gateGradients(ws, go, ws, aco, cPrev, cpo, dh, ho, dc, tmp, ws, dgo, n);
                int po = preRow(b, t);
                activationGradient(rec, go, po, ws, dgo, 2 * n, scratch);
                activationGradient(act, go + 2 * n, po + 2 * n, ws, dgo + 2 * n, n, scratch);
                activationGradient(rec, go + 3 * n, po + 3 * n, ws, dgo + 3 * n, n, scratch);
            }
            if (anyUsed(r0, r1, t)) {
                ut.multiply(nb, ws, dBase + t * width, steps * width, dhRec, 0, n, false);
            }
            for (int b = r0; b < r1; b++) {
                if (q.used(b, t)) {
                    throughDropout(b, dhRec, (b - r0) * n, dh, (b - r0) * n);
                }
            }
        }
        last(dh, r0, r1, q.dh0, q.dh0Off);
        last(dc, r0, r1, q.dc0, q.dc0Off);
    }

    /**
     * With {@code dct = dc + tmp} (tmp = dh·o·act'(c')): dL/d(i, f, g, o) =
     * (dct·g, dct·c_prev, dct·i, dh·act(c')) into the dGates row, and dc = dct·f (to the previous c).
     */
    private static void gateGradients(float[] g, int go, float[] ac, int aco, float[] cPrev, int cpo, float[] dh,
            int ho, float[] dc, float[] tmp, float[] d, int dgo, int n) {
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += L) {
            FloatVector dct = FloatVector.fromArray(S, dc, ho + j).add(FloatVector.fromArray(S, tmp, j));
            FloatVector i = FloatVector.fromArray(S, g, go + j);
            FloatVector f = FloatVector.fromArray(S, g, go + n + j);
            FloatVector gg = FloatVector.fromArray(S, g, go + 2 * n + j);
            dct.mul(gg).intoArray(d, dgo + j);
            dct.mul(FloatVector.fromArray(S, cPrev, cpo + j)).intoArray(d, dgo + n + j);
            dct.mul(i).intoArray(d, dgo + 2 * n + j);
            FloatVector.fromArray(S, dh, ho + j).mul(FloatVector.fromArray(S, ac, aco + j)).intoArray(d, dgo + 3 * n + j);
            dct.mul(f).intoArray(dc, ho + j);
        }
        for (; j < n; j++) {
            float dct = dc[ho + j] + tmp[j];
            d[dgo + j] = dct * g[go + 2 * n + j];
            d[dgo + n + j] = dct * cPrev[cpo + j];
            d[dgo + 2 * n + j] = dct * g[go + j];
            d[dgo + 3 * n + j] = dh[ho + j] * ac[aco + j];
            dc[ho + j] = dct * g[go + n + j];
        }
    }
}
