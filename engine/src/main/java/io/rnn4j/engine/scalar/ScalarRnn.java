package io.rnn4j.engine.scalar;

import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnState;
import io.rnn4j.engine.RnnWeights;
import io.rnn4j.engine.Tensor;
import java.util.Arrays;

/**
 * The fused sequence kernels of the scalar backend: the sequence loop around a {@link ScalarCell},
 * one batch row at a time (rows are independent until the weight gradients are summed).
 *
 * <p>Masking is tf.keras's: a step whose mask is 0 keeps the states and outputs the previous
 * step's output (zeros before the first real step), or zeros with {@code zeroOutputForMask};
 * {@code goBackwards} walks the inputs and the mask from the last step to the first and writes the
 * outputs in that processing order.
 *
 * <p>Workspace layout, per batch row b and processed step s (index {@code b·T + s}): first the
 * cell's saved floats ({@link ScalarCell#savedWidth}), then h after the step, then (LSTM) c after
 * the step. Masked steps save no pre-activations but do record the kept states, so backward
 * reads the state before step s at slot s − 1.
 */
final class ScalarRnn {
    private ScalarRnn() {
    }

    static long workspaceSize(RnnSpec spec, int batch, int steps) {
        return (long) batch * steps * (ScalarCell.savedWidth(spec) + stateCount(spec) * spec.units());
    }

    static void forward(RnnSpec spec, Tensor x, Tensor mask, Tensor recurrentDropoutMask, RnnWeights weights,
            RnnState initial, Tensor output, RnnState last, Tensor workspace) {
        int batch = x.dim(0);
        int steps = x.dim(1);
        int units = spec.units();
        ScalarCell cell = ScalarCell.of(spec, weights);
        Workspace ws = workspace == null ? null : new Workspace(spec, batch, steps, workspace);
        double[] xw = new double[spec.gateWidth()];
        float[] h = new float[units];
        float[] c = new float[units];
        float[] hNew = new float[units];
        float[] cNew = new float[units];
        float[] prevOut = new float[units];
        float[] zeros = new float[units];
        float[] saved = new float[ScalarCell.savedWidth(spec)];
        for (int b = 0; b < batch; b++) {
            readRow(initial.h(), b, units, h);
            readRow(initial.c(), b, units, c);
            float[] drop = recurrentDropoutMask == null ? null : row(recurrentDropoutMask, b, units);
            Arrays.fill(prevOut, 0f);
            for (int s = 0; s < steps; s++) {
                int t = time(spec, s, steps);
                float[] out;
                if (used(mask, b, t, steps)) {
                    project(x, b, t, weights.kernel(), xw);
                    cell.forward(xw, h, c, drop, hNew, cNew, saved);
                    System.arraycopy(hNew, 0, h, 0, units);
                    System.arraycopy(cNew, 0, c, 0, units);
                    System.arraycopy(h, 0, prevOut, 0, units);
                    out = h;
                    if (ws != null) {
                        ws.writeSaved(b, s, saved);
                    }
                } else {
                    out = spec.zeroOutputForMask() ? zeros : prevOut;
                }
                writeRow(output, (b * steps + s) * units, out);
                if (ws != null) {
                    ws.writeStates(b, s, h, c);
                }
            }
            if (last.h() != null) {
                writeRow(last.h(), b * units, h);
            }
            if (last.c() != null) {
                writeRow(last.c(), b * units, c);
            }
        }
    }

