package io.rnn4j.engine.testing;

import io.rnn4j.engine.RnnCell;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.UnaryOp;
import java.util.List;

/**
 * The reference every recurrent kernel is tested against: Keras's cell formulas (DESIGN.md) and
 * tf.keras's sequence loop (masking, go_backwards, recurrent dropout), written out in float64 as
 * plainly as possible and sharing no code with any backend.
 *
 * <ul>
 *   <li>SimpleRNN: {@code h' = act(x·W + hd·U + b)}.
 *   <li>LSTM (i, f, c, o): {@code z = x·W + hd·U + b}; {@code c' = σr(z_f)·c + σr(z_i)·act(z_c)};
 *       {@code h' = σr(z_o)·act(c')}.
 *   <li>GRU (z, r, h), reset_after: {@code [xz, xr, xh] = x·W + b[0]}, {@code [uz, ur, uh] = hd·U + b[1]},
 *       {@code n = act(xh + r·uh)}; reset_before: {@code [xz, xr, xh] = x·W + b}, {@code [uz, ur] = hd·U_zr},
 *       {@code n = act(xh + (r·hd)·U_h)}; {@code z = σr(xz + uz)}, {@code r = σr(xr + ur)},
 *       {@code h' = z·h + (1 − z)·n}.
 *   <li>hd = h · the recurrent dropout row (Keras 3: the dropped state in every recurrent product).
 *   <li>Masked step: the states stay; the output is the previous output (zeros before the first
 *       real step), or zeros with zeroOutputForMask. go_backwards reads steps (and mask) T−1..0 and
 *       writes output s for the s-th processed step.
 * </ul>
 */
public final class Float64Rnn {
    private Float64Rnn() {
    }

    /** The activations a Keras recurrent layer can name (the rest of {@link UnaryOp} is plain math). */
    public static final List<UnaryOp> KERAS_ACTIVATIONS = List.of(UnaryOp.LINEAR, UnaryOp.TANH, UnaryOp.SIGMOID,
            UnaryOp.HARD_SIGMOID, UnaryOp.HARD_SIGMOID_KERAS2, UnaryOp.RELU, UnaryOp.ELU, UnaryOp.SELU,
            UnaryOp.SOFTPLUS, UnaryOp.SOFTSIGN, UnaryOp.SWISH, UnaryOp.EXP, UnaryOp.RELU6, UnaryOp.LEAKY_RELU,
            UnaryOp.GELU, UnaryOp.GELU_APPROXIMATE, UnaryOp.MISH, UnaryOp.HARD_SILU, UnaryOp.CELU, UnaryOp.HARD_TANH,
            UnaryOp.LOG_SIGMOID, UnaryOp.TANH_SHRINK, UnaryOp.SOFT_SHRINK, UnaryOp.HARD_SHRINK, UnaryOp.SQUAREPLUS,
            UnaryOp.SPARSE_PLUS, UnaryOp.SPARSE_SIGMOID);

    /** Outputs (B, T, H) in processing order, final h (B, H) and final c (B, H; null but for LSTM). */
    public record Result(double[] output, double[] lastH, double[] lastC) {
    }

    public static Result forward(RnnProblem p) {
        RnnSpec spec = p.spec;
        int bs = p.batch;
        int ts = p.steps;
        int n = spec.units();
        double[] output = new double[bs * ts * n];
        double[] lastH = new double[bs * n];
        double[] lastC = spec.cell() == RnnCell.LSTM ? new double[bs * n] : null;
        for (int b = 0; b < bs; b++) {
            double[] h = new double[n];
            double[] c = new double[n];
            for (int j = 0; j < n; j++) {
                h[j] = p.giveH0 ? p.h0[b * n + j] : 0.0;
                c[j] = p.giveC0 ? p.c0[b * n + j] : 0.0;
            }
            double[] prevOut = new double[n];
            for (int s = 0; s < ts; s++) {
                int t = spec.goBackwards() ? ts - 1 - s : s;
                double[] x = new double[spec.inputSize()];
                System.arraycopy(p.x, (b * ts + t) * spec.inputSize(), x, 0, x.length);
                boolean real = p.mask == null || p.mask[b * ts + t] != 0.0;
                double[] out;
                if (real) {
                    double[] hd = new double[n];
                    for (int k = 0; k < n; k++) {
                        hd[k] = p.dropout == null ? h[k] : h[k] * p.dropout[b * n + k];
                    }
                    double[][] next = step(p, x, h, hd, c);
                    h = next[0];
                    c = next[1];
                    out = h;
                    prevOut = h;
                } else {
                    out = spec.zeroOutputForMask() ? new double[n] : prevOut;
                }
                System.arraycopy(out, 0, output, (b * ts + s) * n, n);
            }
            System.arraycopy(h, 0, lastH, b * n, n);
            if (lastC != null) {
                System.arraycopy(c, 0, lastC, b * n, n);
            }
        }
        return new Result(output, lastH, lastC);
    }

