package io.rnn4j.kernels.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.RnnCase;
import io.rnn4j.engine.RnnCell;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnState;
import io.rnn4j.engine.RnnWeights;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Device memory is owned and reused: a thousand training iterations (forward with workspace,
 * backward, the ops around them) leave the allocator exactly where the first ones did, and a
 * thousand-step sequence stays accurate. Needs a GPU.
 */
class CudaMemoryTest {

    private static void iteration(Device cuda, RnnCase k, RnnWeights w, Tensor x) {
        RnnSpec s = k.spec();
        try (Tensor out = cuda.zeros(k.batch, k.steps, k.units);
                Tensor ws = cuda.zeros((int) cuda.rnnWorkspaceSize(s, k.batch, k.steps));
                Tensor dOut = cuda.zeros(k.batch, k.steps, k.units);
                Tensor dx = cuda.zeros(x.shape());
                Tensor dW = cuda.zeros(s.kernelShape());
                Tensor dU = cuda.zeros(s.recurrentKernelShape());
                Tensor db = cuda.zeros(s.biasShape());
                Tensor probs = cuda.zeros(k.batch, k.steps, k.units);
                Tensor total = cuda.zeros(k.batch, 1, k.units)) {
            cuda.rnnForward(s, x, null, null, w, null, out, null, ws);
            cuda.softmax(out, 2, false, probs);
            cuda.reduce(io.rnn4j.engine.ReduceOp.SUM, probs, 1, total);
            cuda.unary(UnaryOp.TANH, out, dOut);
            cuda.rnnBackward(s, x, null, null, w, null, ws, dOut, null, dx, new RnnWeights(dW, dU, db), null);
        }
    }

    @Test
    void aThousandTrainingIterationsDoNotGrowDeviceMemory() {
        Device cuda = CudaTestSupport.cuda();
        CudaBackend backend = CudaTestSupport.backend(cuda);
        RnnCase k = RnnCase.L4;
        RnnWeights w = k.weights(cuda);
        Tensor x = k.input(cuda);
        for (int i = 0; i < 10; i++) {
            iteration(cuda, k, w, x);
        }
        backend.synchronize();
        long reserved = backend.reservedBytes();
        long inUse = backend.inUseBytes();
        for (int i = 0; i < 1000; i++) {
            iteration(cuda, k, w, x);
        }
        backend.synchronize();
        System.out.println("device memory after warm-up: " + reserved + " B reserved, " + inUse
                + " B in use; after 1000 iterations: " + backend.reservedBytes() + " B reserved, "
                + backend.inUseBytes() + " B in use");
        // No growth: tensors of earlier tests may be freed by the Cleaner during the loop, so less is fine.
        assertThat(backend.reservedBytes()).as("bytes reserved from the driver must not grow").isLessThanOrEqualTo(reserved);
        assertThat(backend.inUseBytes()).as("bytes in use must not grow").isLessThanOrEqualTo(inUse);
    }

    @Test
    void aThousandStepSequenceMatchesTheReference() {
        Device cuda = CudaTestSupport.cuda();
        SplittableRandom rnd = new SplittableRandom(Compare.seed("1000 steps"));
        RnnSpec s = RnnSpec.of(RnnCell.LSTM, 8, 64);
        RnnReference.Problem p = RnnProblems.random(s, 2, 1000, new RnnProblems.Options(true, false, true), rnd);
        RnnReference.Result ref = RnnReference.forward(p);
        RnnProblems.OnDevice g = RnnProblems.on(cuda, p);
        Tensor out = cuda.zeros(2, 1000, 64);
        RnnState last = new RnnState(cuda.zeros(2, 64), cuda.zeros(2, 64));
        cuda.rnnForward(s, g.x(), g.mask(), null, g.weights(), g.initial(), out, last, null);
        Compare.close("1000-step LSTM last h", ref.lastH(), last.h().toArray(), 1e-4, 1e-3);
        Compare.close("1000-step LSTM output", ref.output(), out.toArray(), 1e-4, 1e-3);
    }

    @Test
    void closingTheBackendFreesEverythingAndRefusesFurtherWork() {
        CudaTestSupport.cuda();
        CudaBackend own = (CudaBackend) new CudaProvider().create(0);
        var storage = own.allocate(1000);
        assertThat(own.reservedBytes()).isPositive();
        own.close();
        assertThat(own.reservedBytes()).isZero();
        own.close();  // idempotent
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> own.allocate(10))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        storage.close();  // after the backend: ignored
    }
}
