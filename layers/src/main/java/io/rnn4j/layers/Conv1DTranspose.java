package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.random.RandomGenerator;

/**
 * Keras's Conv1DTranspose: the transposed convolution (the gradient of a Conv1D with respect to its
 * input, sometimes called deconvolution) over {@code (batch, steps, channels)} inputs,
 * {@code activation(conv_transpose(x, kernel) + bias)}, giving {@code (batch, new_steps, filters)}:
 * input step t adds {@code x[t] · kernel[k]ᵀ} to output step {@code t·strides + k·dilation_rate − crop}.
 * Weights as Keras lays them out: kernel {@code (kernel_size, filters, channels)} (filters before
 * channels, the reverse of Conv1D's), bias {@code (filters)}.
 *
 * <p>Options and defaults are Keras 3's: strides 1, padding "valid" or "same" (no "causal"),
 * output_padding None, dilation_rate 1 (a stride and a dilation rate both above 1 are refused, as
 * Keras refuses them), linear activation, bias on, glorot_uniform kernel, zeros bias. The output
 * length is Keras's (backend_utils.compute_conv_transpose_output_shape), for T input steps and the
 * kernel's reach {@code R = (kernel_size − 1)·dilation_rate + 1}:
 * <ul>
 *   <li>"valid": {@code (T − 1)·strides + R + output_padding}, output_padding defaulting to
 *       {@code max(R, strides) − R};</li>
 *   <li>"same": {@code T·strides} without output_padding, else {@code (T − 1)·strides + R mod 2 +
 *       output_padding}.</li>
 * </ul>
 * Where the taps land is TensorFlow's ({@code tf.nn.conv_transpose}, what Keras's TensorFlow backend
 * calls): "same" crops {@code max((T − 1)·strides + R − new_steps, 0) / 2} steps (rounded down)
 * from the left, the rest of the full result from the right; steps that no tap reaches (strides
 * above the reach) hold the bias alone. output_padding must be below strides, as Keras requires.
 * TensorFlow also refuses "same" with an output_padding that leaves {@code R mod 2 +
 * output_padding = 0} (its check that a "same" Conv1D would map the output back to T steps fails),
 * and so does this layer, when built. A dilation rate above 1 is computed (the transposed dilated
 * convolution, as TensorFlow on a GPU and Keras's JAX and torch backends compute it), although
 * TensorFlow on the CPU refuses it ("Current CPU implementations do not yet support dilation rates
 * larger than 1", keras-team/keras#19870). One GEMM per tap runs over the whole batch, with zero
 * rows between sequences: with a finite kernel no sequence reaches another, but an infinite kernel
 * tap (or upstream gradient) makes 0·inf = NaN there, where TensorFlow keeps each sequence apart.
 *
 * <p>Only Keras's "channels_last" layout exists here. Like Keras 3's layer it does not support
 * masking: an incoming mask is dropped with Keras's warning. It binds only the channel axis: None
 * steps give None. Computed with one GEMM per kernel tap into strided views of one buffer
 * ({@link Ops#conv1dTranspose}), as costly as one GEMM of the useful size.
 */
public final class Conv1DTranspose extends KernelConv1DBase<Conv1DTranspose> {
    private Integer outputPadding;
    private Weight kernel;

    /** {@code filters} output channels from a kernel of {@code kernelSize} taps, linear activation. */
    public Conv1DTranspose(int filters, int kernelSize) {
        this(filters, kernelSize, Activation.LINEAR);
    }

    /** With an activation applied to the result. */
    public Conv1DTranspose(int filters, int kernelSize, Activation activation) {
        super("conv1d_transpose", filters, kernelSize, activation);
    }

    /**
     * With the activation Keras calls {@code activation} ("relu", ...).
     *
     * @throws IllegalArgumentException for an unknown name, naming this layer
     */
    public Conv1DTranspose(int filters, int kernelSize, String activation) {
        super("conv1d_transpose", filters, kernelSize, activation);
    }

    /** Keras's output_padding: the extra steps at the end of the output, or null (Keras's None: inferred). */
    public Integer outputPadding() {
        return outputPadding;
    }

    /**
     * Keras's output_padding: steps added at the end of the output, or null for Keras's None (the
     * length inferred from padding and strides). It must be below strides, which is checked when
     * the layer is built (so that the options may be set in any order).
     *
     * @throws IllegalArgumentException below 0, naming this layer
     */
    public Conv1DTranspose outputPadding(Integer p) {
        requireNotBuilt("output_padding");
        if (p != null && p < 0) {
            throw new IllegalArgumentException(where() + ": output_padding must be >= 0 (or None), got " + p);
        }
        this.outputPadding = p;
        return this;
    }

    @Override
    void addKernels(int channels, RandomGenerator random) {
        kernel = addKernel(Shape.of(kernelSize(), filters(), channels), random);
    }

    /** Keras's check (output_padding below strides) and TensorFlow's ("same" must map back to T steps). */
    @Override
    void checkOptions(Shape in) {
        if (outputPadding == null) {
            return;
        }
        if (outputPadding >= strides()) {
            throw new IllegalArgumentException(where() + ": output_padding must be strictly less than strides (as "
                    + "in Keras), got output_padding=" + outputPadding + " and strides=" + strides());
        }
        if (padding().equals("same") && reach() % 2 + outputPadding == 0) {
            throw new IllegalArgumentException(where() + ": padding 'same' with output_padding=0 needs an odd "
                    + "kernel reach, got " + reach() + " (kernel_size " + kernelSize() + ", dilation_rate "
                    + dilationRate() + "): the output would have T·strides − strides steps, which a 'same' Conv1D "
                    + "maps to T − 1, and TensorFlow's conv_transpose refuses it; use output_padding >= 1 or None");
        }
    }

    /**
     * How far one kernel spreads an input step, {@code (kernel_size − 1)·dilation_rate + 1} steps:
     * the reach of the windows of the Conv1D this layer transposes.
     */
    private int reach() {
        return windows.reach();
    }

    /**
     * Keras's output steps for {@code steps} input steps (compute_conv_transpose_output_shape).
     *
     * @throws IllegalArgumentException when that is negative (only an empty input can make it so)
     */
    @Override
    int outSteps(int steps) {
        int strides = strides();
        long out;
        if (padding().equals("valid")) {
            int extra = outputPadding == null ? Math.max(reach(), strides) - reach() : outputPadding;
            out = (long) (steps - 1) * strides + reach() + extra;
        } else {
            out = outputPadding == null ? (long) steps * strides
                    : (long) (steps - 1) * strides + reach() % 2 + outputPadding;
        }
        if (out < 0 || out > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(where() + ": an input of " + steps + " steps gives " + out
                    + " output steps with padding '" + padding() + "', strides " + strides + ", kernel reach "
                    + reach() + " and output_padding " + outputPadding);
        }
        return (int) out;
    }

    /** The steps "same" cuts from the left of the full result: TensorFlow's padding of the matching Conv1D. */
    private int crop(int steps, int out) {
        return padding().equals("valid") ? 0 : Math.max((steps - 1) * strides() + reach() - out, 0) / 2;
    }

    @Override
    Variable convolve(Variable x) {
        int steps = x.dim(1);
        int out = outSteps(steps);
        return Ops.conv1dTranspose(x, kernel.variable(), strides(), dilationRate(), crop(steps, out), out);
    }
}
