package io.rnn4j.engine;

import java.util.Objects;

/**
 * What a fused sequence kernel computes, exactly as Keras defines the cell (see DESIGN.md).
 *
 * @param cell                which cell
 * @param inputSize           D, the features per timestep
 * @param units               H, the state size
 * @param activation          Keras {@code activation} (tanh by default)
 * @param recurrentActivation Keras {@code recurrent_activation} (sigmoid by default; unused by SIMPLE)
 * @param useBias             whether a bias is added
 * @param resetAfter          GRU only: Keras {@code reset_after} (true by default in Keras 2.3+ and 3)
 * @param goBackwards         process the sequence (and its mask) from the last step to the first;
 *                            the output sequence is then in processing order, as in Keras
 * @param zeroOutputForMask   a masked step outputs zeros instead of the previous output
 *                            (what Bidirectional asks of its layers)
 */
public record RnnSpec(RnnCell cell, int inputSize, int units, UnaryOp activation, UnaryOp recurrentActivation,
        boolean useBias, boolean resetAfter, boolean goBackwards, boolean zeroOutputForMask) {

    public RnnSpec {
        Objects.requireNonNull(cell, "cell");
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(recurrentActivation, "recurrentActivation");
        if (inputSize < 1 || units < 1) {
            throw new IllegalArgumentException("RnnSpec: inputSize and units must be >= 1, got inputSize="
                    + inputSize + " units=" + units);
        }
        if ((long) cell.gates() * units > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("RnnSpec: " + cell + " with " + units + " units has " + cell.gates()
                    + " × " + units + " gate columns, more than an int holds (" + Integer.MAX_VALUE + ")");
        }
        if (resetAfter && cell != RnnCell.GRU) {
            throw new IllegalArgumentException("RnnSpec: resetAfter applies to GRU only, got cell " + cell);
        }
    }

    /** Keras's defaults for {@code cell}: tanh, sigmoid, bias on, GRU reset_after=true, forwards. */
    public static RnnSpec of(RnnCell cell, int inputSize, int units) {
        return new RnnSpec(cell, inputSize, units, UnaryOp.TANH, UnaryOp.SIGMOID, true, cell == RnnCell.GRU,
                false, false);
    }

    public RnnSpec withActivations(UnaryOp activation, UnaryOp recurrentActivation) {
        return new RnnSpec(cell, inputSize, units, activation, recurrentActivation, useBias, resetAfter,
                goBackwards, zeroOutputForMask);
    }

    public RnnSpec withBias(boolean useBias) {
        return new RnnSpec(cell, inputSize, units, activation, recurrentActivation, useBias, resetAfter,
                goBackwards, zeroOutputForMask);
    }

    public RnnSpec withResetAfter(boolean resetAfter) {
        return new RnnSpec(cell, inputSize, units, activation, recurrentActivation, useBias, resetAfter,
                goBackwards, zeroOutputForMask);
    }

    public RnnSpec withGoBackwards(boolean goBackwards) {
        return new RnnSpec(cell, inputSize, units, activation, recurrentActivation, useBias, resetAfter,
                goBackwards, zeroOutputForMask);
    }

    public RnnSpec withZeroOutputForMask(boolean zeroOutputForMask) {
        return new RnnSpec(cell, inputSize, units, activation, recurrentActivation, useBias, resetAfter,
                goBackwards, zeroOutputForMask);
    }

    /** G·H: the columns of the kernel and recurrent kernel. */
    public int gateWidth() {
        return cell.gates() * units;
    }

    /** Keras's {@code kernel}: (D, G·H). */
    public Shape kernelShape() {
        return Shape.of(inputSize, gateWidth());
    }

    /** Keras's {@code recurrent_kernel}: (H, G·H). */
    public Shape recurrentKernelShape() {
        return Shape.of(units, gateWidth());
    }

    /** Keras's {@code bias}: (2, 3H) for GRU with reset_after (input row, recurrent row), else (G·H). */
    public Shape biasShape() {
        return resetAfter ? Shape.of(2, gateWidth()) : Shape.of(gateWidth());
    }

    /** Whether the cell carries a second state (LSTM's c). */
    public boolean hasCellState() {
        return cell == RnnCell.LSTM;
    }
}
