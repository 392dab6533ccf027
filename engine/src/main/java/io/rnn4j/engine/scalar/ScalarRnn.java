package io.rnn4j.engine.scalar;

import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnState;
import io.rnn4j.engine.RnnWeights;
import io.rnn4j.engine.Tensor;

/** The fused sequence kernels of the scalar backend (being written: see issue 2). */
final class ScalarRnn {
    private ScalarRnn() {
    }

    static long workspaceSize(RnnSpec spec, int batch, int steps) {
        throw new UnsupportedOperationException("scalar rnn kernels are being written");
    }

    static void forward(RnnSpec spec, Tensor x, Tensor mask, Tensor recurrentDropoutMask, RnnWeights weights,
            RnnState initial, Tensor output, RnnState last, Tensor workspace) {
        throw new UnsupportedOperationException("scalar rnn kernels are being written");
    }

    static void backward(RnnSpec spec, Tensor x, Tensor mask, Tensor recurrentDropoutMask, RnnWeights weights,
            RnnState initial, Tensor workspace, Tensor dOutput, RnnState dLast, Tensor dx, RnnWeights dWeights,
            RnnState dInitial) {
        throw new UnsupportedOperationException("scalar rnn kernels are being written");
    }
}
