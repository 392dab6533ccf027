package io.rnn4j.kernels.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.RnnCell;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnState;
import io.rnn4j.engine.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Per-step forward sequences replayed from CUDA graphs ({@link SequenceGraphs}): the first call
 * runs directly, the second is captured and replayed, the third replays; every result matches the
 * float64 reference and the direct run bit for bit, new data in the same tensors is read by the
 * replay, and the counters prove the graph ran. Needs a GPU.
 */
class CudaGraphTest {

    private static RnnSpec spec(String name) {
        return switch (name) {
            case "LSTM" -> RnnSpec.of(RnnCell.LSTM, 6, 33);
            case "GRU reset_before" -> RnnSpec.of(RnnCell.GRU, 6, 33).withResetAfter(false);
            default -> RnnSpec.of(RnnCell.SIMPLE, 6, 33).withGoBackwards(true);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"LSTM", "GRU reset_before", "SimpleRNN goBackwards"})
    void replayedSequencesMatchTheDirectRunAndTheReference(String name) {
        Device cuda = CudaTestSupport.cuda();
        CudaBackend backend = CudaTestSupport.backend(cuda);
        RnnSpec s = spec(name);
        int b = 3;
        int steps = 7;
        int h = s.units();
        SplittableRandom rnd = new SplittableRandom(Compare.seed("graph " + name));
        RnnReference.Problem p1 = RnnProblems.random(s, b, steps, new RnnProblems.Options(true, false, true), rnd);
        RnnReference.Problem p2 = RnnProblems.random(s, b, steps, new RnnProblems.Options(true, false, true), rnd);
        p2.mask = p1.mask;  // same mask tensor contents; x, weights and initial state change
        backend.usePersistent(false);
        backend.useGraphs(true);
        try {
            RnnProblems.OnDevice g = RnnProblems.on(cuda, p1);
            Tensor out = cuda.zeros(b, steps, h);
            RnnState last = new RnnState(cuda.zeros(b, h), s.hasCellState() ? cuda.zeros(b, h) : null);
            long[] before = backend.graphCounts();
            float[][] runs = new float[3][];
            for (int call = 0; call < 3; call++) {
                cuda.fill(out, 0f);
                cuda.rnnForward(s, g.x(), g.mask(), null, g.weights(), g.initial(), out, last, null);
                runs[call] = out.toArray();
            }
            long[] after = backend.graphCounts();
            assertThat(after[1] - before[1]).as("graphs captured").isEqualTo(1);
            assertThat(after[0] - before[0]).as("graph replays (calls 2 and 3)").isEqualTo(2);
            RnnReference.Result ref1 = RnnReference.forward(p1);
            Compare.close(name + " direct run", ref1.output(), runs[0], 2e-5, 2e-4);
            assertThat(runs[1]).as("captured run == direct run, bit for bit").isEqualTo(runs[0]);
            assertThat(runs[2]).as("replay == direct run, bit for bit").isEqualTo(runs[0]);

            // New contents in the same tensors: the replay reads them.
            RnnProblems.OnDevice g2 = RnnProblems.on(cuda, p2);
            cuda.copy(g2.x(), g.x());
            cuda.copy(g2.weights().kernel(), g.weights().kernel());
            cuda.copy(g2.weights().recurrentKernel(), g.weights().recurrentKernel());
            cuda.copy(g2.weights().bias(), g.weights().bias());
            cuda.copy(g2.initial().h(), g.initial().h());
            if (s.hasCellState()) {
                cuda.copy(g2.initial().c(), g.initial().c());
            }
            cuda.rnnForward(s, g.x(), g.mask(), null, g.weights(), g.initial(), out, last, null);
            assertThat(backend.graphCounts()[0] - after[0]).as("replayed again").isEqualTo(1);
            RnnReference.Result ref2 = RnnReference.forward(p2);
            Compare.close(name + " replay with new data: output", ref2.output(), out.toArray(), 2e-5, 2e-4);
            Compare.close(name + " replay with new data: last h", ref2.lastH(), last.h().toArray(), 2e-5, 2e-4);
        } finally {
            backend.usePersistent(true);
        }
    }
}