    static void backward(RnnSpec spec, Tensor x, Tensor mask, Tensor recurrentDropoutMask, RnnWeights weights,
            RnnState initial, Tensor workspace, Tensor dOutput, RnnState dLast, Tensor dx, RnnWeights dWeights,
            RnnState dInitial) {
        int batch = x.dim(0);
        int steps = x.dim(1);
        int inputs = spec.inputSize();
        int units = spec.units();
        int width = spec.gateWidth();
        ScalarCell cell = ScalarCell.of(spec, weights);
        Workspace ws = new Workspace(spec, batch, steps, workspace);
        Tensor kernel = weights.kernel();
        double[] dW = new double[inputs * width];
        double[] dU = new double[units * width];
        double[] dBias = new double[(int) spec.biasShape().size()];
        double[] dh = new double[units];
        double[] dc = new double[units];
        double[] dOut = new double[units];
        double[] dxw = new double[width];
        double[] xRow = new double[inputs];
        double[] dxRow = new double[inputs];
        float[] h = new float[units];
        float[] c = new float[units];
        float[] cNew = new float[units];
        float[] saved = new float[ScalarCell.savedWidth(spec)];
        for (int b = 0; b < batch; b++) {
            readRow(dLast.h(), b, units, dh);
            readRow(dLast.c(), b, units, dc);
            Arrays.fill(dOut, 0.0);
            float[] drop = recurrentDropoutMask == null ? null : row(recurrentDropoutMask, b, units);
            for (int s = steps - 1; s >= 0; s--) {
                int t = time(spec, s, steps);
                // dOut: dL/d(output at s), plus what later masked steps passed back to it (they
                // output the previous output, i.e. this one).
                if (dOutput != null) {
                    float[] dy = row(dOutput, b * steps + s, units);
                    for (int k = 0; k < units; k++) {
                        dOut[k] += dy[k];
                    }
                }
                if (!used(mask, b, t, steps)) {
                    if (spec.zeroOutputForMask()) {
                        Arrays.fill(dOut, 0.0); // a zero output depends on nothing
                    }
                    if (dx != null) {
                        writeRow(dx, (b * steps + t) * inputs, new double[inputs]);
                    }
                    continue; // the states pass through unchanged: dh, dc too
                }
                for (int k = 0; k < units; k++) {
                    dh[k] += dOut[k];
                }
                Arrays.fill(dOut, 0.0);
                if (s == 0) {
                    readRow(initial.h(), b, units, h);
                    readRow(initial.c(), b, units, c);
                } else {
                    ws.readStates(b, s - 1, h, c);
                }
                ws.readStates(b, s, null, cNew);
                ws.readSaved(b, s, saved);
                cell.backward(saved, h, c, cNew, drop, dh, dc, dxw, dU, dBias);
                // The input projection: dW += xᵀ·dxw, dx = dxw·Wᵀ.
                float[] xf = row(x, b * steps + t, inputs);
                for (int d = 0; d < inputs; d++) {
                    xRow[d] = xf[d];
                }
                ScalarCell.addOuter(xRow, inputs, dxw, 0, width, dW, width, 0);
                if (dx != null) {
                    Arrays.fill(dxRow, 0.0);
                    ScalarCell.timesTransposed(dxw, 0, width, ScalarBackend.data(kernel), ScalarBackend.off(kernel),
                            width, 0, inputs, dxRow);
                    writeRow(dx, (b * steps + t) * inputs, dxRow);
                }
            }
            if (dInitial.h() != null) {
                writeRow(dInitial.h(), b * units, dh);
            }
            if (dInitial.c() != null) {
                writeRow(dInitial.c(), b * units, dc);
            }
        }
        if (dWeights.kernel() != null) {
            writeRow(dWeights.kernel(), 0, dW);
        }
        if (dWeights.recurrentKernel() != null) {
            writeRow(dWeights.recurrentKernel(), 0, dU);
        }
        if (dWeights.bias() != null) {
            writeRow(dWeights.bias(), 0, dBias);
        }
    }

    /** The number of (B, H) states the cell carries: h, and c for LSTM. */
    private static int stateCount(RnnSpec spec) {
        return spec.hasCellState() ? 2 : 1;
    }

    /** The input time index of processed step s. */
    private static int time(RnnSpec spec, int s, int steps) {
        return spec.goBackwards() ? steps - 1 - s : s;
    }

