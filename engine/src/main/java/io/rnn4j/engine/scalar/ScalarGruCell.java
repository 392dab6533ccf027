package io.rnn4j.engine.scalar;

import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnWeights;

/**
 * GRU, gate blocks z, r, h; {@code h' = z·h + (1 − z)·n}.
 *
 * <p>reset_after (bias rows: input, recurrent): {@code n = act(xh + b0h + r·(hd·U_h + b1h))}; saves
 * the pre-activations of z, r, n and {@code hd·U_h + b1h}. reset_before (one bias):
 * {@code n = act(xh + bh + (r·hd)·U_h)}; saves the three pre-activations. {@code hd} is h times
 * the recurrent dropout row; the interpolation uses h itself, as Keras does.
 */
final class ScalarGruCell extends ScalarCell {
    private final boolean resetAfter;

    ScalarGruCell(RnnSpec spec, RnnWeights weights) {
        super(spec, weights);
        this.resetAfter = spec.resetAfter();
    }

    /** The input bias (row 0 with reset_after) of gate column g. */
    private double inputBias(int g) {
        return bias(g);
    }

    /** The recurrent bias (row 1, reset_after only) of gate column g. */
    private double recurrentBias(int g) {
        return resetAfter ? bias(width + g) : 0.0;
    }

    @Override
    void forward(double[] xw, float[] h, float[] c, float[] drop, float[] hNew, float[] cNew, float[] saved) {
        int n = units;
        double[] hd = dropped(h, drop);
        double[] rec = new double[width];
        timesU(hd, 0, resetAfter ? width : 2 * n, rec, 0);
        float[] r = new float[n];
        for (int j = 0; j < n; j++) {
            saved[j] = (float) (xw[j] + inputBias(j) + rec[j] + recurrentBias(j));
            saved[n + j] = (float) (xw[n + j] + inputBias(n + j) + rec[n + j] + recurrentBias(n + j));
            r[j] = rec(saved[n + j]);
        }
        if (resetAfter) {
            for (int j = 0; j < n; j++) {
                float rh = (float) (rec[2 * n + j] + recurrentBias(2 * n + j));
                saved[3 * n + j] = rh;
                saved[2 * n + j] = (float) (xw[2 * n + j] + inputBias(2 * n + j) + (double) r[j] * rh);
            }
        } else {
            double[] rhd = new double[n];
            for (int k = 0; k < n; k++) {
                rhd[k] = r[k] * hd[k];
            }
            timesU(rhd, 2 * n, n, rec, 2 * n);
            for (int j = 0; j < n; j++) {
                saved[2 * n + j] = (float) (xw[2 * n + j] + inputBias(2 * n + j) + rec[2 * n + j]);
            }
        }
        for (int j = 0; j < n; j++) {
            double z = rec(saved[j]);
            double cand = act(saved[2 * n + j]);
            hNew[j] = (float) (z * h[j] + (1.0 - z) * cand);
        }
    }

    @Override
    void backward(float[] saved, float[] h, float[] c, float[] cNew, float[] drop, double[] dh, double[] dc,
            double[] dxw, double[] dU, double[] dBias) {
        int n = units;
        double[] hd = dropped(h, drop);
        double[] r = new double[n];
        double[] dhd = new double[n];
        // dL/d(pre-activation of n), into dxw's h block: the input side of every gate is xw itself.
        for (int j = 0; j < n; j++) {
            double z = rec(saved[j]);
            double cand = act(saved[2 * n + j]);
            r[j] = rec(saved[n + j]);
            dxw[j] = dh[j] * (h[j] - cand) * recPrime(saved[j]);
            dxw[2 * n + j] = dh[j] * (1.0 - z) * actPrime(saved[2 * n + j]);
            dh[j] = dh[j] * z;
        }
        if (resetAfter) {
            // The recurrent side of the h block is r · dn; that of z and r is the same as the input side.
            double[] drec = new double[width];
            for (int j = 0; j < n; j++) {
                float rh = saved[3 * n + j];
                dxw[n + j] = dxw[2 * n + j] * rh * recPrime(saved[n + j]);
                drec[j] = dxw[j];
                drec[n + j] = dxw[n + j];
                drec[2 * n + j] = dxw[2 * n + j] * r[j];
            }
            addToDBias(dBias, 0, dxw, 0, width);
            addToDBias(dBias, width, drec, 0, width);
            addToDU(dU, hd, drec, 0, 0, width);
            timesUTransposed(drec, 0, 0, width, dhd);
        } else {
            double[] drhd = new double[n];
            timesUTransposed(dxw, 2 * n, 2 * n, n, drhd);
            double[] rhd = new double[n];
            for (int k = 0; k < n; k++) {
                rhd[k] = r[k] * hd[k];
                dxw[n + k] = drhd[k] * hd[k] * recPrime(saved[n + k]);
                dhd[k] = drhd[k] * r[k];
            }
            addToDBias(dBias, 0, dxw, 0, width);
            addToDU(dU, hd, dxw, 0, 0, 2 * n);
            addToDU(dU, rhd, dxw, 2 * n, 2 * n, n);
            timesUTransposed(dxw, 0, 0, 2 * n, dhd);
        }
        for (int k = 0; k < n; k++) {
            dh[k] += drop == null ? dhd[k] : dhd[k] * drop[k];
        }
    }
}
