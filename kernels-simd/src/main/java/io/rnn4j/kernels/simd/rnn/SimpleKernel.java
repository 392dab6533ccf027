package io.rnn4j.kernels.simd.rnn;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.kernels.simd.math.Activations;

/**
 * SimpleRNN: {@code h' = act(x·W + hd·U + b)}. Forward accumulates {@code hd·U} into the step's
 * projection rows and applies the activation in place; backward multiplies dh by act' and sends it
 * back through Uᵀ.
 */
final class SimpleKernel extends CellKernel {
    private final UnaryOp act;

    SimpleKernel(RnnCall q) {
        super(q);
        this.act = q.spec.activation();
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
                    continue;
                }
                if (train && lay.pre != Workspace.ABSENT) {
                    System.arraycopy(g, go, q.ws, q.wsRow(lay.pre, b, t, width), width);
                }
                Activations.apply(act, g, go, g, go, n, scratch);
                System.arraycopy(g, go, h, ho, n);
                System.arraycopy(g, go, q.out, outRow(b, s), n);
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
        float[] dhRec = new float[nb * n];
        initialGradient(q.dLastH, q.dLastHOff, r0, r1, dh);
        Product ut = backwardProduct(0, width);
        int dBase = dGatesRow(r0, 0);
        for (int s = steps - 1; s >= 0; s--) {
            int t = q.time(s);
            for (int b = r0; b < r1; b++) {
                int ho = (b - r0) * n;
                int dgo = dGatesRow(b, t);
                if (!collectOutputGradient(b, s, t, carry, dh, ho)) {
                    java.util.Arrays.fill(ws, dgo, dgo + width, 0f);
                    continue;
                }
                System.arraycopy(dh, ho, ws, dgo, n);
                activationGradient(act, gatesRow(b, t), preRow(b, t), ws, dgo, n, scratch);
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
    }
}
