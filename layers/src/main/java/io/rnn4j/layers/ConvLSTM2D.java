package io.rnn4j.layers;

/**
 * Keras's ConvLSTM2D (keras/src/layers/rnn/conv_lstm2d.py): the {@link ConvLSTM} over video-like
 * inputs {@code (batch, time, rows, cols, channels)} ("channels_last"; with "channels_first",
 * {@code (batch, time, channels, rows, cols)} and the states {@code (batch, filters, new_rows,
 * new_cols)}), whose input and recurrent transformations are 2-D convolutions. Weights: kernel
 * {@code (kr, kc, channels, 4·filters)}, recurrent_kernel {@code (kr, kc, filters, 4·filters)},
 * bias {@code (4·filters)}, gate blocks i, f, c, o as Keras orders them; the states h and c are
 * {@code (batch, new_rows, new_cols, filters)}, each new axis as a Conv2D of these strides, padding
 * ("valid" or "same", TensorFlow's arithmetic per axis) and dilation gives it. The semantics
 * (masks, dropout, stateful, go_backwards, initial_state) are {@link ConvLSTM}'s. Computed on
 * generic autograd ops ({@link ConvLstmSequence}), both convolutions as an im2col gather and one
 * GEMM ({@link GridWindows}).
 */
public final class ConvLSTM2D extends ConvLSTM<ConvLSTM2D> {
    /**
     * {@code filters} output channels per state, convolution windows of {@code kernelSize}: one
     * size for both axes, or (rows, cols), as Keras's kernel_size.
     *
     * @throws IllegalArgumentException for a size below 1 or more than two sizes, naming the layer
     */
    public ConvLSTM2D(int filters, int... kernelSize) {
        super("conv_lstm2d", 2, filters, kernelSize);
    }

    /** The convolution window (rows, cols) (Keras's kernel_size). */
    public int[] kernelSize() {
        return kernelDims();
    }

    /** The input convolution's strides (rows, cols). */
    public int[] strides() {
        return strideDims();
    }

    /** The input convolution's dilation rate (rows, cols). */
    public int[] dilationRate() {
        return dilationDims();
    }

    @Override
    String inputAxes() {
        return "(batch, time, rows, cols, channels)";
    }

    @Override
    String stateAxes() {
        return "new_rows, new_cols";
    }

    @Override
    ConvLstmSequence.Convolutions convolutions(int[] spatial) {
        return gridConvolutions(spatial);
    }
}
