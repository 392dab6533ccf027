package io.rnn4j.kernels.cuda;

import io.rnn4j.engine.RnnCell;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.engine.testing.ReferenceActivations;

/**
 * An independent float64 implementation of the recurrent cells over a sequence, exactly as Keras
 * defines them (DESIGN.md), written for the tests: the forward oracle, and through central finite
 * differences the oracle of every gradient. Plain loops, no shortcuts.
 */
final class RnnReference {
    private RnnReference() {
    }

    /** Inputs of one sequence computation, all row-major, in double. Null members mean absent/zeros. */
    static final class Problem {
        final RnnSpec spec;
        final int batch;
        final int steps;
        double[] x;      // (B, T, D)
        double[] mask;   // (B, T) or null
        double[] drop;   // (B, H) or null
        double[] w;      // (D, GH)
        double[] u;      // (H, GH)
        double[] bias;   // GH or 2*GH, or null
        double[] h0;     // (B, H) or null
        double[] c0;     // (B, H) or null

        Problem(RnnSpec spec, int batch, int steps) {
            this.spec = spec;
            this.batch = batch;
            this.steps = steps;
        }
    }

    /** Outputs (B, T, H) in processing order, and the final h and c (B, H). */
    record Result(double[] output, double[] lastH, double[] lastC) {
    }

    static double act(UnaryOp op, double v) {
        return switch (op) {
            case LINEAR -> v;
            case TANH -> Math.tanh(v);
            case SIGMOID -> v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
            case HARD_SIGMOID -> Math.min(Math.max(v + 3, 0), 6) / 6;
            case HARD_SIGMOID_KERAS2 -> Math.min(Math.max(0.2 * v + 0.5, 0), 1);
            case RELU -> Math.max(v, 0);
            case ELU -> v > 0 ? v : Math.expm1(v);
            case SELU -> v > 0 ? UnaryOp.SELU_SCALE * v : UnaryOp.SELU_SCALE * UnaryOp.SELU_ALPHA * Math.expm1(v);
            case SOFTPLUS -> v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
            case SOFTSIGN -> v / (1 + Math.abs(v));
            case SWISH -> v * act(UnaryOp.SIGMOID, v);
            case EXP -> Math.exp(v);
            case LOG -> Math.log(v);
            case NEG -> -v;
            case ABS -> Math.abs(v);
            case SQUARE -> v * v;
            case SQRT -> Math.sqrt(v);
            case RECIPROCAL -> 1 / v;
            default -> ReferenceActivations.value(op, v); // the activations Keras 3 added
        };
    }

