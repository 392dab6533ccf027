package io.rnn4j.kernels.cuda;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.ReduceOp;
import io.rnn4j.engine.UnaryOp;

/**
 * The integer codes the kernels use for ops ({@code common.cuh}, {@code reduce.cu}). Explicit
 * tables rather than {@code ordinal()}: reordering an engine enum must not change a kernel's math.
 */
final class OpCodes {
    private OpCodes() {
    }

    static int unary(UnaryOp op) {
        return switch (op) {
            case LINEAR -> 0;
            case TANH -> 1;
            case SIGMOID -> 2;
            case HARD_SIGMOID -> 3;
            case HARD_SIGMOID_KERAS2 -> 4;
            case RELU -> 5;
            case ELU -> 6;
            case SELU -> 7;
            case SOFTPLUS -> 8;
            case SOFTSIGN -> 9;
            case SWISH -> 10;
            case EXP -> 11;
            case LOG -> 12;
            case NEG -> 13;
            case ABS -> 14;
            case SQUARE -> 15;
            case SQRT -> 16;
            case RECIPROCAL -> 17;
        };
    }

    static int binary(BinaryOp op) {
        return switch (op) {
            case ADD -> 0;
            case SUB -> 1;
            case MUL -> 2;
            case DIV -> 3;
            case MAX -> 4;
            case MIN -> 5;
        };
    }

    static int reduce(ReduceOp op) {
        return switch (op) {
            case SUM -> 0;
            case MEAN -> 1;
            case MAX -> 2;
        };
    }
}
