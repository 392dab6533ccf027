package io.rnn4j.layers;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;

/**
 * The windows of a convolution over several spatial axes ({@code (n, d1, ..., dk, channels)},
 * channels_last), each axis with {@link Windows}'s TensorFlow arithmetic for its size, stride,
 * dilation and "valid"/"same" padding, and the convolution computed from them as im2col: one gather
 * lays every window out flat, {@code (n·outputs, taps·channels)}, and one GEMM applies a kernel
 * {@code (k1, ..., kk, channels, filters)} viewed as {@code (taps·channels, filters)} — the row order
 * of Keras's kernel, so no transposition. A tap in the padding reads a zero row appended after the
 * input's rows. The indices of the last batch size are kept, so a model run on batches of one size
 * computes them once.
 *
 * <p>Cost: {@code 2·n·outputs·taps·channels·filters} flops in the GEMM; the gathered copy is
 * {@code n·outputs·taps·channels} floats (the input once more per tap), plus the zero row appended
 * (a copy of the input) when a tap reads the padding. Backward: twice the GEMM's flops and a
 * scatter-add of the same size. Used by ConvLSTM2D and ConvLSTM3D, where no shifted-view kernel
 * like {@link Ops#conv1d} exists for several axes.
 */
final class GridWindows {
    /** The row each tap of each window reads, for one device and leading size. */
    private record Taps(Device device, int n, Tensor indices, boolean readsPadding) {
    }

    private final String layer;
    private final int[] size;
    private final int[] input;
    private final int[] output;
    private final Windows[] axes;
    private volatile Taps last;

    /**
     * Windows over an input of spatial shape {@code input}.
     *
     * @param layer   "Layer 'c' (ConvLSTM2D)", for messages
     * @param padding "valid" or "same", already checked
     * @throws IllegalArgumentException naming the layer when an axis gives no output ("valid"
     *                                  windows larger than the input), as Keras refuses it
     */
    GridWindows(String layer, int[] input, int[] size, int[] stride, int[] dilation, String padding) {
        this.layer = layer;
        this.size = size.clone();
        this.input = input.clone();
        this.axes = new Windows[input.length];
        this.output = new int[input.length];
        for (int a = 0; a < input.length; a++) {
            axes[a] = new Windows(layer, size[a], stride[a], dilation[a], padding, Windows.Outside.EXTRA_ROW);
            output[a] = axes[a].outSteps(input[a]);
        }
        for (int a = 0; a < input.length; a++) {
            // An empty axis with "same" gives an empty output, as in Keras and TensorFlow; else none is an error.
            if (output[a] == 0 && !(input[a] == 0 && padding.equals("same"))) {
                int[] reach = new int[input.length];
                for (int b = 0; b < reach.length; b++) {
                    reach[b] = axes[b].reach();
                }
                throw new IllegalArgumentException(layer + ": a spatial input of " + tuple(input) + " gives no "
                        + "output on axis " + (a + 1) + " with padding '" + padding + "': a window spans "
                        + tuple(reach) + " (kernel_size " + tuple(size) + ", dilation_rate " + tuple(dilation)
                        + "); Keras refuses it too (\"Computed output size would be zero or negative\")");
            }
        }
    }

    /** The output's spatial shape. */
    int[] output() {
        return output.clone();
    }

    /**
     * The convolution of x {@code (n, input..., channels)} by a kernel {@code (size..., channels,
     * filters)}: {@code (n, output..., filters)}, no bias.
     */
    Variable convolve(Variable x, Variable kernel) {
        int n = x.dim(0);
        int channels = x.dim(x.shape().rank() - 1);
        int filters = kernel.dim(kernel.shape().rank() - 1);
        Taps taps = taps(x.device(), n);
        // Sizes spelled out, no -1: that cannot be inferred from 0 elements (an empty batch or input).
        Variable table = Ops.reshape(x, n * count(input), channels);
        if (taps.readsPadding()) {
            table = Ops.concat(0, table, Variable.constant(x.device().zeros(1, channels)));
        }
        Tensor idx = taps.indices();
        Variable windows = Ops.reshape(Ops.gather(table, idx), idx.dim(0), idx.dim(1) * channels);
        Variable y = Ops.matmul(windows, Ops.reshape(kernel, idx.dim(1) * channels, filters));
        int[] shape = new int[output.length + 2];
        shape[0] = n;
        System.arraycopy(output, 0, shape, 1, output.length);
        shape[shape.length - 1] = filters;
        return Ops.reshape(y, shape);
    }

    /** The indices {@code (n·outputs, taps)} into the {@code (n·inputs [+ 1], channels)} table. */
    private Taps taps(Device device, int n) {
        Taps t = last;
        if (t != null && t.device() == device && t.n() == n) {
            return t;
        }
        int inputs = count(input);
        int outputs = count(output);
        int taps = count(size);
        long rows = (long) n * inputs + 1;
        if (rows > Ops.MAX_GATHER_ROWS || (long) n * outputs * taps > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(layer + ": " + n + " inputs of " + tuple(input) + " positions are "
                    + "too many for its window indices (the positions of a call must stay below "
                    + Ops.MAX_GATHER_ROWS + ", 2^24); predict in smaller batches");
        }
        int k = input.length;
        int[] left = new int[k];
        for (int a = 0; a < k; a++) {
            left[a] = axes[a].padLeft(input[a]);
        }
        float[] idx = new float[n * outputs * taps];
        boolean readsPadding = false;
        int[] o = new int[k];
        int[] j = new int[k];
        int at = 0;
        for (int b = 0; b < n; b++) {
            for (int out = 0; out < outputs; out++) {
                unravel(out, output, o);
                for (int tap = 0; tap < taps; tap++) {
                    unravel(tap, size, j);
                    int row = 0;
                    boolean inside = true;
                    for (int a = 0; a < k && inside; a++) {
                        int pos = o[a] * axes[a].stride() - left[a] + j[a] * axes[a].dilation();
                        inside = pos >= 0 && pos < input[a];
                        row = row * input[a] + pos;
                    }
                    readsPadding |= !inside;
                    idx[at++] = inside ? b * inputs + row : n * inputs;
                }
            }
        }
        t = new Taps(device, n, device.tensor(idx, n * outputs, taps), readsPadding);
        last = t;
        return t;
    }

    /** The row-major coordinates of flat index {@code i} in {@code shape}, into {@code into}. */
    private static void unravel(int i, int[] shape, int[] into) {
        for (int a = shape.length - 1; a >= 0; a--) {
            into[a] = i % shape[a];
            i /= shape[a];
        }
    }

    private static int count(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Keras's way of printing a tuple: {@code (3, 3)}. */
    static String tuple(int[] values) {
        return Arrays.toString(values).replace('[', '(').replace(']', ')');
    }
}