    static Result forward(Problem p) {
        RnnSpec s = p.spec;
        int bN = p.batch;
        int tN = p.steps;
        int d = s.inputSize();
        int h = s.units();
        int gh = s.gateWidth();
        double[] out = new double[bN * tN * h];
        double[] lastH = new double[bN * h];
        double[] lastC = new double[bN * h];
        for (int b = 0; b < bN; b++) {
            double[] hs = new double[h];
            double[] cs = new double[h];
            double[] prevOut = new double[h];
            for (int j = 0; j < h; j++) {
                hs[j] = p.h0 == null ? 0 : p.h0[b * h + j];
                cs[j] = p.c0 == null ? 0 : p.c0[b * h + j];
            }
            for (int step = 0; step < tN; step++) {
                int t = s.goBackwards() ? tN - 1 - step : step;
                double[] hin = new double[h];
                for (int k = 0; k < h; k++) {
                    hin[k] = p.drop == null ? hs[k] : hs[k] * p.drop[b * h + k];
                }
                double[] xw = new double[gh];
                for (int c = 0; c < gh; c++) {
                    double v = 0;
                    for (int i = 0; i < d; i++) {
                        v += p.x[(b * tN + t) * d + i] * p.w[i * gh + c];
                    }
                    xw[c] = v;
                }
                double[] hu = product(hin, p.u, h, gh, 0, gh);
                double[] hn = new double[h];
                double[] cn = cs.clone();
                for (int j = 0; j < h; j++) {
                    switch (s.cell()) {
                        case SIMPLE -> hn[j] = act(s.activation(), xw[j] + hu[j] + bias(p, 0, j));
                        case LSTM -> {
                            double i = act(s.recurrentActivation(), xw[j] + hu[j] + bias(p, 0, j));
                            double f = act(s.recurrentActivation(), xw[h + j] + hu[h + j] + bias(p, 0, h + j));
                            double g = act(s.activation(), xw[2 * h + j] + hu[2 * h + j] + bias(p, 0, 2 * h + j));
                            double o = act(s.recurrentActivation(), xw[3 * h + j] + hu[3 * h + j] + bias(p, 0, 3 * h + j));
                            cn[j] = f * cs[j] + i * g;
                            hn[j] = o * act(s.activation(), cn[j]);
                        }
                        case GRU -> { }
                    }
                }
                if (s.cell() == RnnCell.GRU) {
                    gru(p, s, h, gh, hs, hin, xw, hu, hn);
                }
                boolean real = p.mask == null || p.mask[b * tN + t] != 0;
                for (int j = 0; j < h; j++) {
                    double o = real ? hn[j] : (s.zeroOutputForMask() ? 0 : prevOut[j]);
                    out[(b * tN + step) * h + j] = o;
                    prevOut[j] = o;
                    if (real) {
                        hs[j] = hn[j];
                        cs[j] = cn[j];
                    }
                }
            }
            System.arraycopy(hs, 0, lastH, b * h, h);
            System.arraycopy(cs, 0, lastC, b * h, h);
        }
        return new Result(out, lastH, lastC);
    }

    private static void gru(Problem p, RnnSpec s, int h, int gh, double[] hs, double[] hin, double[] xw, double[] hu,
            double[] hn) {
        double[] z = new double[h];
        double[] r = new double[h];
        for (int j = 0; j < h; j++) {
            if (s.resetAfter()) {
                z[j] = act(s.recurrentActivation(), xw[j] + bias(p, 0, j) + hu[j] + bias(p, 1, j));
                r[j] = act(s.recurrentActivation(), xw[h + j] + bias(p, 0, h + j) + hu[h + j] + bias(p, 1, h + j));
            } else {
                z[j] = act(s.recurrentActivation(), xw[j] + hu[j] + bias(p, 0, j));
                r[j] = act(s.recurrentActivation(), xw[h + j] + hu[h + j] + bias(p, 0, h + j));
            }
        }
        double[] rh;
        if (s.resetAfter()) {
            rh = new double[h];
            for (int j = 0; j < h; j++) {
                rh[j] = r[j] * (hu[2 * h + j] + bias(p, 1, 2 * h + j));
            }
        } else {
            double[] rhin = new double[h];
            for (int k = 0; k < h; k++) {
                rhin[k] = r[k] * hin[k];
            }
            rh = product(rhin, p.u, h, gh, 2 * h, h);
        }
        for (int j = 0; j < h; j++) {
            double n = act(s.activation(), xw[2 * h + j] + bias(p, 0, 2 * h + j) + rh[j]);
            hn[j] = z[j] * hs[j] + (1 - z[j]) * n;
        }
    }

    /** v·U[:, col0 : col0+cols] for U of row length gh. */
    private static double[] product(double[] v, double[] u, int h, int gh, int col0, int cols) {
        double[] r = new double[cols];
        for (int c = 0; c < cols; c++) {
            double acc = 0;
            for (int k = 0; k < h; k++) {
                acc += v[k] * u[k * gh + col0 + c];
            }
            r[c] = acc;
        }
        return r;
    }

    /** Bias row {@code row} (GRU reset_after has two) at column c; 0 without bias. */
    private static double bias(Problem p, int row, int c) {
        if (p.bias == null) {
            return 0;
        }
        return p.bias[row * p.spec.gateWidth() + c];
    }
}
