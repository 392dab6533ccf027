package io.rnn4j.layers;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
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
 * like {@link Ops#conv1d} exists for several axes, and by Conv2D/Conv3D ({@link #convolve(Variable,
 * Variable, int)}, by groups), DepthwiseConv2D and SeparableConv2D ({@link #depthwise}).
 *
 * <p>The poolings use the same windows: {@link #max} is one {@link Ops#windowMax} over the gathered
 * taps, its padding taps reading the nearest real position of their window on each axis ({@link
 * Windows.Outside#NEAREST}, a duplicate that cannot change a max, as TensorFlow's -inf padding
 * never wins) or a -inf row; {@link #average} sums the gathered taps (padding reads the zero row) and divides by
 * the real taps of each window, as TensorFlow's average pooling counts them. Each reads
 * {@code n·outputs·taps·channels} floats and does as many additions or comparisons.
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
    private final Windows.Outside outside;
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
        this(layer, input, size, stride, dilation, padding, Windows.Outside.EXTRA_ROW);
    }

    /**
     * A pooling's windows (no dilation), whose taps in the padding read {@code outside}: the zero
     * row (average) or the nearest real position of the window (max).
     */
    GridWindows(String layer, int[] input, int[] poolSize, int[] stride, String padding, Windows.Outside outside) {
        this(layer, input, poolSize, stride, null, padding, outside);
    }

    /** @param dilation null for a pooling's (1 on every axis, and its messages name pool_size) */
    private GridWindows(String layer, int[] input, int[] size, int[] stride, int[] dilation, String padding,
            Windows.Outside outside) {
        this.layer = layer;
        this.outside = outside;
        this.size = size.clone();
        this.input = input.clone();
        this.axes = new Windows[input.length];
        this.output = new int[input.length];
        for (int a = 0; a < input.length; a++) {
            axes[a] = new Windows(layer, size[a], stride[a], dilation == null ? 1 : dilation[a], padding,
                    Windows.Outside.EXTRA_ROW);
            output[a] = axes[a].outSteps(input[a]);
        }
        outShape(layer, input, size, dilation, padding, output);
    }

    /**
     * The output's spatial shape for an input of {@code input} (None axes give None), as Keras's
     * compute_conv_output_shape and compute_pooling_output_shape; the windows' per-axis sizes
     * are already in {@code output}, this refuses a known axis that gives none.
     */
    private static void outShape(String layer, int[] input, int[] size, int[] dilation, String padding,
            int[] output) {
        boolean pooling = dilation == null;
        for (int a = 0; a < input.length; a++) {
            // An empty axis with "same" gives an empty output, as in Keras and TensorFlow; else none is an error.
            if (output[a] == 0 && !(input[a] == 0 && padding.equals("same"))) {
                int[] reach = new int[input.length];
                for (int b = 0; b < reach.length; b++) {
                    reach[b] = pooling ? size[b] : (size[b] - 1) * dilation[b] + 1;
                }
                throw new IllegalArgumentException(layer + ": a spatial input of " + shown(input) + " gives no "
                        + "output on axis " + (a + 1) + " with padding '" + padding + "': a window spans "
                        + tuple(reach) + (pooling ? " (pool_size " + tuple(size) : " (kernel_size " + tuple(size)
                        + ", dilation_rate " + tuple(dilation)) + "); Keras refuses it too (\"Computed output size "
                        + "would be zero or negative\")");
            }
        }
    }

    /**
     * The output's spatial shape for an input of {@code input}, None axes ({@link Shape#UNKNOWN})
     * giving None, without making the windows.
     *
     * @param dilation null for a pooling's (1 on every axis; its messages name pool_size)
     * @throws IllegalArgumentException naming the layer when a known axis gives no output
     */
    static int[] outputFor(String layer, int[] input, int[] size, int[] stride, int[] dilation, String padding) {
        int[] output = new int[input.length];
        for (int a = 0; a < input.length; a++) {
            output[a] = new Windows(layer, size[a], stride[a], dilation == null ? 1 : dilation[a], padding,
                    Windows.Outside.EXTRA_ROW).outSteps(input[a]);
        }
        outShape(layer, input, size, dilation, padding, output);
        return output;
    }

    /** Whether these are the windows of a spatial input of {@code shape}. */
    boolean fits(int[] shape) {
        return Arrays.equals(input, shape);
    }

    /**
     * Keras's standardize_tuple: one value for every axis or one per axis, each >= 1.
     *
     * @throws IllegalArgumentException naming the layer and the option otherwise
     */
    static int[] tuple(String layer, String option, int rank, int... values) {
        if (values == null || (values.length != 1 && values.length != rank)) {
            throw new IllegalArgumentException(layer + ": " + option + " must hold 1 or " + rank + " integers, got "
                    + (values == null ? "null" : Arrays.toString(values)));
        }
        int[] t = new int[rank];
        for (int a = 0; a < rank; a++) {
            t[a] = Windows.positive(layer, option, values[values.length == 1 ? 0 : a]);
        }
        return t;
    }

    /** Keras's BaseConv check: any stride above 1 with any dilation rate above 1 is refused. */
    static void requireStridesOrDilation(String layer, int[] strides, int[] dilation) {
        if (Arrays.stream(strides).max().orElse(1) > 1 && Arrays.stream(dilation).max().orElse(1) > 1) {
            throw new IllegalArgumentException(layer + ": strides > 1 is not supported together with dilation_rate > 1 "
                    + "(as in Keras), got strides=" + tuple(strides) + " and dilation_rate=" + tuple(dilation));
        }
    }

    /** A spatial shape as Keras prints it, None for an unknown axis. */
    static String shown(int[] shape) {
        StringBuilder b = new StringBuilder("(");
        for (int a = 0; a < shape.length; a++) {
            b.append(a > 0 ? ", " : "").append(shape[a] == Shape.UNKNOWN ? "None" : String.valueOf(shape[a]));
        }
        return b.append(")").toString();
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
        Tensor idx = taps(x.device(), n).indices();
        Variable windows = Ops.reshape(Ops.gather(table(x, channels, 0f), idx), idx.dim(0), idx.dim(1) * channels);
        Variable y = Ops.matmul(windows, Ops.reshape(kernel, idx.dim(1) * channels, filters));
        return Ops.reshape(y, outShape(n, filters));
    }

    /**
     * The convolution by {@code groups} independent channel groups (Keras's groups): the channels
     * and the filters of the kernel {@code (size..., channels / groups, filters)} split into that
     * many parts, each part's windows times its slice of the kernel; one gather for all groups,
     * one GEMM per group.
     */
    Variable convolve(Variable x, Variable kernel, int groups) {
        if (groups == 1) {
            return convolve(x, kernel);
        }
        int n = x.dim(0);
        int channels = x.dim(x.shape().rank() - 1);
        int c = channels / groups;
        int filters = kernel.dim(kernel.shape().rank() - 1);
        int f = filters / groups;
        Tensor idx = taps(x.device(), n).indices();
        int rows = idx.dim(0);
        int taps = idx.dim(1);
        Variable windows = Ops.gather(table(x, channels, 0f), idx); // (rows, taps, channels)
        Variable k = Ops.reshape(kernel, taps, c, filters);
        Variable[] parts = new Variable[groups];
        for (int g = 0; g < groups; g++) {
            Variable w = Ops.reshape(Ops.slice(windows, 2, g * c, c), rows, taps * c);
            parts[g] = Ops.matmul(w, Ops.reshape(Ops.slice(k, 2, g * f, f), taps * c, f));
        }
        return Ops.reshape(Ops.concat(1, parts), outShape(n, filters));
    }

    /**
     * The depthwise convolution of x {@code (n, input..., channels)} by a kernel {@code (size...,
     * channels, multiplier)} (Keras's DepthwiseConv2D layout): each channel convolved on its own
     * with {@code multiplier} kernels, {@code (n, output..., channels·multiplier)}, output channel
     * {@code c·multiplier + m}, no bias. The gathered windows {@code (rows, taps, channels, 1)} times
     * the kernel with broadcasting, summed over the taps: {@code rows·taps·channels·multiplier}
     * multiply-adds for all channels at once, where {@link #convolve(Variable, Variable, int)} with
     * one group per channel would run one GEMM of inner size taps per channel. At stride 1 and
     * multiplier 1 in 2-D, {@link Ops#depthwiseConv2d} instead: no gathered copy of the windows.
     */
    Variable depthwise(Variable x, Variable kernel) {
        int n = x.dim(0);
        int channels = x.dim(x.shape().rank() - 1);
        int multiplier = kernel.dim(kernel.shape().rank() - 1);
        if (shiftable(multiplier)) {
            // Long contiguous multiply-adds instead of a gather of 32-float rows: 2.2x faster at 8x32x32x32, 3x3.
            return Ops.depthwiseConv2d(x, Ops.reshape(kernel, size[0], size[1], channels),
                    new int[] {axes[0].dilation(), axes[1].dilation()}, padding2d());
        }
        Tensor idx = taps(x.device(), n).indices();
        Variable windows = Ops.reshape(Ops.gather(table(x, channels, 0f), idx), idx.dim(0), idx.dim(1), channels, 1);
        Variable y = Ops.sum(Ops.mul(windows, Ops.reshape(kernel, idx.dim(1), channels, multiplier)), 1, false);
        return Ops.reshape(y, outShape(n, channels * multiplier));
    }

    /** Whether {@link Ops#depthwiseConv2d} computes this depthwise convolution: 2-D, stride 1, multiplier 1. */
    private boolean shiftable(int multiplier) {
        return multiplier == 1 && input.length == 2 && axes[0].stride() == 1 && axes[1].stride() == 1;
    }

    /** The zero padding (top, bottom, left, right) of a stride-1 2-D window: TensorFlow's, from {@link Windows}. */
    private int[] padding2d() {
        int[] p = new int[4];
        for (int a = 0; a < 2; a++) {
            int before = axes[a].padLeft(input[a]);
            p[2 * a] = before;
            p[2 * a + 1] = output[a] + (size[a] - 1) * axes[a].dilation() - input[a] - before;
        }
        return p;
    }

    /**
     * The largest value of each window, per channel: {@code (n, output..., channels)}. The gradient
     * goes to each window's first max (windows whose padding reads the nearest real position), as
     * TensorFlow's traced max poolings and JAX's send it.
     */
    Variable max(Variable x) {
        int n = x.dim(0);
        int channels = x.dim(x.shape().rank() - 1);
        Tensor idx = taps(x.device(), n).indices();
        Variable m = Ops.windowMax(table(x, channels, 0f), idx);
        return Ops.reshape(m, outShape(n, channels));
    }

    /** The mean of each window's real taps, per channel: {@code (n, output..., channels)}. */
    Variable average(Variable x) {
        int n = x.dim(0);
        int channels = x.dim(x.shape().rank() - 1);
        Variable sums = Ops.sum(Ops.gather(table(x, channels, 0f), taps(x.device(), n).indices()), 1, false);
        int outputs = count(output);
        // Divided (not multiplied by a reciprocal), as TensorFlow's kernel does.
        Variable mean = Ops.div(Ops.reshape(sums, n, outputs, channels), Variable.constant(counts(x.device())));
        return Ops.reshape(mean, outShape(n, channels));
    }

    /** How many real taps each output's window holds, {@code (outputs, 1)}. */
    private Tensor counts(Device device) {
        int outputs = count(output);
        float[] c = new float[outputs];
        int[] o = new int[input.length];
        for (int out = 0; out < outputs; out++) {
            unravel(out, output, o);
            long real = 1;
            for (int a = 0; a < input.length; a++) {
                int start = o[a] * axes[a].stride() - axes[a].padLeft(input[a]);
                real *= Math.min(start + axes[a].reach(), input[a]) - Math.max(start, 0);
            }
            c[out] = real;
        }
        return device.tensor(c, outputs, 1);
    }

    /** x as rows {@code (n·inputs, channels)}, with a row of {@code pad} appended when a tap reads it. */
    private Variable table(Variable x, int channels, float pad) {
        int n = x.dim(0);
        // Sizes spelled out, no -1: that cannot be inferred from 0 elements (an empty batch or input).
        Variable table = Ops.reshape(x, n * count(input), channels);
        if (taps(x.device(), n).readsPadding()) {
            table = Ops.concat(0, table, Variable.constant(x.device().full(Shape.of(1, channels), pad)));
        }
        return table;
    }

    private int[] outShape(int n, int channels) {
        int[] shape = new int[output.length + 2];
        shape[0] = n;
        System.arraycopy(output, 0, shape, 1, output.length);
        shape[shape.length - 1] = channels;
        return shape;
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
                    for (int a = 0; a < k && (inside || outside == Windows.Outside.NEAREST); a++) {
                        int start = o[a] * axes[a].stride() - left[a];
                        int pos = start + j[a] * axes[a].dilation();
                        if (pos < 0 || pos >= input[a]) {
                            inside = false;
                            // A window always holds a real position on each axis (TF pads less than a window).
                            pos = Math.clamp(pos, Math.max(start, 0), Math.min(start + axes[a].reach(), input[a]) - 1);
                        }
                        row = row * input[a] + pos;
                    }
                    boolean zeroRow = !inside && outside == Windows.Outside.EXTRA_ROW;
                    readsPadding |= zeroRow;
                    idx[at++] = zeroRow ? n * inputs : b * inputs + row;
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
