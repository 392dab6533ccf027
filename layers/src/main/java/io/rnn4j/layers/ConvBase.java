package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * What Keras's Conv2D and Conv3D share (Keras's BaseConv, keras/src/layers/convolutional/
 * base_conv.py): {@code filters} kernels of kernel_size, dilation_rate apart, moved by strides over
 * {@code (batch, spatial..., channels)}, {@code activation(conv(x, kernel) + bias)} (a
 * cross-correlation, as Keras's). Each size is one int for every axis or one per axis (Keras's
 * standardize_tuple). Padding "valid" or "same" (TensorFlow's split per axis, the odd pixel of
 * padding after); groups split the channels and the filters into independent convolutions.
 * Keras 3's defaults: strides 1, "valid", dilation_rate 1, groups 1, linear activation, bias on,
 * glorot_uniform kernel, zeros bias. Strides and a dilation rate both above 1 are refused, as
 * Keras refuses them. Weights: kernel {@code (kernel_size..., channels / groups, filters)} and bias
 * {@code (filters)}, Keras's layout and order.
 *
 * <p>data_format "channels_first" takes and gives {@code (batch, channels, spatial...)}, computed
 * as channels_last between two moves of the channels axis ({@link ChannelsFirst}). Only the
 * channels axis is bound, as Keras's input_spec: spatial axes may be None (fully convolutional
 * models), the windows placed for each input shape when it comes and kept for the last one. Like
 * Keras 3's convolutions these do not support masking (an incoming mask is dropped with Keras's
 * warning).
 *
 * <p>Cost ({@link GridWindows}): an im2col gather of {@code n·outputs·taps·channels} floats and a
 * GEMM of {@code 2·n·outputs·taps·(channels / groups)·filters} flops (per group:
 * {@code 1 / groups} of it), then the bias and activation over {@code n·outputs·filters};
 * backward twice the GEMM and a scatter-add of the gathered size. channels_first adds a copy of
 * the input and of the output each way.
 *
 * @param <C> the concrete layer, returned by the fluent setters
 */
public abstract sealed class ConvBase<C extends ConvBase<C>> extends KernelGridConvBase<C> permits Conv2D, Conv3D {
    private int groups = 1;
    private Weight kernel;

    ConvBase(String kerasPrefix, int rank, int filters, int[] kernelSize, Activation activation) {
        super(kerasPrefix, rank, filters, kernelSize, activation);
    }

    /** How many independent channel groups the convolution is split into (Keras's groups). */
    public final int groups() {
        return groups;
    }

    /**
     * Keras's groups: the input channels and the filters are split into {@code g} groups, each
     * convolved on its own; both must be divisible by it (the channels are checked when built).
     *
     * @throws IllegalArgumentException below 1 or not dividing filters, naming this layer
     */
    public final C groups(int g) {
        requireNotBuilt("groups");
        Windows.positive(where(), "groups", g);
        if (filters() % g != 0) {
            throw new IllegalArgumentException(where() + ": filters must be divisible by groups, got filters="
                    + filters() + " and groups=" + g);
        }
        this.groups = g;
        return self();
    }

    @Override
    final void checkOptions(int channels, Shape in) {
        if (channels % groups != 0) {
            throw new IllegalArgumentException(where() + ": the input's channels must be divisible by groups, got "
                    + channels + " channels (input " + batchless(in) + ") and groups=" + groups);
        }
    }

    /** Keras's kernel {@code (kernel_size..., channels / groups, filters)}. */
    @Override
    final void addKernels(int channels, RandomGenerator random) {
        int[] k = Arrays.copyOf(kernelSize(), rank() + 2);
        k[rank()] = channels / groups;
        k[rank() + 1] = filters();
        kernel = addKernel(Shape.of(k), random);
    }

    @Override
    final Variable convolve(Variable x) {
        return windowsFor(x).convolve(x, kernel.variable(), groups);
    }
}
