package io.rnn4j.layers;

import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;

/**
 * Keras's ConvLSTM1D (keras/src/layers/rnn/conv_lstm1d.py): the {@link ConvLSTM} over inputs
 * {@code (batch, time, steps, channels)} ({@code (batch, time, channels, steps)} with data_format
 * "channels_first", the states then {@code (batch, filters, new_steps)}), whose input and recurrent transformations are 1-D
 * convolutions. Weights: kernel {@code (kernel_size, channels, 4·filters)}, recurrent_kernel
 * {@code (kernel_size, filters, 4·filters)}, bias {@code (4·filters)}; the states h and c are
 * {@code (batch, new_steps, filters)}, new_steps as a Conv1D of these strides, padding and dilation
 * gives it. The semantics (masks, dropout, stateful, go_backwards, initial_state) are
 * {@link ConvLSTM}'s. Computed on generic autograd ops ({@link ConvLstmSequence}): the input
 * convolution as {@link Conv1D}'s, the recurrent one as K GEMMs over shifted views
 * ({@code Ops.conv1d}).
 */
public final class ConvLSTM1D extends ConvLSTM<ConvLSTM1D> {
    /**
     * {@code filters} output channels per state, convolution windows of {@code kernelSize} steps.
     *
     * @throws IllegalArgumentException for a size below 1, naming the layer
     */
    public ConvLSTM1D(int filters, int kernelSize) {
        super("conv_lstm1d", 1, filters, kernelSize);
    }

    /** The convolution window in steps (Keras's kernel_size). */
    public int kernelSize() {
        return kernelDims()[0];
    }

    /** The input convolution's strides. */
    public int strides() {
        return strideDims()[0];
    }

    /** The input convolution's dilation rate. */
    public int dilationRate() {
        return dilationDims()[0];
    }

    @Override
    String inputAxes() {
        return "(batch, time, steps, channels)";
    }

    @Override
    String stateAxes() {
        return "new_steps";
    }

    @Override
    ConvLstmSequence.Convolutions convolutions(int[] spatial) {
        int size = kernelSize();
        Windows windows = new Windows(where(), size, strides(), dilationRate(), padding(), Windows.Outside.EXTRA_ROW);
        int[] out = {windows.checkedOutSteps(spatial[0])};
        // TensorFlow's "same" at stride 1: K − 1 steps of padding, the odd one on the right.
        int left = (size - 1) / 2;
        int right = size - 1 - left;
        return new ConvLstmSequence.Convolutions() {
            @Override
            public int[] outDims() {
                return out.clone();
            }

            @Override
            public Variable input(Variable x, Variable kernel) {
                return Conv1D.convolve(x, kernel, windows);
            }

            @Override
            public Variable recurrent(Variable h, Variable kernel) {
                return Ops.conv1d(h, kernel, 1, left, right);
            }
        };
    }
}
