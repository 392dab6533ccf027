package io.rnn4j.kernels.simd.rnn;

import static io.rnn4j.kernels.simd.platform.SimdConstants.fma;
import static io.rnn4j.kernels.simd.rnn.Lanes.FMA;
import static io.rnn4j.kernels.simd.rnn.Lanes.L;
import static io.rnn4j.kernels.simd.rnn.Lanes.S;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.kernels.simd.math.Activations;
import jdk.incubator.vector.FloatVector;

/**
 * LSTM, gate blocks i, f, c, o (Keras): {@code z = x·W + hd·U + b}, {@code c' = f·c + i·g},
 * {@code h' = o·act(c')} with i, f, o = recurrent_activation and g = activation of their blocks.
 *
 * <p>Forward per step: {@code hd·U} is accumulated straight into the step's rows of the input
 * projection, the activations run in place over those rows, then one pass updates c and writes h
 * into the state and the output. Backward per step: one pass for dL/dc and the four gate
 * gradients, the activation derivatives in place, then {@code dz·Uᵀ} for dh.
 */
final class LstmKernel extends CellKernel {
    private final UnaryOp act;
    private final UnaryOp rec;

    LstmKernel(RnnCall q) {
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
        float[] c = new float[nb * n];
        float[] hd = q.drop == null ? null : new float[nb * n];
        float[] acScratch = new float[n];
        boolean[] started = new boolean[nb];
        initial(q.h0, q.h0Off, r0, r1, h);
        initial(q.c0, q.c0Off, r0, r1, c);
        float[] g = train ? q.ws : ThreadBuffers.projection(nb * steps * width);
        int gBase = train ? gatesRow(r0, 0) : 0;
        project(r0, r1, g, gBase);
        Product u = forwardProduct(0, width);
        for (int s = 0; s < steps; s++) {
            int t = q.time(s);
            float[] a = recurrentInput(r0, r1, t, h, hd);
            if (anyUsed(r0, r1, t)) {
                u.multiply(nb, a, 0, n, g, gBase + t * width, steps * width, true);
            }
            for (int b = r0; b < r1; b++) {
                int row = b - r0;
                int ho = row * n;
                int go = gBase + (row * steps + t) * width;
                if (!q.used(b, t)) {
                    maskedOutput(b, s, started[row], h, ho);
                    if (train) {
                        System.arraycopy(c, ho, q.ws, q.wsRow(lay.cNew, b, t, n), n); // the kept c
                    }
                    continue;
                }
                if (train && lay.pre != Workspace.ABSENT) {
                    System.arraycopy(g, go, q.ws, q.wsRow(lay.pre, b, t, width), width);
                }
                Activations.apply(rec, g, go, g, go, 2 * n, scratch);
                Activations.apply(act, g, go + 2 * n, g, go + 2 * n, n, scratch);
                Activations.apply(rec, g, go + 3 * n, g, go + 3 * n, n, scratch);
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
    void backward(int r0, int r1) {
        int nb = r1 - r0;
        float[] scratch = Activations.scratch();
        int n = units;
        float[] ws = q.ws;
        float[] dh = new float[nb * n];
        float[] dc = new float[nb * n];
        float[] carry = new float[nb * n];
        float[] dhRec = new float[nb * n];
        float[] tmp = new float[n];
        float[] zeros = new float[n];
        initialGradient(q.dLastH, q.dLastHOff, r0, r1, dh);
        initialGradient(q.dLastC, q.dLastCOff, r0, r1, dc);
        Product ut = backwardProduct(0, width);
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
