package io.rnn4j.layers;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The transposed convolution over several spatial axes, as {@code tf.nn.conv_transpose} (the
 * gradient of a convolution with respect to its input), of x {@code (n, input..., channels)} with a
 * kernel {@code (size..., filters, channels)} (Keras's Conv2DTranspose/Conv3DTranspose layout):
 * input position i sends {@code x[i]·W[k]ᵀ} to output position {@code i·stride + k·dilation − crop}
 * on each axis, and the output keeps positions {@code 0 ≤ o < output}. Read the other way round,
 * output o gathers, for each tap k, the input at {@code (o + crop − k·dilation) / stride} when that
 * divides exactly and lies inside the input, and a zero row otherwise.
 *
 * <p>Whether a tap divides exactly depends only on the output's phase, {@code (o + crop) mod
 * stride} per axis, so the outputs are computed phase by phase (the sub-grid decomposition of a
 * strided transpose): for each of the {@code stride^rank} phases an im2col of only the taps that
 * phase uses, then one GEMM with those taps' rows of the kernel viewed as {@code (taps·channels,
 * filters)} (the kernel's last two axes swapped by a gather of its few floats); one last gather puts
 * the phases' rows in output order (outputs of a phase no tap reaches read a zero row: the bias
 * alone). Gradients are the gathers' scatter-adds and the GEMMs'.
 *
 * <p>Cost: the gathers copy about {@code n·outputs·taps·channels / stride^rank} floats plus
 * {@code n·outputs·filters}, and the GEMMs do about {@code 2·n·outputs·taps·channels·filters /
 * stride^rank} flops, the useful work (the taps that read an input); backward twice the GEMMs and
 * scatter-adds of the gathered sizes. With strides 1 there is one phase and no reordering. The
 * indices of the last batch size are kept, so a model run on batches of one size computes them once.
 */
final class TransposedWindows {
    /** One phase's rows: its outputs per sample, the input row each of its taps reads per output, its taps' kernel rows. */
    private record Phase(int outputs, Tensor indices, Tensor kernelRows) {
    }

    /**
     * The phases (those with taps) for one device and leading size, and where each output's row lies
     * among a sample's joined phase rows: {@code order} for {@code chunk} samples at a time, {@code
     * tail} for the {@code n mod chunk} left (null when none; both null with one phase).
     */
    private record Plan(Device device, int n, Phase[] phases, int chunk, Tensor order, Tensor tail) {
    }

    private final String layer;
    private final int[] input;
    private final int[] output;
    private final int[] size;
    private final int[] stride;
    private final int[] dilation;
    private final int[] crop;
    /** The most rows one reorder gather reads: {@link Ops#MAX_GATHER_ROWS}, lower in tests to make chunks. */
    private final int reorderRows;
    private volatile Plan last;

    /**
     * @param layer  "Layer 't' (Conv2DTranspose)", for messages
     * @param input  the input's spatial shape
     * @param output the output's spatial shape (Keras's compute_conv_transpose_output_shape)
     * @param crop   per axis, the positions cut from the start of the full result ("same"'s padding)
     */
    TransposedWindows(String layer, int[] input, int[] output, int[] size, int[] stride, int[] dilation,
            int[] crop) {
        this(layer, input, output, size, stride, dilation, crop, Ops.MAX_GATHER_ROWS);
    }

    /** With the reorder split into gathers of at most {@code reorderRows} rows (tests). */
    TransposedWindows(String layer, int[] input, int[] output, int[] size, int[] stride, int[] dilation,
            int[] crop, int reorderRows) {
        this.reorderRows = reorderRows;
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
        return Arrays.equals(input, shape);
    }

