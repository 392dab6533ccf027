package io.rnn4j.bench;

import io.rnn4j.engine.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The training cases of rnn-cases.md (batch 64, 50 steps): forward saving the workspace, then BPTT
 * of sum(outputs) into dW, dU, db and dx, on all cores. The setup checks the output and gradient
 * checksums first.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class RnnTrainingBench {

    @Param({"L4", "G4"})
    public String rnnCase;

    @Param({"scalar", "simd", "cuda"})
    public String device;

    private CaseData data;

    @Setup
    public void setUp() {
        data = CaseData.verified(rnnCase, device, true);
    }

    @TearDown
    public void tearDown() {
        data.close();
    }

    @Benchmark
    public Tensor forwardBackward() {
        data.forward();
        Tensor dW = data.backward();
        data.device.synchronize();
        return dW;
    }
}
