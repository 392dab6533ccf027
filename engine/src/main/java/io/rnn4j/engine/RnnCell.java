package io.rnn4j.engine;

/** The recurrent cells with fused sequence kernels, and how many gate blocks each has. */
public enum RnnCell {
    /** {@code h' = act(x·W + h·U + b)}. */
    SIMPLE(1),
    /** Gate blocks i, f, c, o (Keras order). */
    LSTM(4),
    /** Gate blocks z, r, h (Keras order). */
    GRU(3);

    private final int gates;

    RnnCell(int gates) {
        this.gates = gates;
    }

    /** The number of gate blocks of width {@code units} in the kernel's columns. */
    public int gates() {
        return gates;
    }
}