    /** The transposed convolution of x {@code (n, input..., channels)}: {@code (n, output..., filters)}, no bias. */
    Variable convolve(Variable x, Variable kernel) {
        int n = x.dim(0);
        int channels = x.dim(x.shape().rank() - 1);
        int filters = kernel.dim(kernel.shape().rank() - 2);
        Plan plan = plan(x.device(), n, filters, channels);
        // Sizes spelled out, no -1: that cannot be inferred from 0 elements (an empty batch).
        Variable table = Ops.concat(0, Ops.reshape(x, n * count(input), channels),
                Variable.constant(x.device().zeros(1, channels)));
        Variable rows = Ops.reshape(kernel, count(size) * filters * channels, 1);
        int phases = plan.phases().length;
        Variable[] parts = new Variable[phases + (plan.order() == null ? 0 : 1)];
        int width = 1;
        for (int p = 0; p < phases; p++) {
            Phase ph = plan.phases()[p];
            int uses = ph.indices().dim(1);
            Variable windows = Ops.reshape(Ops.gather(table, ph.indices()), n * ph.outputs(), uses * channels);
            Variable k = Ops.reshape(Ops.gather(rows, ph.kernelRows()), uses * channels, filters);
            parts[p] = Ops.reshape(Ops.matmul(windows, k), n, ph.outputs(), filters);
            width += ph.outputs();
        }
        int[] shape = new int[output.length + 2];
        shape[0] = n;
        System.arraycopy(output, 0, shape, 1, output.length);
        shape[shape.length - 1] = filters;
        if (plan.order() == null) {
            return Ops.reshape(parts[0], shape);
        }
        // Per sample, its rows of every phase and a zero row (outputs no tap reaches), then reordered.
        parts[phases] = Variable.constant(x.device().zeros(n, 1, filters));
        Variable joined = Ops.reshape(Ops.concat(1, parts), n * width, filters);
        int chunk = plan.chunk();
        if (n <= chunk) {
            return Ops.reshape(Ops.gather(joined, plan.order()), shape);
        }
        // Float32 indices address rows exactly only below 2^24: the reorder goes a chunk of samples at a time.
        List<Variable> done = new ArrayList<>();
        for (int b = 0; b < n; b += chunk) {
            int samples = Math.min(chunk, n - b);
            done.add(Ops.gather(Ops.slice(joined, 0, b * width, samples * width),
                    samples == chunk ? plan.order() : plan.tail()));
        }
        return Ops.reshape(Ops.concat(0, done.toArray(new Variable[0])), shape);
    }

