package io.rnn4j.engine.scalar;

import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnWeights;

/** SimpleRNN: {@code h' = act(x·W + hd·U + b)}; saves the pre-activation a. */
final class ScalarSimpleCell extends ScalarCell {

    ScalarSimpleCell(RnnSpec spec, RnnWeights weights) {
        super(spec, weights);
    }

    @Override
    void forward(double[] xw, float[] h, float[] c, float[] drop, float[] hNew, float[] cNew, float[] saved) {
        double[] rec = new double[units];
        timesU(dropped(h, drop), 0, units, rec, 0);
        for (int j = 0; j < units; j++) {
            float a = (float) (xw[j] + rec[j] + bias(j));
            saved[j] = a;
            hNew[j] = act(a);
        }
    }

    @Override
    void backward(float[] saved, float[] h, float[] c, float[] cNew, float[] drop, double[] dh, double[] dc,
            double[] dxw, double[] dU, double[] dBias) {
        for (int j = 0; j < units; j++) {
            dxw[j] = dh[j] * actPrime(saved[j]);
        }
        addToDBias(dBias, 0, dxw, 0, units);
        addToDU(dU, dropped(h, drop), dxw, 0, 0, units);
        double[] dhd = new double[units];
        timesUTransposed(dxw, 0, 0, units, dhd);
        for (int k = 0; k < units; k++) {
            dh[k] = drop == null ? dhd[k] : dhd[k] * drop[k];
        }
    }
}
