package io.rnn4j.bench;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import java.util.SplittableRandom;
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
 * {@code out = op(x)} through {@link Device#unary}: the recurrent activations (tanh, sigmoid) and
 * relu as a memory-bound baseline, then the activations Keras 3 added: gelu (an exp and a rational
 * function; should stay within 2-3x of tanh), mish and log_sigmoid (an exp, and a log1p for the
 * latter), and relu6, leaky_relu and hard_silu, which are piecewise arithmetic and should run at
 * relu's speed. Sizes are one gate row (255: a tail on every vector width), a batch of gates (4097)
 * and a whole sequence's gates (65539). Inputs in (-4, 4), where every op takes its general path.
 * One thread: pointwise work is per-call latency.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Drnn4j.threads=1")
@State(Scope.Benchmark)
public class ActivationBench {

    @Param({"TANH", "SIGMOID", "RELU", "GELU", "MISH", "LOG_SIGMOID", "RELU6", "LEAKY_RELU", "HARD_SILU"})
    public String op;

    @Param({"255", "4097", "65539"})
    public int size;

    @Param({"scalar", "simd", "cuda"})
    public String device;

    private Device dev;
    private UnaryOp unary;
    private Tensor x;
    private Tensor out;

    @Setup
    public void setUp() {
        dev = Backends.device(device);
        unary = UnaryOp.valueOf(op);
        float[] v = new float[size];
        SplittableRandom rnd = new SplittableRandom(13);
        for (int i = 0; i < size; i++) {
            v[i] = (float) rnd.nextDouble(-4, 4);
        }
        x = dev.tensor(v, size);
        out = dev.zeros(size);
    }

    @TearDown
    public void tearDown() {
        x.close();
        out.close();
    }

    @Benchmark
    public Tensor unary() {
        dev.unary(unary, x, out);
        dev.synchronize();
        return out;
    }
}
