package io.rnn4j.bench;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.RnnCase;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnState;
import io.rnn4j.engine.RnnWeights;
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
 * Streaming inference: one timestep in, one out (B=1, T=1), the state carried from call to call,
 * every tensor allocated once in the setup — what a service does per event. Run it with JMH's GC
 * profiler ({@code -prof gc}): {@code gc.alloc.rate.norm} is the heap allocated per step, and the
 * goal is zero bytes. The weights are those of the latency cases L2 and G2 (D=64, H=256).
 *
 * <p>The state ping-pongs between two preallocated pairs (the step reads one and writes the other),
 * since a step's initial and final states are distinct tensors.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Drnn4j.threads=1")
@State(Scope.Benchmark)
public class StreamingStepBench {

    @Param({"L2", "G2"})
    public String rnnCase;

    @Param({"scalar", "simd", "cuda"})
    public String device;

    private Device dev;
    private RnnSpec spec;
    private RnnWeights weights;
    private Tensor x;
    private Tensor out;
    private RnnState even;
    private RnnState odd;
    private boolean flip;

    @Setup
    public void setUp() {
        RnnCase c = RnnCase.valueOf(rnnCase);
        dev = Backends.device(device);
        spec = c.spec();
        weights = c.weights(dev);
        float[] first = new float[c.inputSize];
        System.arraycopy(c.inputValues(), 0, first, 0, first.length);
        x = dev.tensor(first, 1, 1, c.inputSize);
        out = dev.zeros(1, 1, c.units);
        even = state(c);
        odd = state(c);
    }

    private RnnState state(RnnCase c) {
        return new RnnState(dev.zeros(1, c.units), spec.hasCellState() ? dev.zeros(1, c.units) : null);
    }

    @TearDown
    public void tearDown() {
        for (Tensor t : new Tensor[] {weights.kernel(), weights.recurrentKernel(), weights.bias(), x, out, even.h(),
            even.c(), odd.h(), odd.c()}) {
            if (t != null) {
                t.close();
            }
        }
    }

    @Benchmark
    public Tensor step() {
        RnnState in = flip ? odd : even;
        RnnState next = flip ? even : odd;
        flip = !flip;
        dev.rnnForward(spec, x, null, null, weights, in, out, next, null);
        dev.synchronize();
        return out;
    }
}
