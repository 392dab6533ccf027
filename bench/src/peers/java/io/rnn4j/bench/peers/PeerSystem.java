package io.rnn4j.bench.peers;

import io.rnn4j.engine.RnnCase;

/** A system that can run the fixed cases: rnn4j itself or a peer. */
interface PeerSystem extends AutoCloseable {

    /** The column name in the table, e.g. "onnxruntime". */
    String name();

    /**
     * The case set up to run (weights converted, inputs and outputs allocated), or null when this
     * system cannot run it (e.g. training in an inference-only runtime, BlockLSTM for a GRU).
     * {@code threads} is the thread count every system gets for this case.
     */
    Prepared prepare(RnnCase c, int threads) throws Exception;

    @Override
    default void close() throws Exception {
    }

    /** One case ready to run. */
    interface Prepared extends AutoCloseable {
        /** Runs the case once: forward, or forward and backward of sum(outputs) for a training case. */
        void run() throws Exception;

        /**
         * Runs once and returns {sum of outputs, sum of the last step's h} and, for a training case,
         * the sums of dL/dW, dL/dU, dL/db and dL/dx in Keras's layouts' terms.
         */
        double[] checksums() throws Exception;

        @Override
        default void close() throws Exception {
        }
    }
}
