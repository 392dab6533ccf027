package io.rnn4j.engine.scalar;

import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnWeights;
import io.rnn4j.engine.Tensor;

/**
 * One recurrent cell's step, forward and backward, for one batch row, in the plainest loops.
 *
 * <p>{@link ScalarRnn} runs the sequence (order, masking, states, workspace) and the input
 * projection {@code xw = x·W}, which is the same for every cell; a cell adds the bias and the
 * recurrent product and applies its gates. Sums are taken in double and each value a float32
 * kernel would hold (pre-activations, states) is rounded to float once, so that the saved
 * pre-activations are exactly what the activations saw and backward is the exact derivative of
 * forward.
 */
abstract class ScalarCell {
    final RnnSpec spec;
    /** H, the units. */
    final int units;
    /** G·H, the kernel's columns. */
    final int width;
    final float[] u;
    final int uOff;
    /** The bias array, or null without bias; its layout is the spec's bias shape, row-major. */
    final float[] bias;
    final int biasOff;

    ScalarCell(RnnSpec spec, RnnWeights weights) {
        this.spec = spec;
        this.units = spec.units();
        this.width = spec.gateWidth();
        this.u = ScalarBackend.data(weights.recurrentKernel());
        this.uOff = ScalarBackend.off(weights.recurrentKernel());
        Tensor b = spec.useBias() ? weights.bias() : null;
        this.bias = b == null ? null : ScalarBackend.data(b);
        this.biasOff = b == null ? 0 : ScalarBackend.off(b);
    }

    static ScalarCell of(RnnSpec spec, RnnWeights weights) {
        return switch (spec.cell()) {
            case SIMPLE -> new ScalarSimpleCell(spec, weights);
            case LSTM -> new ScalarLstmCell(spec, weights);
            case GRU -> new ScalarGruCell(spec, weights);
        };
    }

    /** Floats a step saves for backward, per batch row (the pre-activations, and GRU's h·U_h + b). */
    static int savedWidth(RnnSpec spec) {
        int h = spec.units();
        return switch (spec.cell()) {
            case SIMPLE -> h;
            case LSTM -> 4 * h;
            case GRU -> spec.resetAfter() ? 4 * h : 3 * h;
        };
    }

    /**
     * One step: from the input projection {@code xw} (G·H, without bias), the states before the step
     * {@code h}, {@code c} (c unused but by LSTM) and the recurrent dropout row {@code drop} (null for
     * none), writes the new states and {@link #savedWidth} floats into {@code saved}.
     */
    abstract void forward(double[] xw, float[] h, float[] c, float[] drop, float[] hNew, float[] cNew,
            float[] saved);

    /**
     * The gradient of one step. On entry {@code dh}, {@code dc} hold dL/d(new h, new c); on return,
     * dL/d(h, c) before the step through this step. Writes dL/d(xw) into {@code dxw} and adds the
     * recurrent kernel's and the bias's gradients into {@code dU}, {@code dBias} (laid out as
     * the weights).
     */
    abstract void backward(float[] saved, float[] h, float[] c, float[] cNew, float[] drop, double[] dh,
            double[] dc, double[] dxw, double[] dU, double[] dBias);

    // ---- shared pieces ----

    /** {@code h · drop}, the state as the recurrent product sees it (Keras's recurrent dropout). */
    final double[] dropped(float[] h, float[] drop) {
        double[] hd = new double[units];
        for (int k = 0; k < units; k++) {
            hd[k] = drop == null ? h[k] : (double) h[k] * drop[k];
        }
        return hd;
    }

    /** The bias at flat index {@code i} of its (row-major) layout, 0 without bias. */
    final double bias(int i) {
        return bias == null ? 0.0 : bias[biasOff + i];
    }

    final float act(float v) {
        return ScalarMath.apply(spec.activation(), v);
    }

    final float actPrime(float v) {
        return ScalarMath.derivative(spec.activation(), v);
    }

    final float rec(float v) {
        return ScalarMath.apply(spec.recurrentActivation(), v);
    }

    final float recPrime(float v) {
        return ScalarMath.derivative(spec.recurrentActivation(), v);
    }

    /** {@code out[at + j] = Σ_k v[k] · u[k, col + j]} for j < n: v times columns col.. of U. */
    final void timesU(double[] v, int col, int n, double[] out, int at) {
        rowTimes(v, v.length, u, uOff, width, col, n, out, at);
    }

    /** {@code out[k] += Σ_j d[at + j] · u[k, col + j]}: d times those columns of U, transposed. */
    final void timesUTransposed(double[] d, int at, int col, int n, double[] out) {
        timesTransposed(d, at, n, u, uOff, width, col, out.length, out);
    }

    /** {@code dU[k, col + j] += v[k] · d[at + j]}. */
    final void addToDU(double[] dU, double[] v, double[] d, int at, int col, int n) {
        addOuter(v, v.length, d, at, n, dU, width, col);
    }

    /** {@code dBias[i] += d[i - start]} for i in start.. start+n, when the cell has a bias. */
    final void addToDBias(double[] dBias, int start, double[] d, int at, int n) {
        if (bias == null) {
            return;
        }
        for (int j = 0; j < n; j++) {
            dBias[start + j] += d[at + j];
        }
    }

    /** {@code out[at + j] = Σ_k v[k] · m[mOff + k·ld + col + j]}, k < rows, j < n (row vector × columns). */
    static void rowTimes(double[] v, int rows, float[] m, int mOff, int ld, int col, int n, double[] out,
            int at) {
        for (int j = 0; j < n; j++) {
            out[at + j] = 0.0;
        }
        for (int k = 0; k < rows; k++) {
            double vk = v[k];
            int row = mOff + k * ld + col;
            for (int j = 0; j < n; j++) {
                out[at + j] += vk * m[row + j];
            }
        }
    }

    /** {@code out[k] += Σ_j d[at + j] · m[mOff + k·ld + col + j]}, k < rows, j < n (d × columnsᵀ). */
    static void timesTransposed(double[] d, int at, int n, float[] m, int mOff, int ld, int col, int rows,
            double[] out) {
        for (int k = 0; k < rows; k++) {
            int row = mOff + k * ld + col;
            double sum = 0.0;
            for (int j = 0; j < n; j++) {
                sum += d[at + j] * m[row + j];
            }
            out[k] += sum;
        }
    }

    /** {@code acc[k·ld + col + j] += v[k] · d[at + j]}, k < rows, j < n (an outer product). */
    static void addOuter(double[] v, int rows, double[] d, int at, int n, double[] acc, int ld, int col) {
        for (int k = 0; k < rows; k++) {
            double vk = v[k];
            int row = k * ld + col;
            for (int j = 0; j < n; j++) {
                acc[row + j] += vk * d[at + j];
            }
        }
    }
}
