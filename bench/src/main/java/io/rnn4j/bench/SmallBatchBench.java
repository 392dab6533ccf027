package io.rnn4j.bench;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.RnnCase;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnWeights;
import io.rnn4j.engine.Tensor;
import java.util.Locale;
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
 * A latency case's sequence in a small batch (a service answering a few requests at once): the
 * case's weights, and its one input row repeated {@code batch} times, forward on one thread. Read
 * against {@link RnnLatencyBench} of the same case: a batch of two should cost little more than one
 * while the product is bound by reading U (the gate holds L2's shape at batch 2 below 3× batch 1).
 * Every row's output is the batch-1 case's, so the setup checks B times its checksums.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Drnn4j.threads=1")
@State(Scope.Benchmark)
public class SmallBatchBench {

    @Param({"L1", "L2", "G1", "G2"})
    public String rnnCase;

    @Param({"2", "4", "8"})
    public int batch;

    @Param({"scalar", "simd", "cuda"})
    public String device;

    private Device dev;
    private RnnSpec spec;
    private RnnWeights weights;
    private Tensor x;
    private Tensor output;

    @Setup
    public void setUp() {
        RnnCase c = RnnCase.valueOf(rnnCase);
        if (c.batch != 1 || c.training) {
            throw new IllegalArgumentException("SmallBatchBench: " + rnnCase
                    + " is not a batch-1 inference case (expected one of S1, L1, L2, G1, G2)");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("SmallBatchBench: expected a batch of at least 1, got " + batch);
        }
        dev = Backends.device(device);
        spec = c.spec();
        weights = c.weights(dev);
        float[] row = c.inputValues();
        float[] rows = new float[batch * row.length];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(row, 0, rows, b * row.length, row.length);
        }
        x = dev.tensor(rows, batch, c.steps, c.inputSize);
        output = dev.zeros(batch, c.steps, c.units);
        forward();
        double[] sums = RnnCase.checksums(output.toArray(), batch, c.steps, c.units);
        check(c, "sum", sums[0], batch * c.expectedSum);
        check(c, "lastH", sums[1], batch * c.expectedLastH);
        System.out.printf(Locale.ROOT, "%s ×%d on %s: sum=%.6g lastH=%.6g (%d × rnn-cases.md agrees)%n", c, batch,
                dev.name(), sums[0], sums[1], batch);
    }

    private void check(RnnCase c, String what, double actual, double expected) {
        CaseData.requireChecksum(c + " ×" + batch + " on " + dev.name(), what, actual,
                "expected " + batch + " × rnn-cases.md =", expected);
    }

    @TearDown
    public void tearDown() {
        for (Tensor t : new Tensor[] {weights.kernel(), weights.recurrentKernel(), weights.bias(), x, output}) {
            if (t != null) {
                t.close();
            }
        }
    }

    @Benchmark
    public Tensor forward() {
        dev.rnnForward(spec, x, null, null, weights, null, output, null, null);
        dev.synchronize();
        return output;
    }
}
