package io.rnn4j.layers;

import io.rnn4j.layers.autograd.Variable;
import java.util.random.RandomGenerator;

/**
 * Keras's DepthwiseConv1D: each input channel convolved on its own with {@code depth_multiplier}
 * kernels, {@code activation(depthwise_conv(x, kernel) + bias)}, giving {@code (batch, new_steps,
 * channels·depth_multiplier)} with output channel {@code c·depth_multiplier + m} from input channel c
 * and kernel m. It is Conv1D with {@code groups = channels}: the same windows, with TensorFlow's
 * padding arithmetic. Weights as Keras 3 names and lays them out: kernel
 * {@code (kernel_size, channels, depth_multiplier)}, bias {@code (channels·depth_multiplier)}.
 *
 * <p>Options and defaults are Keras 3's: strides 1, padding "valid" or "same" (no "causal"),
 * depth_multiplier 1, dilation_rate 1, linear activation, bias on, glorot_uniform depthwise kernel,
 * zeros bias. Strides and a dilation rate may both be above 1: Keras 3's TensorFlow backend computes
 * that as the stride-1 dilated convolution subsampled, which is what the windows here give directly.
 * Only Keras's "channels_last" layout exists here. Like Keras 3's layer it does not support
 * masking (an incoming mask is dropped with Keras's warning), and it binds only the channel axis:
 * None steps give None.
 *
 * <p>Computed as Conv1D's im2col (one gather of every window's rows,
 * {@code (batch·new_steps, kernel_size, channels)}) multiplied by the kernel with broadcasting and
 * summed over the taps: {@code B·new_steps·kernel_size·channels·depth_multiplier} multiply-adds,
 * all channels at once. Conv1D's grouped path would take one gather and one GEMM of inner size
 * kernel_size per channel.
 */
public final class DepthwiseConv1D extends DepthwiseConv1DBase<DepthwiseConv1D> {
    private Weight kernel;

    /** Windows of {@code kernelSize} steps, one kernel per channel, linear activation. */
    public DepthwiseConv1D(int kernelSize) {
        this(kernelSize, Activation.LINEAR);
    }

    /** With an activation applied to the result. */
    public DepthwiseConv1D(int kernelSize, Activation activation) {
        super("depthwise_conv1d", kernelSize, activation);
    }

    /**
     * With the activation Keras calls {@code activation} ("relu", ...).
     *
     * @throws IllegalArgumentException for an unknown name, naming this layer
     */
    public DepthwiseConv1D(int kernelSize, String activation) {
        super("depthwise_conv1d", kernelSize, activation);
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
        return depthwise(x, kernel.variable());
    }
}
