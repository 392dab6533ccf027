package io.rnn4j.engine.scalar;

import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnWeights;

/**
 * LSTM, gate blocks i, f, c, o: {@code z = x·W + hd·U + b}, {@code c' = f·c + i·g},
 * {@code h' = o·act(c')}; saves the four pre-activations (the new c is kept by the sequence).
 */
final class ScalarLstmCell extends ScalarCell {

    ScalarLstmCell(RnnSpec spec, RnnWeights weights) {
        super(spec, weights);
    }

    @Override
    void forward(double[] xw, float[] h, float[] c, float[] drop, float[] hNew, float[] cNew, float[] saved) {
        double[] rec = new double[width];
        timesU(dropped(h, drop), 0, width, rec, 0);
        for (int g = 0; g < width; g++) {
            saved[g] = (float) (xw[g] + rec[g] + bias(g));
        }
        int n = units;
        for (int j = 0; j < n; j++) {
            float i = rec(saved[j]);
            float f = rec(saved[n + j]);
            float g = act(saved[2 * n + j]);
            float o = rec(saved[3 * n + j]);
            cNew[j] = (float) ((double) f * c[j] + (double) i * g);
            hNew[j] = (float) ((double) o * act(cNew[j]));
        }
    }

    @Override
    void backward(float[] saved, float[] h, float[] c, float[] cNew, float[] drop, double[] dh, double[] dc,
            double[] dxw, double[] dU, double[] dBias) {
        int n = units;
        for (int j = 0; j < n; j++) {
            float zi = saved[j];
            float zf = saved[n + j];
            float zc = saved[2 * n + j];
            float zo = saved[3 * n + j];
            double i = rec(zi);
            double f = rec(zf);
            double g = act(zc);
            double o = rec(zo);
            double dcNew = dc[j] + dh[j] * o * actPrime(cNew[j]);
            dxw[j] = dcNew * g * recPrime(zi);
            dxw[n + j] = dcNew * c[j] * recPrime(zf);
            dxw[2 * n + j] = dcNew * i * actPrime(zc);
            dxw[3 * n + j] = dh[j] * act(cNew[j]) * recPrime(zo);
            dc[j] = dcNew * f;
        }
        addToDBias(dBias, 0, dxw, 0, width);
        addToDU(dU, dropped(h, drop), dxw, 0, 0, width);
        double[] dhd = new double[n];
        timesUTransposed(dxw, 0, 0, width, dhd);
        for (int k = 0; k < n; k++) {
            dh[k] = drop == null ? dhd[k] : dhd[k] * drop[k];
        }
    }
}
