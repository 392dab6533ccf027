package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * What Keras's Conv2DTranspose and Conv3DTranspose share (Keras's BaseConvTranspose,
 * keras/src/layers/convolutional/base_conv_transpose.py): the transposed convolution (the gradient
 * of a convolution with respect to its input), {@code activation(conv_transpose(x, kernel) +
 * bias)}, giving {@code filters} channels. Weights as Keras lays them out: kernel
 * {@code (kernel_size..., filters, channels)}, bias {@code (filters)}. Keras 3's defaults: strides 1,
 * "valid", output_padding None, dilation_rate 1, linear activation, bias on, glorot_uniform kernel,
 * zeros bias; strides and a dilation rate both above 1 are refused, as Keras refuses them.
 *
 * <p>The output size per axis is Keras's (backend_utils.compute_conv_transpose_output_shape), for
 * T inputs and the kernel's reach {@code R = (kernel_size − 1)·dilation_rate + 1}: "valid" gives
 * {@code (T − 1)·strides + R + output_padding}, output_padding defaulting to {@code max(R, strides) −
 * R}; "same" gives {@code T·strides} without output_padding, else {@code (T − 1)·strides + R mod 2 +
 * output_padding}. Where the taps land is TensorFlow's ({@code tf.nn.conv_transpose}, what Keras's
 * TensorFlow backend calls): "same" crops {@code max((T − 1)·strides + R − out, 0) / 2} (rounded
 * down) from the start of each axis, the rest from its end; positions no tap reaches hold the bias
 * alone. output_padding must be below strides on each axis, as Keras requires, and "same" with an
 * output_padding leaving {@code R mod 2 + output_padding = 0} on an axis is refused when built, as
 * TensorFlow refuses it. A dilation rate above 1 is computed (as TensorFlow on a GPU and Keras's JAX
 * backend do), although TensorFlow on the CPU refuses it. Computed by {@link TransposedWindows}.
 *
 * @param <C> the concrete layer, returned by the fluent setters
 */
public abstract sealed class ConvTransposeBase<C extends ConvTransposeBase<C>> extends KernelGridConvBase<C>
        permits Conv2DTranspose, Conv3DTranspose {
    private int[] outputPadding;
    private Weight kernel;
    /** The windows of the last spatial shape called on. */
    private volatile TransposedWindows windows;

    ConvTransposeBase(String kerasPrefix, int rank, int filters, int[] kernelSize, Activation activation) {
        super(kerasPrefix, rank, filters, kernelSize, activation);
    }

    /** Keras's output_padding per spatial axis (a copy), or null for Keras's None (inferred). */
    public final int[] outputPadding() {
        return outputPadding == null ? null : outputPadding.clone();
    }

    /**
     * Keras's output_padding: positions added at the end of each spatial axis of the output (one
     * value for every axis or one per axis), or null for Keras's None (the size inferred from
     * padding and strides). Each must be below its axis's strides, which is checked when the layer
     * is built (so that the options may be set in any order).
     *
     * @throws IllegalArgumentException below 0 or another count, naming this layer
     */
    public final C outputPadding(int... p) {
        requireNotBuilt("output_padding");
        if (p == null) {
            this.outputPadding = null;
            return self();
        }
        if (p.length != 1 && p.length != rank()) {
            throw new IllegalArgumentException(where() + ": output_padding must hold 1 or " + rank()
                    + " integers (or be None), got " + Arrays.toString(p));
        }
        int[] t = new int[rank()];
        for (int a = 0; a < rank(); a++) {
            t[a] = p[p.length == 1 ? 0 : a];
            if (t[a] < 0) {
                throw new IllegalArgumentException(where() + ": output_padding must be >= 0 (or None), got "
                        + Arrays.toString(p));
            }
        }
        this.outputPadding = t;
        return self();
    }

    /** Keras's check (output_padding below strides) and TensorFlow's ("same" must map back to the input's size). */
    @Override
    final void checkOptions(int channels, Shape in) {
        if (outputPadding == null) {
            return;
        }
        int[] s = strides();
        for (int a = 0; a < rank(); a++) {
            if (outputPadding[a] >= s[a]) {
                throw new IllegalArgumentException(where() + ": output_padding must be strictly less than strides "
                        + "(as in Keras), got output_padding=" + GridWindows.tuple(outputPadding) + " and strides="
                        + GridWindows.tuple(s));
            }
            if (padding().equals("same") && reach(a) % 2 + outputPadding[a] == 0) {
                throw new IllegalArgumentException(where() + ": padding 'same' with output_padding 0 needs an odd "
                        + "kernel reach, got " + reach(a) + " on axis " + (a + 1) + " (kernel_size "
                        + GridWindows.tuple(kernelSize()) + ", dilation_rate " + GridWindows.tuple(dilationRate())
                        + "): TensorFlow's conv_transpose refuses it; use output_padding >= 1 there or None");
            }
        }
    }

    /** How far one kernel spreads an input position on axis a, {@code (kernel_size − 1)·dilation_rate + 1}. */
    private int reach(int a) {
        return (kernelSize()[a] - 1) * dilationRate()[a] + 1;
    }

    /** Keras's kernel {@code (kernel_size..., filters, channels)}. */
    @Override
    final void addKernels(int channels, RandomGenerator random) {
        int[] k = Arrays.copyOf(kernelSize(), rank() + 2);
        k[rank()] = filters();
        k[rank() + 1] = channels;
        kernel = addKernel(Shape.of(k), random);
    }

    /** Keras's compute_conv_transpose_output_shape per axis; None stays None. */
    @Override
    final int[] outputSpatial(int[] input) {
        int[] s = strides();
        int[] out = new int[rank()];
        for (int a = 0; a < rank(); a++) {
            if (input[a] == Shape.UNKNOWN) {
                out[a] = Shape.UNKNOWN;
                continue;
            }
            int r = reach(a);
            long o;
            if (padding().equals("valid")) {
                int extra = outputPadding == null ? Math.max(r, s[a]) - r : outputPadding[a];
                o = (long) (input[a] - 1) * s[a] + r + extra;
            } else {
                o = outputPadding == null ? (long) input[a] * s[a] : (long) (input[a] - 1) * s[a] + r % 2
                        + outputPadding[a];
            }
            if (o < 0 || o > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(where() + ": a spatial input of " + GridWindows.shown(input)
                        + " gives " + o + " outputs on axis " + (a + 1) + " with padding '" + padding() + "'");
            }
            out[a] = (int) o;
        }
        return out;
    }

    @Override
    final Variable convolve(Variable x) {
        int[] spatial = Arrays.copyOfRange(x.shape().dims(), 1, rank() + 1);
        TransposedWindows w = windows;
        if (w == null || !w.fits(spatial)) {
            int[] out = outputSpatial(spatial);
            int[] crop = new int[rank()];
            int[] s = strides();
            for (int a = 0; a < rank() && padding().equals("same"); a++) {
                crop[a] = Math.max((spatial[a] - 1) * s[a] + reach(a) - out[a], 0) / 2;
            }
            w = new TransposedWindows(where(), spatial, out, kernelSize(), s, dilationRate(), crop);
            windows = w;
        }
        return w.convolve(x, kernel.variable());
    }
}
