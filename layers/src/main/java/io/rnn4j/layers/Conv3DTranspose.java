package io.rnn4j.layers;

/**
 * Keras's Conv3DTranspose (keras/src/layers/convolutional/conv3d_transpose.py): the transposed
 * 3-D convolution over {@code (batch, depth, rows, cols, channels)} ("channels_last", the default) or
 * channels first, {@code activation(conv_transpose(x, kernel) + bias)}, giving {@code filters}
 * channels on the grown {@code (depth, rows, cols)}. Weights: kernel {@code (kernel_size..., filters,
 * channels)}, bias {@code (filters)}. Options, defaults, output sizes, None spatial axes and cost
 * are {@link ConvTransposeBase}'s.
 */
public final class Conv3DTranspose extends ConvTransposeBase<Conv3DTranspose> {
    /**
     * {@code filters} output channels from a kernel of {@code kernelSize} (one size for every axis,
     * or one per axis), linear activation.
     *
     * @throws IllegalArgumentException for a size below 1 or another count of sizes, naming the layer
     */
    public Conv3DTranspose(int filters, int... kernelSize) {
        this(filters, kernelSize, Activation.LINEAR);
    }

    /** With an activation applied to the result. */
    public Conv3DTranspose(int filters, int[] kernelSize, Activation activation) {
        super("conv3d_transpose", 3, filters, kernelSize, activation);
    }

    /**
     * With the activation Keras calls {@code activation} ("relu", ...).
     *
     * @throws IllegalArgumentException for an unknown name, naming this layer
     */
    public Conv3DTranspose(int filters, int[] kernelSize, String activation) {
        this(filters, kernelSize, Activations.named(activation, "Conv3DTranspose"));
    }

    /**
     * Keras's {@code Conv3DTranspose(filters, kernel_size, activation=...)} with one int kernel_size: windows of
     * {@code kernelSize} on every axis, as {@code new Conv3DTranspose(filters, new int[] {kernelSize}, activation)}.
     */
    public Conv3DTranspose(int filters, int kernelSize, Activation activation) {
        this(filters, new int[] {kernelSize}, activation);
    }

    /**
     * Keras's {@code Conv3DTranspose(filters, kernel_size, activation="relu")} with one int kernel_size
     * ({@code new Conv3DTranspose(8, 3, "relu")}, as Conv2D takes it).
     *
     * @throws IllegalArgumentException for an unknown name, naming this layer
     */
    public Conv3DTranspose(int filters, int kernelSize, String activation) {
        this(filters, new int[] {kernelSize}, activation);
    }

    @Override
    String axes() {
        return "(batch, depth, rows, cols, channels)";
    }
}
