package io.rnn4j.layers;

/**
 * Keras's ConvLSTM3D (keras/src/layers/rnn/conv_lstm3d.py): the {@link ConvLSTM} over sequences of
 * volumes {@code (batch, time, dim1, dim2, dim3, channels)} ("channels_last"; "channels_first":
 * {@code (batch, time, channels, dim1, dim2, dim3)}, the states {@code (batch, filters, new_dim1,
 * new_dim2, new_dim3)}), whose input and recurrent transformations are 3-D convolutions. Weights: kernel
 * {@code (k1, k2, k3, channels, 4·filters)}, recurrent_kernel {@code (k1, k2, k3, filters,
 * 4·filters)}, bias {@code (4·filters)}, gate blocks i, f, c, o as Keras orders them; the states h
 * and c are {@code (batch, new_dim1, new_dim2, new_dim3, filters)}, each new axis as a Conv3D of
 * these strides, padding ("valid" or "same", TensorFlow's arithmetic per axis) and dilation gives
 * it. The semantics
 * (masks, dropout, stateful, go_backwards, initial_state) are {@link ConvLSTM}'s. Computed on
 * generic autograd ops ({@link ConvLstmSequence}), both convolutions as an im2col gather and one
 * GEMM ({@link GridWindows}).
 */
public final class ConvLSTM3D extends ConvLSTM<ConvLSTM3D> {
    /**
     * {@code filters} output channels per state, convolution windows of {@code kernelSize}: one
     * size for the three axes, or one per axis, as Keras's kernel_size.
     *
     * @throws IllegalArgumentException for a size below 1 or another count of sizes, naming the layer
     */
    public ConvLSTM3D(int filters, int... kernelSize) {
        super("conv_lstm3d", 3, filters, kernelSize);
    }

    /** The convolution window per axis (Keras's kernel_size). */
    public int[] kernelSize() {
        return kernelDims();
    }

    /** The input convolution's strides per axis. */
    public int[] strides() {
        return strideDims();
    }

    /** The input convolution's dilation rate per axis. */
    public int[] dilationRate() {
        return dilationDims();
    }

    @Override
    String inputAxes() {
        return "(batch, time, dim1, dim2, dim3, channels)";
    }

    @Override
    String stateAxes() {
        return "new_dim1, new_dim2, new_dim3";
    }

    @Override
    ConvLstmSequence.Convolutions convolutions(int[] spatial) {
        return gridConvolutions(spatial);
    }
}
