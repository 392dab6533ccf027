package io.rnn4j.engine;

/** Elementwise functions of two tensors, with NumPy broadcasting. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, MAX, MIN
}
