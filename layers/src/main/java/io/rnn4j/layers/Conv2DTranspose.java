package io.rnn4j.layers;

/**
 * Keras's Conv2DTranspose (keras/src/layers/convolutional/conv2d_transpose.py): the transposed
 * 2-D convolution over {@code (batch, rows, cols, channels)} ("channels_last", the default) or
 * channels first, {@code activation(conv_transpose(x, kernel) + bias)}, giving {@code filters}
 * channels on the grown {@code (rows, cols)}. Weights: kernel {@code (kernel_size..., filters,
 * channels)}, bias {@code (filters)}. Options, defaults, output sizes, None spatial axes and cost
 * are {@link ConvTransposeBase}'s.
 */
public final class Conv2DTranspose extends ConvTransposeBase<Conv2DTranspose> {
    /**
     * {@code filters} output channels from a kernel of {@code kernelSize} (one size for every axis,
     * or one per axis), linear activation.
     *
     * @throws IllegalArgumentException for a size below 1 or another count of sizes, naming the layer
     */
    public Conv2DTranspose(int filters, int... kernelSize) {
        this(filters, kernelSize, Activation.LINEAR);
    }

    /** With an activation applied to the result. */
    public Conv2DTranspose(int filters, int[] kernelSize, Activation activation) {
        super("conv2d_transpose", 2, filters, kernelSize, activation);
    }

    /**
     * With the activation Keras calls {@code activation} ("relu", ...).
     *
     * @throws IllegalArgumentException for an unknown name, naming this layer
     */
    public Conv2DTranspose(int filters, int[] kernelSize, String activation) {
        this(filters, kernelSize, Activations.named(activation, "Conv2DTranspose"));
    }

    /**
     * Keras's {@code Conv2DTranspose(filters, kernel_size, activation=...)} with one int kernel_size: windows of
     * {@code kernelSize} on every axis, as {@code new Conv2DTranspose(filters, new int[] {kernelSize}, activation)}.
     */
    public Conv2DTranspose(int filters, int kernelSize, Activation activation) {
        this(filters, new int[] {kernelSize}, activation);
    }

    /**
     * Keras's {@code Conv2DTranspose(filters, kernel_size, activation="relu")} with one int kernel_size
     * ({@code new Conv2DTranspose(8, 3, "relu")}, as Conv2D takes it).
     *
     * @throws IllegalArgumentException for an unknown name, naming this layer
     */
    public Conv2DTranspose(int filters, int kernelSize, String activation) {
        this(filters, new int[] {kernelSize}, activation);
    }

    @Override
    String axes() {
        return "(batch, rows, cols, channels)";
    }
}
