package io.rnn4j.bench;

import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.model.Sequential;
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
 * classifier, one time step in and the class probabilities out, on one thread; and, as cell
 * {@value #TOKENS}, {@link StepRunner#step(int, float[])} on a next-token model (Embedding(96, 32,
 * mask_zero) → LSTM(64) → Dense(96, softmax), what a text service streams), one id in (every eighth
 * id 0, a masked step) and the next id's probabilities out. With {@code -prof gc} the allocation per
 * step reads zero on simd (the gate holds it: bench/floors.properties); the scalar reference backend
 * makes its per-call arrays.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Drnn4j.threads=1")
@State(Scope.Benchmark)
public class ModelStepBench {

    static final String TOKENS = "EmbeddingLSTM";
    static final int VOCABULARY = 96;

    @Param({"LSTM", "GRU", TOKENS})
    public String cell;

    @Param({"scalar", "simd", "cuda"})
    public String device;

    private StepRunner runner;
    private float[] features;
    private float[] result;
    /** The token model's ids, stepped through in turn; null for the classifiers. */
    private int[] ids;
    private int next;

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(7);
        if (cell.equals(TOKENS)) {
            ModelBench.useDevice(device);
            runner = Sequential.of(Input.shape(Input.NONE), new Embedding(VOCABULARY, 32).maskZero(true),
                    new LSTM(ModelBench.UNITS).returnSequences(true), new Dense(VOCABULARY, "softmax")).stepRunner();
            ids = new int[64];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = i % 8 == 7 ? 0 : rnd.nextInt(1, VOCABULARY);
            }
        } else {
            runner = ModelBench.onDevice(device, cell).stepRunner();
            features = new float[runner.inputSize()];
            for (int i = 0; i < features.length; i++) {
                features[i] = (float) rnd.nextDouble(-1, 1);
            }
        }
        result = new float[runner.outputSize()];
    }

    @Benchmark
    public float[] step() {
        if (ids != null) {
            runner.step(ids[next++ & 63], result);
        } else {
            runner.step(features, result);
        }
        return result;
    }
}