    /** One real step of the cell: {new h, new c}. */
    private static double[][] step(RnnProblem p, double[] x, double[] h, double[] hd, double[] c) {
        RnnSpec spec = p.spec;
        int n = spec.units();
        int cols = spec.gateWidth();
        UnaryOp act = spec.activation();
        UnaryOp ract = spec.recurrentActivation();
        double[] xw = matVec(x, p.kernel, cols, 0, cols);
        double[] hNew = new double[n];
        double[] cNew = new double[n];
        switch (spec.cell()) {
            case SIMPLE -> {
                double[] hu = matVec(hd, p.recurrentKernel, cols, 0, n);
                for (int j = 0; j < n; j++) {
                    hNew[j] = apply(act, xw[j] + hu[j] + bias(p, j));
                }
            }
            case LSTM -> {
                double[] hu = matVec(hd, p.recurrentKernel, cols, 0, cols);
                for (int j = 0; j < n; j++) {
                    double i = apply(ract, xw[j] + hu[j] + bias(p, j));
                    double f = apply(ract, xw[n + j] + hu[n + j] + bias(p, n + j));
                    double g = apply(act, xw[2 * n + j] + hu[2 * n + j] + bias(p, 2 * n + j));
                    double o = apply(ract, xw[3 * n + j] + hu[3 * n + j] + bias(p, 3 * n + j));
                    cNew[j] = f * c[j] + i * g;
                    hNew[j] = o * apply(act, cNew[j]);
                }
            }
            case GRU -> {
                double[] z = new double[n];
                double[] r = new double[n];
                double[] candidate = new double[n];
                if (spec.resetAfter()) {
                    double[] hu = matVec(hd, p.recurrentKernel, cols, 0, cols);
                    for (int j = 0; j < n; j++) {
                        z[j] = apply(ract, xw[j] + bias(p, j) + hu[j] + bias(p, cols + j));
                        r[j] = apply(ract, xw[n + j] + bias(p, n + j) + hu[n + j] + bias(p, cols + n + j));
                        double uh = hu[2 * n + j] + bias(p, cols + 2 * n + j);
                        candidate[j] = apply(act, xw[2 * n + j] + bias(p, 2 * n + j) + r[j] * uh);
                    }
                } else {
                    double[] hu = matVec(hd, p.recurrentKernel, cols, 0, 2 * n);
                    for (int j = 0; j < n; j++) {
                        z[j] = apply(ract, xw[j] + bias(p, j) + hu[j]);
                        r[j] = apply(ract, xw[n + j] + bias(p, n + j) + hu[n + j]);
                    }
                    double[] rh = new double[n];
                    for (int k = 0; k < n; k++) {
                        rh[k] = r[k] * hd[k];
                    }
                    double[] ru = matVec(rh, p.recurrentKernel, cols, 2 * n, n);
                    for (int j = 0; j < n; j++) {
                        candidate[j] = apply(act, xw[2 * n + j] + bias(p, 2 * n + j) + ru[j]);
                    }
                }
                for (int j = 0; j < n; j++) {
                    hNew[j] = z[j] * h[j] + (1.0 - z[j]) * candidate[j];
                }
            }
        }
        return new double[][] {hNew, cNew};
    }

    /** {@code v · m[:, col .. col+width)} for a row-major matrix m with {@code cols} columns. */
    private static double[] matVec(double[] v, double[] m, int cols, int col, int width) {
        double[] out = new double[width];
        for (int j = 0; j < width; j++) {
            double s = 0.0;
            for (int k = 0; k < v.length; k++) {
                s += v[k] * m[k * cols + col + j];
            }
            out[j] = s;
        }
        return out;
    }

    private static double bias(RnnProblem p, int i) {
        return p.bias == null ? 0.0 : p.bias[i];
    }

    /** The activation in float64, from its definition (Keras's constants). */
    public static double apply(UnaryOp op, double v) {
        return switch (op) {
            case LINEAR -> v;
            case TANH -> Math.tanh(v);
            case SIGMOID -> 1.0 / (1.0 + Math.exp(-v));
            case HARD_SIGMOID -> Math.max(0.0, Math.min(6.0, v + 3.0)) / 6.0;
            case HARD_SIGMOID_KERAS2 -> Math.max(0.0, Math.min(1.0, 0.2 * v + 0.5));
            case RELU -> Math.max(0.0, v);
            case ELU -> v > 0 ? v : Math.exp(v) - 1.0;
            case SELU -> 1.0507009873554804934193349852946
                    * (v > 0 ? v : 1.6732632423543772848170429916717 * (Math.exp(v) - 1.0));
            case SOFTPLUS -> Math.log(1.0 + Math.exp(v));
            case SOFTSIGN -> v / (1.0 + Math.abs(v));
            case SWISH -> v / (1.0 + Math.exp(-v));
            case EXP -> Math.exp(v);
            case LOG -> Math.log(v);
            case NEG -> -v;
            case ABS -> Math.abs(v);
            case SQUARE -> v * v;
            case SQRT -> Math.sqrt(v);
            case RECIPROCAL -> 1.0 / v;
            default -> ReferenceActivations.value(op, v); // the activations Keras 3 added
        };
    }
}
