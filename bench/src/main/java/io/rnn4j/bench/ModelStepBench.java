package io.rnn4j.bench;

import io.rnn4j.layers.model.StepRunner;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Streaming through the model API: {@link StepRunner#step(float[], float[])} on {@link ModelBench}'s
 * classifier, one time step in and the class probabilities out, on one thread. With {@code -prof gc}
 * the allocation per step reads zero on simd (the gate holds it: bench/floors.properties); the scalar
 * reference backend makes its per-call arrays.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Drnn4j.threads=1")
@State(Scope.Benchmark)
public class ModelStepBench {

    @Param({"LSTM", "GRU"})
    public String cell;

    @Param({"scalar", "simd", "cuda"})
    public String device;

    private StepRunner runner;
    private float[] features;
    private float[] result;

    @Setup
    public void setUp() {
        runner = ModelBench.onDevice(device, cell).stepRunner();
        features = new float[runner.inputSize()];
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) rnd.nextDouble(-1, 1);
        }
        result = new float[runner.outputSize()];
    }

    @Benchmark
    public float[] step() {
        runner.step(features, result);
        return result;
    }
}
