package io.rnn4j.layers;

/**
 * Keras's Conv2D (keras/src/layers/convolutional/conv2d.py): a 2-D convolution (a
 * cross-correlation) over {@code (batch, rows, cols, channels)} ("channels_last", the default) or
 * channels first, {@code activation(conv(x, kernel) + bias)}, giving {@code filters} channels on
 * the new {@code (rows, cols)} of each axis's windows. Weights: kernel {@code (kernel_size...,
 * channels / groups, filters)}, bias {@code (filters)}. Options, defaults, None spatial axes and
 * cost are {@link ConvBase}'s.
 */
public final class Conv2D extends ConvBase<Conv2D> {
    /**
     * {@code filters} output channels from windows of {@code kernelSize} (one size for every axis,
     * or one per axis (rows, cols)), linear activation.
     *
     * @throws IllegalArgumentException for a size below 1 or another count of sizes, naming the layer
     */
    public Conv2D(int filters, int... kernelSize) {
        this(filters, kernelSize, Activation.LINEAR);
    }

    /** With an activation applied to the result. */
    public Conv2D(int filters, int[] kernelSize, Activation activation) {
        super("conv2d", 2, filters, kernelSize, activation);
    }

    /**
     * With the activation Keras calls {@code activation} ("relu", ...).
     *
     * @throws IllegalArgumentException for an unknown name, naming this layer
     */
    public Conv2D(int filters, int[] kernelSize, String activation) {
        this(filters, kernelSize, Activations.named(activation, "Conv2D"));
    }

    /**
     * Keras's {@code Conv2D(filters, kernel_size, activation=...)} with one int kernel_size: windows
     * of {@code kernelSize} on every axis, as {@code new Conv2D(filters, new int[] {kernelSize}, activation)}.
     */
    public Conv2D(int filters, int kernelSize, Activation activation) {
        this(filters, new int[] {kernelSize}, activation);
    }

    /**
     * Keras's {@code Conv2D(filters, kernel_size, activation="relu")} with one int kernel_size: windows
     * of {@code kernelSize} on every axis ({@code new Conv2D(8, 3, "relu")}, as Conv1D takes it).
     *
     * @throws IllegalArgumentException for an unknown name, naming this layer
     */
    public Conv2D(int filters, int kernelSize, String activation) {
        this(filters, new int[] {kernelSize}, activation);
    }

    @Override
    String axes() {
        return "(batch, rows, cols, channels)";
    }
}
