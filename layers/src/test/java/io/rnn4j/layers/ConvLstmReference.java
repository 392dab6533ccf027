package io.rnn4j.layers;

import java.util.function.DoubleUnaryOperator;

/**
 * Keras's ConvLSTM1D written out in float64 with plain loops, independently of the layer's code
 * (keras/src/layers/rnn/conv_lstm.py ConvLSTMCell.call and the TensorFlow backend's rnn loop):
 * per time step {@code x_g = conv(x·dropout_g, kernel_g) + bias_g}, {@code h_g = conv(h·rec_dropout_g,
 * recurrent_g, stride 1, "same")}, {@code i, f, o = σr(x + h)}, {@code c' = f·c + i·σ(x_c + h_c)},
 * {@code h' = o·σ(c')}; a masked step keeps h and c and outputs the previous output (zeros with
 * zero_output_for_mask). Output lengths and TensorFlow's padding are worked out here from their
 * formulas, not from the layer's Windows. Tensors are row-major float arrays: x (B, T, S, C),
 * kernel (K, C, 4F), recurrent (K, F, 4F).
 */
final class ConvLstmReference {
    int batch;
    int time;
    int steps;
    int channels;
    int filters;
    int size;
    int stride = 1;
    int dilation = 1;
    String padding = "valid";
    boolean backwards;
    boolean zeroOutputForMask;
    DoubleUnaryOperator activation = Math::tanh;
    DoubleUnaryOperator recurrentActivation = v -> 1 / (1 + Math.exp(-v));
    float[] x;
    float[] kernel;
    float[] recurrent;
    float[] bias;       // null without use_bias
    float[] h0;         // (B, S', F) or null for zeros
    float[] c0;
    float[] mask;       // (B, T) or null
    float[][] inputDrop;     // 4 multipliers of (B, S, C), or null
    float[][] recurrentDrop; // 4 multipliers of (B, S', F), or null

    /** Results of {@link #run()}: every step's output in processing order, the final h and c. */
    double[] sequence;
    double[] h;
    double[] c;

    ConvLstmReference(int batch, int time, int steps, int channels, int filters, int size) {
        this.batch = batch;
        this.time = time;
        this.steps = steps;
        this.channels = channels;
        this.filters = filters;
        this.size = size;
    }

    /** Keras's output length: floor((S − reach) / stride) + 1 for "valid", ceil(S / stride) for "same". */
    int outSteps() {
        int reach = (size - 1) * dilation + 1;
        return padding.equals("valid") ? (int) Math.floor((steps - reach) / (double) stride) + 1
                : (int) Math.ceil(steps / (double) stride);
    }

    /** TensorFlow's "same": the padding in all, half (rounded down) before the first step. */
    private int left() {
        int reach = (size - 1) * dilation + 1;
        return padding.equals("valid") ? 0 : Math.max((outSteps() - 1) * stride + reach - steps, 0) / 2;
    }

    ConvLstmReference run() {
        int out = outSteps();
        int f4 = 4 * filters;
        int state = out * filters;
        h = new double[batch * state];
        c = new double[batch * state];
        for (int i = 0; i < h.length; i++) {
            h[i] = h0 == null ? 0 : h0[i];
            c[i] = c0 == null ? 0 : c0[i];
        }
        sequence = new double[batch * time * state];
        double[] previous = new double[batch * state];
        int left = left();
        int recurrentLeft = (size - 1) / 2;
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
                double[] z = new double[out * f4];
                for (int o = 0; o < out; o++) {
                    for (int j = 0; j < f4; j++) {
                        int g = j / filters;
                        double sum = bias == null ? 0 : bias[j];
                        for (int k = 0; k < size; k++) {
                            int pos = o * stride + k * dilation - left;
                            for (int ch = 0; pos >= 0 && pos < steps && ch < channels; ch++) {
                                int xi = (b * steps + pos) * channels + ch;
                                double drop = inputDrop == null ? 1 : inputDrop[g][xi];
                                sum += x[((b * time + at) * steps + pos) * channels + ch] * drop
                                        * kernel[(k * channels + ch) * f4 + j];
                            }
                        }
                        for (int k = 0; k < size; k++) {
                            int pos = o + k - recurrentLeft;
                            for (int u = 0; pos >= 0 && pos < out && u < filters; u++) {
                                int hi = (b * out + pos) * filters + u;
                                double drop = recurrentDrop == null ? 1 : recurrentDrop[g][hi];
                                sum += h[hi] * drop * recurrent[(k * filters + u) * f4 + j];
                            }
                        }
                        z[o * f4 + j] = sum;
                    }
                }
                for (int o = 0; o < out; o++) {
                    for (int u = 0; u < filters; u++) {
                        int zi = o * f4 + u;
                        double i = recurrentActivation.applyAsDouble(z[zi]);
                        double f = recurrentActivation.applyAsDouble(z[zi + filters]);
                        double g = activation.applyAsDouble(z[zi + 2 * filters]);
                        double og = recurrentActivation.applyAsDouble(z[zi + 3 * filters]);
                        int si = (b * out + o) * filters + u;
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

    /** The last step's output of each sample, (B, S', F). */
    double[] last() {
        int state = outSteps() * filters;
        double[] l = new double[batch * state];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(sequence, (b * time + time - 1) * state, l, b * state, state);
        }
        return l;
    }
}
