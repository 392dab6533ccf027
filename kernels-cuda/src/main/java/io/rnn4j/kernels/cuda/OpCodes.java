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
            case RELU6 -> 18;
            case LEAKY_RELU -> 19;
            case GELU -> 20;
            case MISH -> 21;
            case HARD_SILU -> 22;
            case CELU -> 23;
            case HARD_TANH -> 24;
            case LOG_SIGMOID -> 25;
            case TANH_SHRINK -> 26;
            case SOFT_SHRINK -> 27;
            case HARD_SHRINK -> 28;
            case SQUAREPLUS -> 29;
            case SPARSE_PLUS -> 30;
            case SPARSE_SIGMOID -> 31;
            case GELU_APPROXIMATE -> 32;
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