    private static boolean used(Tensor mask, int b, int t, int steps) {
        return mask == null || ScalarBackend.data(mask)[ScalarBackend.off(mask) + b * steps + t] != 0f;
    }

    /** {@code xw = x[b, t, :] · W}. */
    private static void project(Tensor x, int b, int t, Tensor kernel, double[] xw) {
        int inputs = x.dim(2);
        float[] xf = row(x, b * x.dim(1) + t, inputs);
        double[] xd = new double[inputs];
        for (int d = 0; d < inputs; d++) {
            xd[d] = xf[d];
        }
        ScalarCell.rowTimes(xd, inputs, ScalarBackend.data(kernel), ScalarBackend.off(kernel), xw.length, 0,
                xw.length, xw, 0);
    }

    /** Row {@code index} of length {@code n} of a tensor seen as rows of n, as a copy. */
    private static float[] row(Tensor t, int index, int n) {
        float[] out = new float[n];
        System.arraycopy(ScalarBackend.data(t), ScalarBackend.off(t) + index * n, out, 0, n);
        return out;
    }

    /** Row b of a (B, H) tensor into {@code dst}, or zeros when the tensor is null. */
    private static void readRow(Tensor t, int b, int n, float[] dst) {
        if (t == null) {
            Arrays.fill(dst, 0f);
        } else {
            System.arraycopy(ScalarBackend.data(t), ScalarBackend.off(t) + b * n, dst, 0, n);
        }
    }

    private static void readRow(Tensor t, int b, int n, double[] dst) {
        Arrays.fill(dst, 0.0);
        if (t != null) {
            float[] src = row(t, b, n);
            for (int k = 0; k < n; k++) {
                dst[k] = src[k];
            }
        }
    }

    private static void writeRow(Tensor t, int at, float[] src) {
        System.arraycopy(src, 0, ScalarBackend.data(t), ScalarBackend.off(t) + at, src.length);
    }

    private static void writeRow(Tensor t, int at, double[] src) {
        float[] dst = ScalarBackend.data(t);
        int o = ScalarBackend.off(t) + at;
        for (int i = 0; i < src.length; i++) {
            dst[o + i] = (float) src[i];
        }
    }

    /** The training workspace, laid out as the class comment says. */
    private static final class Workspace {
        private final float[] data;
        private final int savedAt;
        private final int hAt;
        private final int cAt;
        private final int savedWidth;
        private final int units;
        private final int steps;
        private final boolean hasCellState;

        Workspace(RnnSpec spec, int batch, int steps, Tensor workspace) {
            this.data = ScalarBackend.data(workspace);
            this.savedWidth = ScalarCell.savedWidth(spec);
            this.units = spec.units();
            this.steps = steps;
            this.hasCellState = spec.hasCellState();
            int slots = batch * steps;
            this.savedAt = ScalarBackend.off(workspace);
            this.hAt = savedAt + slots * savedWidth;
            this.cAt = hAt + slots * units;
        }

        void writeSaved(int b, int s, float[] saved) {
            System.arraycopy(saved, 0, data, savedAt + (b * steps + s) * savedWidth, savedWidth);
        }

        void readSaved(int b, int s, float[] saved) {
            System.arraycopy(data, savedAt + (b * steps + s) * savedWidth, saved, 0, savedWidth);
        }

        /** Records the states after step s (c only for LSTM). */
        void writeStates(int b, int s, float[] h, float[] c) {
            System.arraycopy(h, 0, data, hAt + (b * steps + s) * units, units);
            if (hasCellState) {
                System.arraycopy(c, 0, data, cAt + (b * steps + s) * units, units);
            }
        }

        /** The states after step s into h and c (either may be null: not wanted; c only for LSTM). */
        void readStates(int b, int s, float[] h, float[] c) {
            if (h != null) {
                System.arraycopy(data, hAt + (b * steps + s) * units, h, 0, units);
            }
            if (c != null && hasCellState) {
                System.arraycopy(data, cAt + (b * steps + s) * units, c, 0, units);
            }
        }
    }
}
