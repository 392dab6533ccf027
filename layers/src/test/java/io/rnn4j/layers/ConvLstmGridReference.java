package io.rnn4j.layers;

import java.util.function.DoubleUnaryOperator;

/**
 * Keras's ConvLSTM2D / ConvLSTM3D written out in float64 with plain loops, independently of the
 * layer's code (keras/src/layers/rnn/conv_lstm.py ConvLSTMCell.call, ops.conv's cross-correlation
 * with TensorFlow's "valid"/"same" arithmetic per axis, and the RNN loop): per time step
 * {@code z[o, j] = bias[j] + Σ_taps Σ_ch x[o·stride + tap·dilation − left, ch]·drop_g·kernel[tap, ch, j]
 * + Σ_taps Σ_u h[o + tap − (size − 1)/2, u]·rec_drop_g·recurrent[tap, u, j]} (taps outside read
 * zero), {@code i, f, o = σr(z)}, {@code c' = f·c + i·σ(z_c)}, {@code h' = o·σ(c')}; a masked step
 * keeps h and c and outputs the previous output (zeros with zero_output_for_mask). Tensors are
 * row-major float arrays: x (B, T, spatial..., C), kernel (size..., C, 4F), recurrent (size..., F, 4F).
 */
final class ConvLstmGridReference {
    final int batch;
    final int time;
    final int[] in;
    final int channels;
    final int filters;
    final int[] size;
    int[] stride;
    int[] dilation;
    String padding = "valid";
    boolean backwards;
    boolean zeroOutputForMask;
    DoubleUnaryOperator activation = Math::tanh;
    DoubleUnaryOperator recurrentActivation = v -> 1 / (1 + Math.exp(-v));
    float[] x;
    float[] kernel;
    float[] recurrent;
    float[] bias;            // null without use_bias
    float[] h0;              // (B, out..., F) or null for zeros
    float[] c0;
    float[] mask;            // (B, T) or null
    float[][] inputDrop;     // 4 multipliers of (B, spatial..., C), or null
    float[][] recurrentDrop; // 4 multipliers of (B, out..., F), or null

    /** Results of {@link #run()}: every step's output in processing order, the final h and c. */
    double[] sequence;
    double[] h;
    double[] c;

    ConvLstmGridReference(int batch, int time, int[] in, int channels, int filters, int[] size) {
        this.batch = batch;
        this.time = time;
        this.in = in.clone();
        this.channels = channels;
        this.filters = filters;
        this.size = size.clone();
        this.stride = ones(in.length);
        this.dilation = ones(in.length);
    }

    private static int[] ones(int n) {
        int[] o = new int[n];
        java.util.Arrays.fill(o, 1);
        return o;
    }

    private int reach(int a) {
        return (size[a] - 1) * dilation[a] + 1;
    }

    /** Keras's output size per axis: floor((n − reach) / stride) + 1 for "valid", ceil(n / stride) for "same". */
    int[] out() {
        int[] o = new int[in.length];
        for (int a = 0; a < o.length; a++) {
            o[a] = padding.equals("valid") ? Math.floorDiv(in[a] - reach(a), stride[a]) + 1
                    : (int) Math.ceil(in[a] / (double) stride[a]);
        }
        return o;
    }

    /** TensorFlow's "same": the padding in all, half (rounded down) before the first position. */
    private int left(int a) {
        int o = out()[a];
        return padding.equals("valid") ? 0 : Math.max((o - 1) * stride[a] + reach(a) - in[a], 0) / 2;
    }

