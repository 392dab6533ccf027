package io.rnn4j.engine;

/** Reductions along one axis. */
public enum ReduceOp {
    SUM, MEAN, MAX
}
