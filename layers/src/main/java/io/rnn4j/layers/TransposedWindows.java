package io.rnn4j.layers;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;

/**
 * The transposed convolution over several spatial axes, as {@code tf.nn.conv_transpose} (the
 * gradient of a convolution with respect to its input), of x {@code (n, input..., channels)} with a
 * kernel {@code (size..., filters, channels)} (Keras's Conv2DTranspose/Conv3DTranspose layout):
 * input position i sends {@code x[i]·W[k]ᵀ} to output position {@code i·stride + k·dilation − crop}
 * on each axis, and the output keeps positions {@code 0 ≤ o < output}. Read the other way round,
 * output o gathers, for each tap k, the input at {@code (o + crop − k·dilation) / stride} when that
 * divides exactly and lies inside the input, and a zero row otherwise: an im2col over the
 * stride-dilated input, then one GEMM with the kernel viewed as {@code (taps·channels, filters)}
 * (the kernel's last two axes swapped by a gather of its few floats). Gradients are the gather's
 * scatter-add and the GEMM's.
 *
 * <p>Cost: the gather copies {@code n·outputs·taps·channels} floats and the GEMM does
 * {@code 2·n·outputs·taps·channels·filters} flops, about {@code strides^rank} times the useful
 * work, since most taps of an output read the zero row when strides are above 1; backward twice the
 * GEMM and a scatter-add of the gathered size. The 1-D layer has a tighter path ({@link
 * Ops#conv1dTranspose}, one GEMM per tap into strided views), which needs a view with one stride
 * per axis that the engine does not have for several axes. The indices of the last batch size are
 * kept, so a model run on batches of one size computes them once.
 */
final class TransposedWindows {
    /** The row each tap of each output reads, for one device and leading size. */
    private record Taps(Device device, int n, Tensor indices) {
    }

    private final String layer;
    private final int[] input;
    private final int[] output;
    private final int[] size;
    private final int[] stride;
    private final int[] dilation;
    private final int[] crop;
    private volatile Taps last;

    /**
     * @param layer  "Layer 't' (Conv2DTranspose)", for messages
     * @param input  the input's spatial shape
     * @param output the output's spatial shape (Keras's compute_conv_transpose_output_shape)
     * @param crop   per axis, the positions cut from the start of the full result ("same"'s padding)
     */
    TransposedWindows(String layer, int[] input, int[] output, int[] size, int[] stride, int[] dilation,
            int[] crop) {
        this.layer = layer;
        this.input = input.clone();
        this.output = output.clone();
        this.size = size.clone();
        this.stride = stride.clone();
        this.dilation = dilation.clone();
        this.crop = crop.clone();
    }

    /** Whether these are the windows of a spatial input of {@code shape}. */
    boolean fits(int[] shape) {
        return java.util.Arrays.equals(input, shape);
    }

    /** The transposed convolution of x {@code (n, input..., channels)}: {@code (n, output..., filters)}, no bias. */
    Variable convolve(Variable x, Variable kernel) {
        int n = x.dim(0);
        int channels = x.dim(x.shape().rank() - 1);
        int filters = kernel.dim(kernel.shape().rank() - 2);
        int taps = count(size);
        Tensor idx = taps(x.device(), n).indices();
        // Sizes spelled out, no -1: that cannot be inferred from 0 elements (an empty batch).
        Variable table = Ops.concat(0, Ops.reshape(x, n * count(input), channels),
                Variable.constant(x.device().zeros(1, channels)));
        Variable windows = Ops.reshape(Ops.gather(table, idx), idx.dim(0), taps * channels);
        Variable k = Ops.reshape(Ops.gather(Ops.reshape(kernel, taps * filters * channels, 1),
                swapLast(x.device(), taps, filters, channels)), taps * channels, filters);
        int[] shape = new int[output.length + 2];
        shape[0] = n;
        System.arraycopy(output, 0, shape, 1, output.length);
        shape[shape.length - 1] = filters;
        return Ops.reshape(Ops.matmul(windows, k), shape);
    }

    /** Indices taking a {@code (taps, filters, channels)} kernel's rows to {@code (taps, channels, filters)} order. */
    private static Tensor swapLast(Device d, int taps, int filters, int channels) {
        float[] idx = new float[taps * channels * filters];
        int at = 0;
        for (int k = 0; k < taps; k++) {
            for (int c = 0; c < channels; c++) {
                for (int f = 0; f < filters; f++) {
                    idx[at++] = (k * filters + f) * channels + c;
                }
            }
        }
        return d.tensor(idx, idx.length, 1);
    }

    /** The indices {@code (n·outputs, taps)} into the {@code (n·inputs + 1, channels)} table, the last row zeros. */
    private Taps taps(Device device, int n) {
        Taps t = last;
        if (t != null && t.device() == device && t.n() == n) {
            return t;
        }
        int inputs = count(input);
        int outputs = count(output);
        int taps = count(size);
        if ((long) n * inputs + 1 > Ops.MAX_GATHER_ROWS || (long) n * outputs * taps > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(layer + ": " + n + " inputs of " + GridWindows.tuple(input)
                    + " positions are too many for its window indices (the positions of a call must stay below "
                    + Ops.MAX_GATHER_ROWS + ", 2^24); predict in smaller batches");
        }
        int rank = input.length;
        float[] idx = new float[n * outputs * taps];
        int[] o = new int[rank];
        int[] j = new int[rank];
        int at = 0;
        for (int b = 0; b < n; b++) {
            for (int out = 0; out < outputs; out++) {
                unravel(out, output, o);
                for (int tap = 0; tap < taps; tap++) {
                    unravel(tap, size, j);
                    int row = 0;
                    for (int a = 0; a < rank && row >= 0; a++) {
                        int p = o[a] + crop[a] - j[a] * dilation[a];
                        int i = Math.floorDiv(p, stride[a]);
                        row = Math.floorMod(p, stride[a]) != 0 || i < 0 || i >= input[a] ? -1 : row * input[a] + i;
                    }
                    idx[at++] = row < 0 ? n * inputs : b * inputs + row;
                }
            }
        }
        t = new Taps(device, n, device.tensor(idx, n * outputs, taps));
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
}