    private static int count(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Row-major coordinates of flat index {@code i} in {@code shape}. */
    private static int[] coords(int i, int[] shape) {
        int[] c = new int[shape.length];
        for (int a = shape.length - 1; a >= 0; a--) {
            c[a] = i % shape[a];
            i /= shape[a];
        }
        return c;
    }

    /** The flat row-major index of {@code pos} in {@code shape}, or −1 when outside. */
    private static int flat(int[] pos, int[] shape) {
        int f = 0;
        for (int a = 0; a < shape.length; a++) {
            if (pos[a] < 0 || pos[a] >= shape[a]) {
                return -1;
            }
            f = f * shape[a] + pos[a];
        }
        return f;
    }

    ConvLstmGridReference run() {
        int[] out = out();
        int rank = in.length;
        int positions = count(out);
        int inputs = count(in);
        int taps = count(size);
        int f4 = 4 * filters;
        int state = positions * filters;
        h = new double[batch * state];
        c = new double[batch * state];
        for (int i = 0; i < h.length; i++) {
            h[i] = h0 == null ? 0 : h0[i];
            c[i] = c0 == null ? 0 : c0[i];
        }
        sequence = new double[batch * time * state];
        double[] previous = new double[batch * state];
        for (int s = 0; s < time; s++) {
            int at = backwards ? time - 1 - s : s;
            for (int b = 0; b < batch; b++) {
                int base = (b * time + s) * state;
                if (mask != null && mask[b * time + at] == 0) {
                    for (int j = 0; j < state; j++) {
                        sequence[base + j] = zeroOutputForMask ? 0 : previous[b * state + j];
                    }
                    continue;
                }
                double[] z = new double[positions * f4];
                for (int p = 0; p < positions; p++) {
                    int[] o = coords(p, out);
                    for (int j = 0; j < f4; j++) {
                        int g = j / filters;
                        double sum = bias == null ? 0 : bias[j];
                        for (int k = 0; k < taps; k++) {
                            int[] tap = coords(k, size);
                            int[] pos = new int[rank];
                            int[] rpos = new int[rank];
                            for (int a = 0; a < rank; a++) {
                                pos[a] = o[a] * stride[a] + tap[a] * dilation[a] - left(a);
                                rpos[a] = o[a] + tap[a] - (size[a] - 1) / 2;
                            }
                            int xi = flat(pos, in);
                            for (int ch = 0; xi >= 0 && ch < channels; ch++) {
                                int di = (b * inputs + xi) * channels + ch;
                                double drop = inputDrop == null ? 1 : inputDrop[g][di];
                                sum += x[((b * time + at) * inputs + xi) * channels + ch] * drop
                                        * kernel[(k * channels + ch) * f4 + j];
                            }
                            int hi = flat(rpos, out);
                            for (int u = 0; hi >= 0 && u < filters; u++) {
                                int si = (b * positions + hi) * filters + u;
                                double drop = recurrentDrop == null ? 1 : recurrentDrop[g][si];
                                sum += h[si] * drop * recurrent[(k * filters + u) * f4 + j];
                            }
                        }
                        z[p * f4 + j] = sum;
                    }
                }
                for (int p = 0; p < positions; p++) {
                    for (int u = 0; u < filters; u++) {
                        int zi = p * f4 + u;
                        double i = recurrentActivation.applyAsDouble(z[zi]);
                        double f = recurrentActivation.applyAsDouble(z[zi + filters]);
                        double g = activation.applyAsDouble(z[zi + 2 * filters]);
                        double og = recurrentActivation.applyAsDouble(z[zi + 3 * filters]);
                        int si = (b * positions + p) * filters + u;
                        c[si] = f * c[si] + i * g;
                        h[si] = og * activation.applyAsDouble(c[si]);
                    }
                }
                System.arraycopy(h, b * state, sequence, base, state);
            }
            for (int b = 0; b < batch; b++) {
                System.arraycopy(sequence, (b * time + s) * state, previous, b * state, state);
            }
        }
        return this;
    }

    /** The last step's output of each sample, (B, out..., F). */
    double[] last() {
        int state = count(out()) * filters;
        double[] l = new double[batch * state];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(sequence, (b * time + time - 1) * state, l, b * state, state);
        }
        return l;
    }
}
