package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;

/**
 * What Keras's 2D/3D convolutions share (Keras repeats it in BaseConv, BaseConvTranspose,
 * BaseDepthwiseConv and BaseSeparableConv, keras/src/layers/convolutional/): a kernel of
 * kernel_size taps per spatial axis, dilation_rate apart, moved by strides over
 * {@code (batch, spatial..., channels)}; padding "valid" or "same"; a bias and an activation,
 * {@code activation(convolution + bias)}. Each size is one int for every axis or one per axis
 * (Keras's standardize_tuple). Keras 3's defaults: strides 1, "valid", dilation_rate 1, linear
 * activation, bias on, zeros bias. Strides and a dilation rate both above 1 are refused, as Keras
 * refuses them, except by the depthwise and separable layers, which Keras 3's TensorFlow backend
 * computes with both.
 *
 * <p>data_format "channels_first" takes and gives {@code (batch, channels, spatial...)}, computed
 * as channels_last between two moves of the channels axis ({@link ChannelsFirst}). Only the
 * channels axis is bound, as Keras's input_spec: spatial axes may be None (fully convolutional
 * models), None giving None. Like Keras 3's convolutions these do not support masking (an
 * incoming mask is dropped with Keras's warning).
 *
 * @param <C> the concrete layer, returned by the fluent setters
 */
public abstract sealed class GridConvBase<C extends GridConvBase<C>> extends ConvolutionBase<C>
        permits KernelGridConvBase, DepthwiseConv2DBase {
    private final int rank;
    private final int[] kernelSize;
    private int[] strides;
    private int[] dilationRate;
    /** The windows of the last spatial shape called on. */
    private volatile GridWindows windows;

    GridConvBase(String kerasPrefix, int rank, int[] kernelSize, Activation activation) {
        super(kerasPrefix, rank, activation);
        this.rank = rank;
        this.kernelSize = GridWindows.tuple(where(), "kernel_size", rank, kernelSize);
        this.strides = GridWindows.tuple(where(), "strides", rank, 1);
        this.dilationRate = GridWindows.tuple(where(), "dilation_rate", rank, 1);
    }

    // ---- what each layer adds ----

    /** Checks, when built for inputs of {@code channels} channels ({@code in}: the sample shape), what depends on it. */
    void checkOptions(int channels, Shape in) {
    }

    @Override
    final void prepare(int channels, Shape in) {
        checkOptions(channels, in);
    }

    /**
     * The output's spatial shape for a spatial input of {@code input} (None axes give None): the
     * windows' count per axis, as Keras's compute_conv_output_shape; the transposes override it.
     */
    @Override
    int[] outputSpatial(int[] input) {
        return GridWindows.outputFor(where(), input, kernelSize, strides, dilationRate, padding());
    }

    // ---- the options ----

    /** The number of spatial axes (Keras's rank). */
    public final int rank() {
        return rank;
    }

    /** The window's size per spatial axis (Keras's kernel_size); a copy. */
    public final int[] kernelSize() {
        return kernelSize.clone();
    }

    /** The step between windows per spatial axis (Keras's strides); a copy. */
    public final int[] strides() {
        return strides.clone();
    }

    /** The spacing of the kernel's taps per spatial axis (Keras's dilation_rate); a copy. */
    public final int[] dilationRate() {
        return dilationRate.clone();
    }

    /**
     * Keras's strides: one step for every spatial axis, or one per axis.
     *
     * @throws IllegalArgumentException below 1, another count, or above 1 with a dilation rate above
     *                                  1 where Keras refuses that, naming this layer
     */
    public final C strides(int... s) {
        requireNotBuilt("strides");
        int[] t = GridWindows.tuple(where(), "strides", rank, s);
        if (!allowsStridesWithDilation()) {
            GridWindows.requireStridesOrDilation(where(), t, dilationRate);
        }
        this.strides = t;
        return self();
    }

    /**
     * Keras's dilation_rate: one spacing of the kernel's taps for every spatial axis, or one per axis.
     *
     * @throws IllegalArgumentException below 1, another count, or above 1 with strides above 1 where
     *                                  Keras refuses that, naming this layer
     */
    public final C dilationRate(int... d) {
        requireNotBuilt("dilation_rate");
        int[] t = GridWindows.tuple(where(), "dilation_rate", rank, d);
        if (!allowsStridesWithDilation()) {
            GridWindows.requireStridesOrDilation(where(), strides, t);
        }
        this.dilationRate = t;
        return self();
    }

    /** The windows for a channels_last input's spatial shape: the last ones, or new ones kept for next time. */
    final GridWindows windowsFor(Variable x) {
        int[] spatial = Arrays.copyOfRange(x.shape().dims(), 1, rank + 1);
        GridWindows w = windows;
        if (w == null || !w.fits(spatial)) {
            w = new GridWindows(where(), spatial, kernelSize, strides, dilationRate, padding());
            windows = w;
        }
        return w;
    }
}
