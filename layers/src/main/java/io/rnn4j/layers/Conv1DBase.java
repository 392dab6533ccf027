package io.rnn4j.layers;

import io.rnn4j.engine.Shape;

/**
 * What Keras's Conv1D, Conv1DTranspose, DepthwiseConv1D and SeparableConv1D share (Keras repeats
 * it in BaseConv, BaseConvTranspose, BaseDepthwiseConv and BaseSeparableConv): a kernel of
 * kernel_size taps, dilation_rate steps apart, moved by strides steps over {@code (batch, steps,
 * channels)} inputs; padding "valid" or "same" with TensorFlow's split ({@link Windows}), "causal"
 * for Conv1D only; a bias and an activation, {@code activation(convolution + bias)}. Keras 3's
 * defaults: strides 1, padding "valid", dilation_rate 1, linear activation, bias on, zeros bias.
 * Strides and a dilation rate both above 1 are refused, as Keras refuses them, except by
 * DepthwiseConv1D and SeparableConv1D, which Keras 3's TensorFlow backend computes with both.
 *
 * <p>data_format "channels_last" (the default) takes {@code (batch, steps, channels)}; with
 * "channels_first" inputs and outputs are {@code (batch, channels, steps)}, computed as
 * channels_last between two swaps of the last axes ({@link ChannelsFirst}). Like Keras 3's convolutions these do not
 * support masking (an incoming mask is dropped with Keras's warning), and they bind only the
 * channel axis: inputs of any length go through, None steps giving None. Each setter names the
 * layer and the Keras option in its refusals, and refuses to change a built layer.
 *
 * @param <C> the concrete layer, returned by the fluent setters
 */
abstract sealed class Conv1DBase<C extends Conv1DBase<C>> extends ConvolutionBase<C>
        permits KernelConv1DBase, DepthwiseConv1DBase {
    private final int kernelSize;
    private int strides = 1;
    private int dilationRate = 1;
    /** Where the windows of the (forward) convolution with these options fall; made when built. */
    Windows windows;

    Conv1DBase(String kerasPrefix, int kernelSize, Activation activation) {
        super(kerasPrefix, 1, activation);
        this.kernelSize = Windows.positive(where(), "kernel_size", kernelSize);
    }

    /** With the activation Keras names ("relu", ...); an unknown name is refused naming this layer. */
    Conv1DBase(String kerasPrefix, int kernelSize, String activation) {
        super(kerasPrefix, 1, activation);
        this.kernelSize = Windows.positive(where(), "kernel_size", kernelSize);
    }

    // ---- what each layer adds ----

    /** Checks, when built for a sample shape {@code in}, what depends on it or on several options together. */
    void checkOptions(Shape in) {
    }

    /** The output steps for a known number of input steps; refuses an input giving none. */
    int outSteps(int steps) {
        return windows.checkedOutSteps(steps);
    }

    @Override
    final String axes() {
        return "(batch, steps, channels)";
    }

    /** Places the windows of the (forward) convolution, then checks what depends on the input or on several options. */
    @Override
    final void prepare(int channels, Shape in) {
        windows = new Windows(where(), kernelSize, strides, dilationRate, padding(), Windows.Outside.EXTRA_ROW);
        checkOptions(in);
    }

    /** The output steps for None or known input steps (a known length giving no step is refused). */
    @Override
    final int[] outputSpatial(int[] input) {
        return new int[] {input[0] == Shape.UNKNOWN ? Shape.UNKNOWN : outSteps(input[0])};
    }

    // ---- the options ----

    /** The number of kernel taps, the window length in steps (Keras's kernel_size). */
    public final int kernelSize() {
        return kernelSize;
    }

    /** The step between windows (Keras's strides); Conv1DTranspose's between input steps' places in the output. */
    public final int strides() {
        return strides;
    }

    /** The spacing of the kernel's taps (Keras's dilation_rate). */
    public final int dilationRate() {
        return dilationRate;
    }

    /**
     * Keras's strides: the step between windows (for Conv1DTranspose, each input step moves the
     * output on by {@code s} steps).
     *
     * @throws IllegalArgumentException below 1, or above 1 with a dilation rate above 1 where Keras
     *                                  refuses that, naming this layer
     */
    public final C strides(int s) {
        requireNotBuilt("strides");
        Windows.positive(where(), "strides", s);
        if (!allowsStridesWithDilation()) {
            Windows.requireStridesOrDilation(where(), s, dilationRate);
        }
        this.strides = s;
        return self();
    }

    /**
     * Keras's dilation_rate: the kernel's taps are {@code d} steps apart.
     *
     * @throws IllegalArgumentException below 1, or above 1 with strides above 1 where Keras refuses
     *                                  that, naming this layer
     */
    public final C dilationRate(int d) {
        requireNotBuilt("dilation_rate");
        Windows.positive(where(), "dilation_rate", d);
        if (!allowsStridesWithDilation()) {
            Windows.requireStridesOrDilation(where(), strides, d);
        }
        this.dilationRate = d;
        return self();
    }
}
