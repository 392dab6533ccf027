package io.rnn4j.layers;

import io.rnn4j.layers.autograd.Variable;
import java.util.random.RandomGenerator;

/**
 * Keras's DepthwiseConv2D (keras/src/layers/convolutional/depthwise_conv2d.py): each input channel
 * convolved on its own with {@code depth_multiplier} kernels, {@code activation(depthwise_conv(x,
 * kernel) + bias)}, over {@code (batch, rows, cols, channels)} ("channels_last", the default) or
 * channels first, giving {@code channels·depth_multiplier} channels, output channel
 * {@code c·depth_multiplier + m} from input channel c and kernel m. It is Conv2D with
 * {@code groups = channels}: the same windows, with TensorFlow's padding arithmetic. Weights as
 * Keras 3 names and lays them out: kernel {@code (kernel_rows, kernel_cols, channels,
 * depth_multiplier)}, bias {@code (channels·depth_multiplier)}.
 *
 * <p>Keras 3's defaults: strides 1, "valid", depth_multiplier 1, dilation_rate 1, linear
 * activation, bias on, glorot_uniform depthwise kernel, zeros bias; strides and a dilation rate may
 * both be above 1. None spatial axes and masks as {@link GridConvBase}. Cost:
 * {@code n·outputs·taps·channels·depth_multiplier} multiply-adds; at stride 1 and depth_multiplier 1
 * one broadcast multiply and add per tap over shifted views of the padded input ({@link
 * io.rnn4j.layers.autograd.Ops#depthwiseConv2d}), otherwise one gather of the windows
 * ({@code n·outputs·taps·channels} floats) first.
 */
public final class DepthwiseConv2D extends DepthwiseConv2DBase<DepthwiseConv2D> {
    private Weight kernel;

    /**
     * Windows of {@code kernelSize} (one size for both axes, or (rows, cols)), one kernel per channel,
     * linear activation.
     *
     * @throws IllegalArgumentException for a size below 1 or another count of sizes, naming the layer
     */
    public DepthwiseConv2D(int... kernelSize) {
        this(kernelSize, Activation.LINEAR);
    }

    /** With an activation applied to the result. */
    public DepthwiseConv2D(int[] kernelSize, Activation activation) {
        super("depthwise_conv2d", kernelSize, activation);
    }

    /**
     * With the activation Keras calls {@code activation} ("relu", ...).
     *
     * @throws IllegalArgumentException for an unknown name, naming this layer
     */
    public DepthwiseConv2D(int[] kernelSize, String activation) {
        this(kernelSize, Activations.named(activation, "DepthwiseConv2D"));
    }

    /**
     * Keras's {@code DepthwiseConv2D(kernel_size, activation=...)} with one int kernel_size: windows of
     * {@code kernelSize} on every axis, as {@code new DepthwiseConv2D(new int[] {kernelSize}, activation)}.
     */
    public DepthwiseConv2D(int kernelSize, Activation activation) {
        this(new int[] {kernelSize}, activation);
    }

    /**
     * Keras's {@code DepthwiseConv2D(kernel_size, activation="relu")} with one int kernel_size
     * ({@code new DepthwiseConv2D(3, "relu")}, as Conv2D takes it).
     *
     * @throws IllegalArgumentException for an unknown name, naming this layer
     */
    public DepthwiseConv2D(int kernelSize, String activation) {
        this(new int[] {kernelSize}, activation);
    }

    /** Keras 3 names this layer's depthwise kernel "kernel". */
    @Override
    void addKernels(int channels, RandomGenerator random) {
        kernel = addDepthwiseKernel("kernel", channels, random);
    }

    @Override
    int outChannels(int channels) {
        return channels * depthMultiplier();
    }

    @Override
    Variable convolve(Variable x) {
        return windowsFor(x).depthwise(x, kernel.variable());
    }
}
