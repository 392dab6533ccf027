package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.random.RandomGenerator;

/**
 * Keras's Conv1D: a temporal convolution (a cross-correlation, as Keras's) over
 * {@code (batch, steps, channels)} inputs, {@code activation(conv(x, kernel) + bias)}, giving
 * {@code (batch, new_steps, filters)}. Weights: kernel {@code (kernel_size, channels / groups,
 * filters)}, bias {@code (filters)}, as Keras lays them out.
 *
 * <p>Options and defaults are Keras 3's: strides 1, padding "valid" ("same": TensorFlow's split,
 * the extra step of padding on the right; "causal": {@code (kernel_size - 1)·dilation_rate} steps on
 * the left, so that output t sees no input after t), dilation_rate 1 (a stride and a dilation rate
 * both above 1 are refused, as Keras does), groups 1 (input channels and filters split into that
 * many independent convolutions), linear activation, bias on, glorot_uniform kernel, zeros bias.
 * Only Keras's "channels_last" layout exists here. Like Keras 3's Conv1D it drops an incoming mask
 * with Keras's warning (it does not support masking) and binds only the channel axis: inputs of
 * any length go through, None steps giving None.
 *
 * <p>With strides 1 and one group (the common case) computed as one GEMM per kernel tap, each over
 * the padded input shifted by that tap, into one result ({@link Ops#conv1d}): about the cost of
 * one GEMM, no copy of the input per tap. Otherwise as im2col and one GEMM (per group): the
 * input's rows (plus a zero row for the padding) are gathered into
 * {@code (batch·new_steps, kernel_size·channels)} and multiplied by the kernel viewed as
 * {@code (kernel_size·channels, filters)}; backward is the GEMM's and a scatter-add. That copies
 * each input value about {@code kernel_size / strides} times.
 */
public final class Conv1D extends KernelConv1DBase<Conv1D> {
    private int groups = 1;
    private Weight kernel;

    /** {@code filters} output channels from windows of {@code kernelSize} steps, linear activation. */
    public Conv1D(int filters, int kernelSize) {
        this(filters, kernelSize, Activation.LINEAR);
    }

    /** With an activation applied to the result. */
    public Conv1D(int filters, int kernelSize, Activation activation) {
        super("conv1d", filters, kernelSize, activation);
    }

    /**
     * With the activation Keras calls {@code activation} ("relu", ...).
     *
     * @throws IllegalArgumentException for an unknown name, naming this layer
     */
    public Conv1D(int filters, int kernelSize, String activation) {
        super("conv1d", filters, kernelSize, activation);
    }

    /** How many independent channel groups the convolution is split into (Keras's groups). */
    public int groups() {
        return groups;
    }

    /**
     * Keras's groups: the input channels and the filters are split into {@code g} groups, each
     * convolved on its own; both must be divisible by it.
     *
     * @throws IllegalArgumentException below 1 or not dividing filters, naming this layer
     */
    public Conv1D groups(int g) {
        requireNotBuilt("groups");
        Windows.positive(where(), "groups", g);
        if (filters() % g != 0) {
            throw new IllegalArgumentException(where() + ": filters must be divisible by groups, got filters="
                    + filters() + " and groups=" + g);
        }
        this.groups = g;
        return this;
    }

    @Override
    boolean allowsCausal() {
        return true;
    }

    @Override
    void checkOptions(Shape in) {
        if (channelsOf(in) % groups != 0) {
            throw new IllegalArgumentException(where() + ": the input's channels must be divisible by groups, got "
                    + channelsOf(in) + " channels (input " + batchless(in) + ") and groups=" + groups);
        }
    }

    @Override
    void addKernels(int channels, RandomGenerator random) {
        kernel = addKernel(Shape.of(kernelSize(), channels / groups, filters()), random);
    }

    @Override
    Variable convolve(Variable x) {
        return strides() == 1 && groups == 1 ? shifted(x) : im2colProduct(x);
    }

    /**
     * The convolution as one GEMM per kernel tap over shifted views of the padded input
     * ({@link Ops#conv1d}): {@code (batch, new_steps, filters)}, no bias. Stride 1, one group only.
     */
    Variable shifted(Variable x) {
        return shifted(x, kernel.variable(), windows);
    }

    /**
     * The convolution as im2col and one GEMM per group (any strides and groups):
     * {@code (batch, new_steps, filters)}, no bias.
     */
    Variable im2colProduct(Variable x) {
        if (groups == 1) {
            return im2colProduct(x, kernel.variable(), windows);
        }
        // One GEMM per group, on its slice of the channels and of the filters.
        int batch = x.dim(0);
        int steps = x.dim(1);
        Windows.Taps taps = windows.taps(x.device(), batch, steps);
        int c = x.dim(2) / groups;
        int f = filters() / groups;
        Variable[] parts = new Variable[groups];
        for (int g = 0; g < groups; g++) {
            Variable w = Ops.reshape(Ops.slice(kernel.variable(), 2, g * f, f), -1, f);
            parts[g] = Ops.matmul(im2col(Ops.slice(x, 2, g * c, c), taps), w);
        }
        return Ops.reshape(Ops.concat(1, parts), batch, windows.outSteps(steps), filters());
    }

    /**
     * A one-group convolution of x {@code (batch, steps, channels)} with a kernel {@code (size,
     * channels, filters)} over {@code windows}, by whichever of the two computations fits the
     * stride: {@code (batch, new_steps, filters)}, no bias. ConvLSTM1D's input convolution too.
     */
    static Variable convolve(Variable x, Variable kernel, Windows windows) {
        return windows.stride() == 1 ? shifted(x, kernel, windows) : im2colProduct(x, kernel, windows);
    }

    /** {@link #shifted(Variable)} with any kernel {@code (size, channels, filters)} over stride-1 windows. */
    static Variable shifted(Variable x, Variable kernel, Windows windows) {
        int steps = x.dim(1);
        return Ops.conv1d(x, kernel, windows.dilation(), windows.padLeft(steps), windows.padRight(steps));
    }

    /** {@link #im2colProduct(Variable)} of one group with any kernel {@code (size, channels, filters)}. */
    static Variable im2colProduct(Variable x, Variable kernel, Windows windows) {
        int batch = x.dim(0);
        int steps = x.dim(1);
        int filters = kernel.dim(2);
        Windows.Taps taps = windows.taps(x.device(), batch, steps);
        Variable y = Ops.matmul(im2col(x, taps), Ops.reshape(kernel, kernel.dim(0) * kernel.dim(1), filters));
        return Ops.reshape(y, batch, windows.outSteps(steps), filters);
    }

    /** Each window's input rows side by side: {@code (batch·new_steps, kernel_size·channels)}. */
    static Variable im2col(Variable x, Windows.Taps taps) {
        // Sizes spelled out, no -1: that cannot be inferred from 0 elements (an empty batch or input).
        int channels = x.dim(2);
        Variable table = Ops.reshape(x, x.dim(0) * x.dim(1), channels);
        if (taps.readsPadding()) {
            table = Ops.concat(0, table, Variable.constant(x.device().zeros(1, channels)));
        }
        Tensor idx = taps.indices();
        return Ops.reshape(Ops.gather(table, idx), idx.dim(0), idx.dim(1) * channels);
    }
}
