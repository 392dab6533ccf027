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
 * The latency cases of rnn-cases.md (batch 1, 100 steps): one sequence forward, on one thread, as a
 * service answering one request would run it. The setup checks the checksums first.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Drnn4j.threads=1")
@State(Scope.Benchmark)
public class RnnLatencyBench {

    @Param({"S1", "L1", "L2", "G1", "G2"})
    public String rnnCase;

    @Param({"scalar", "simd", "cuda"})
    public String device;

    private CaseData data;

    @Setup
    public void setUp() {
        data = CaseData.verified(rnnCase, device, false);
    }

    @TearDown
    public void tearDown() {
        data.close();
    }

    @Benchmark
    public Tensor forward() {
        Tensor out = data.forward();
        data.device.synchronize();
        return out;
    }
}