    /**
     * The phases of outputs {@code (n, output...)}: each phase's input rows {@code (n·outputs of the
     * phase, its taps)} into the {@code (n·inputs + 1, channels)} table (the last row zeros), its
     * kernel rows in {@code (taps, channels, filters)} order, and the row of a sample's joined phase
     * rows (then a zero row) each output takes (none with one phase, whose rows are already in output
     * order).
     */
    private Plan plan(Device device, int n, int filters, int channels) {
        Plan t = last;
        if (t != null && t.device() == device && t.n() == n) {
            return t;
        }
        int inputs = count(input);
        int outputs = count(output);
        int taps = count(size);
        if ((long) n * inputs + 1 > Ops.MAX_GATHER_ROWS || outputs + 1 > Ops.MAX_GATHER_ROWS
                || (long) n * outputs * taps > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(layer + ": " + n + " inputs of " + GridWindows.tuple(input)
                    + " positions (outputs of " + GridWindows.tuple(output) + ") are too many for its window "
                    + "indices (the input positions of a call, and the output positions of a sample, must stay below "
                    + Ops.MAX_GATHER_ROWS + ", 2^24); predict in smaller batches");
        }
        int rank = input.length;
        int phases = count(stride);
        // Each output's phase and its place among its phase's outputs.
        int[] phaseOf = new int[outputs];
        int[] placeIn = new int[outputs];
        int[] outputsOf = new int[phases];
        int[] o = new int[rank];
        for (int out = 0; out < outputs; out++) {
            unravel(out, output, o);
            int p = 0;
            for (int a = 0; a < rank; a++) {
                p = p * stride[a] + Math.floorMod(o[a] + crop[a], stride[a]);
            }
            phaseOf[out] = p;
            placeIn[out] = outputsOf[p]++;
        }
        List<Phase> kept = new ArrayList<>();
        int[] firstRow = new int[phases];
        int rowsSoFar = 0;
        int[] j = new int[rank];
        int[] r = new int[rank];
        for (int p = 0; p < phases; p++) {
            unravel(p, stride, r);
            // The taps this phase uses: on each axis, those with (phase − k·dilation) divisible by stride.
            int[] used = new int[taps];
            int uses = 0;
            for (int tap = 0; tap < taps; tap++) {
                unravel(tap, size, j);
                boolean divides = true;
                for (int a = 0; a < rank && divides; a++) {
                    divides = Math.floorMod(r[a] - j[a] * dilation[a], stride[a]) == 0;
                }
                if (divides) {
                    used[uses++] = tap;
                }
            }
            firstRow[p] = -1;
            if (outputsOf[p] == 0 || uses == 0) {
                continue;
            }
            firstRow[p] = rowsSoFar;
            rowsSoFar += outputsOf[p];
            float[] idx = new float[n * outputsOf[p] * uses];
            int at = 0;
            for (int b = 0; b < n; b++) {
                for (int out = 0; out < outputs; out++) {
                    if (phaseOf[out] != p) {
                        continue;
                    }
                    unravel(out, output, o);
                    for (int u = 0; u < uses; u++) {
                        unravel(used[u], size, j);
                        int row = 0;
                        for (int a = 0; a < rank && row >= 0; a++) {
                            int i = Math.floorDiv(o[a] + crop[a] - j[a] * dilation[a], stride[a]);
                            row = i < 0 || i >= input[a] ? -1 : row * input[a] + i;
                        }
                        idx[at++] = row < 0 ? n * inputs : b * inputs + row;
                    }
                }
            }
            kept.add(new Phase(outputsOf[p], device.tensor(idx, n * outputsOf[p], uses),
                    kernelRows(device, used, uses, filters, channels)));
        }
        int width = rowsSoFar + 1;
        int chunk = Math.max(1, Math.min(n, reorderRows / width));
        Tensor order = null;
        Tensor tail = null;
        if (phases > 1) {
            // Row rowsSoFar of a sample is its zero row: outputs no tap reaches (a kernel smaller than the strides).
            int[] rowOf = new int[outputs];
            for (int out = 0; out < outputs; out++) {
                int p = phaseOf[out];
                rowOf[out] = firstRow[p] < 0 ? rowsSoFar : firstRow[p] + placeIn[out];
            }
            order = order(device, rowOf, width, Math.min(n, chunk));
            tail = n > chunk && n % chunk != 0 ? order(device, rowOf, width, n % chunk) : null;
        }
        t = new Plan(device, n, kept.toArray(new Phase[0]), chunk, order, tail);
        last = t;
        return t;
    }

    /** For {@code samples} samples of {@code width} joined rows each, the row each output takes, in output order. */
    private static Tensor order(Device device, int[] rowOf, int width, int samples) {
        float[] ord = new float[samples * rowOf.length];
        for (int b = 0; b < samples; b++) {
            for (int out = 0; out < rowOf.length; out++) {
                ord[b * rowOf.length + out] = b * width + rowOf[out];
            }
        }
        return device.tensor(ord, ord.length);
    }

    /**
     * Indices taking the rows of a {@code (taps, filters, channels)} kernel's {@code used} taps to
     * {@code (used taps, channels, filters)} order.
     */
    private static Tensor kernelRows(Device d, int[] used, int uses, int filters, int channels) {
        float[] idx = new float[uses * channels * filters];
        int at = 0;
        for (int u = 0; u < uses; u++) {
            for (int c = 0; c < channels; c++) {
                for (int f = 0; f < filters; f++) {
                    idx[at++] = (used[u] * filters + f) * channels + c;
                }
            }
        }
        return d.tensor(idx, idx.length, 1);
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
