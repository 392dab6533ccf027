package io.rnn4j.kernels.simd.rnn;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.kernels.simd.math.Activations;
import io.rnn4j.kernels.simd.rnn.BlockBuffers.Use;

/**
 * SimpleRNN: {@code h' = act(x·W + hd·U + b)}. Forward takes each step's {@code [x hd]·[W; U] + b}
 * as one product (a small batch adds {@code hd·U} to the step's rows of the input projection) and
 * applies the activation; backward multiplies dh by act' and sends it back through Uᵀ.
 */
final class SimpleKernel extends CellKernel {
    private final Product u = new Product();
    private UnaryOp act;

    SimpleKernel(RnnCall q) {
        super(q);
    }

    @Override
    void bindOptions() {
        act = q.spec.activation();
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
        float[] hd = q.drop == null ? null : buf.zeroed(Use.HD, nb * n);
        boolean[] started = buf.started(nb);
        initial(q.h0, q.h0Off, r0, r1, h);
        // z as in LstmKernel: per step from the stacked product, or from the projection made first.
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
                    continue;
                }
                if (train && lay.pre != Workspace.ABSENT) {
                    System.arraycopy(z, zo, q.ws, q.wsRow(lay.pre, b, t, width), width);
                }
                // The new h: over z in inference; into the workspace's gates row when training.
                float[] g = train ? q.ws : z;
                int go = train ? gatesRow(b, t) : zo;
                Activations.apply(act, z, zo, g, go, n, scratch);
                System.arraycopy(g, go, h, ho, n);
                System.arraycopy(g, go, q.out, outRow(b, s), n);
                started[row] = true;
            }
        }
        last(h, r0, r1, q.lastH, q.lastHOff);
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
        initialGradient(q.dLastH, q.dLastHOff, r0, r1, dh);
        Product ut = u;
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
