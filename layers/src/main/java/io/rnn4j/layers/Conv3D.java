package io.rnn4j.layers;

/**
 * Keras's Conv3D (keras/src/layers/convolutional/conv3d.py): a 3-D convolution (a
 * cross-correlation) over {@code (batch, depth, rows, cols, channels)} ("channels_last", the
 * default) or channels first, {@code activation(conv(x, kernel) + bias)}, giving {@code filters}
 * channels on the new {@code (depth, rows, cols)} of each axis's windows. Weights: kernel {@code
 * (kernel_size..., channels / groups, filters)}, bias {@code (filters)}. Options, defaults, None
 * spatial axes and cost are {@link ConvBase}'s.
 */
public final class Conv3D extends ConvBase<Conv3D> {
    /**
     * {@code filters} output channels from windows of {@code kernelSize} (one size for every axis,
     * or one per axis (depth, rows, cols)), linear activation.
     *
     * @throws IllegalArgumentException for a size below 1 or another count of sizes, naming the layer
     */
    public Conv3D(int filters, int... kernelSize) {
        this(filters, kernelSize, Activation.LINEAR);
    }

    /** With an activation applied to the result. */
    public Conv3D(int filters, int[] kernelSize, Activation activation) {
        super("conv3d", 3, filters, kernelSize, activation);
    }

    /**
     * With the activation Keras calls {@code activation} ("relu", ...).
     *
     * @throws IllegalArgumentException for an unknown name, naming this layer
     */
    public Conv3D(int filters, int[] kernelSize, String activation) {
        this(filters, kernelSize, Activations.named(activation, "Conv3D"));
    }

    /**
     * Keras's {@code Conv3D(filters, kernel_size, activation=...)} with one int kernel_size: windows
     * of {@code kernelSize} on every axis, as {@code new Conv3D(filters, new int[] {kernelSize}, activation)}.
     */
    public Conv3D(int filters, int kernelSize, Activation activation) {
        this(filters, new int[] {kernelSize}, activation);
    }

    /**
     * Keras's {@code Conv3D(filters, kernel_size, activation="relu")} with one int kernel_size: windows
     * of {@code kernelSize} on every axis ({@code new Conv3D(8, 3, "relu")}, as Conv1D takes it).
     *
     * @throws IllegalArgumentException for an unknown name, naming this layer
     */
    public Conv3D(int filters, int kernelSize, String activation) {
        this(filters, new int[] {kernelSize}, activation);
    }

    @Override
    String axes() {
        return "(batch, depth, rows, cols, channels)";
    }
}
