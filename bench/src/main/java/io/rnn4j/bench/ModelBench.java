package io.rnn4j.bench;

import io.rnn4j.engine.Devices;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
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
 * The model API end to end, on all cores: one epoch of {@code fit} (shuffled batches of 32, Adam,
 * categorical cross-entropy) and batched {@code predict} (batches of 64) of a small classifier —
 * {@code Input(20, 32) → LSTM(64) or GRU(64) → Dense(10, softmax)} — on 512 random sequences.
 *
 * <p>A model is built on the default device, which the engine chooses once per JVM; each JMH fork
 * is a fresh JVM, so the setup names the device with {@code -Drnn4j.device} before anything else
 * touches the engine, and checks that the model really is there.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ModelBench {
    static final int SAMPLES = 512;
    static final int STEPS = 20;
    static final int FEATURES = 32;
    static final int UNITS = 64;
    static final int CLASSES = 10;

    @Param({"LSTM", "GRU"})
    public String cell;

    @Param({"scalar", "simd", "cuda"})
    public String device;

    private Sequential model;
    private Tensor x;
    private Tensor y;
    private Fit fit;

    @Setup
    public void setUp() {
        model = onDevice(device, cell);
        SplittableRandom rnd = new SplittableRandom(7);
        float[] xv = new float[SAMPLES * STEPS * FEATURES];
        for (int i = 0; i < xv.length; i++) {
            xv[i] = (float) rnd.nextDouble(-1, 1);
        }
        float[] yv = new float[SAMPLES * CLASSES];
        for (int s = 0; s < SAMPLES; s++) {
            yv[s * CLASSES + rnd.nextInt(CLASSES)] = 1f;
        }
        x = model.device().tensor(xv, SAMPLES, STEPS, FEATURES);
        y = model.device().tensor(yv, SAMPLES, CLASSES);
        fit = Fit.defaults().batchSize(32).epochs(1).seed(1).verbose(0);
    }

    /**
     * The model for {@code cell} on {@code device}, compiled; {@link IllegalStateException} when the
     * engine's default device is already another one (the JVM chose before this setup ran).
     */
    static Sequential onDevice(String device, String cell) {
        useDevice(device);
        Layer recurrent = cell.equals("GRU") ? new GRU(UNITS) : new LSTM(UNITS);
        Sequential m = Sequential.of(Input.shape(STEPS, FEATURES), recurrent, new Dense(CLASSES, "softmax"));
        m.compile(Optimizers.adam(), Losses.categoricalCrossentropy());
        return m;
    }

    /**
     * Makes {@code device} the engine's default device, for the models built next; {@link
     * IllegalStateException} when it is unavailable or the JVM chose another one before.
     */
    static void useDevice(String device) {
        String why = Backends.unavailableReason(device);
        if (why != null) {
            throw new IllegalStateException("benchmark device '" + device + "' is unavailable: " + why);
        }
        System.setProperty("rnn4j.device", device);
        String actual = Devices.defaultDevice().name();
        if (!actual.startsWith(device)) {
            throw new IllegalStateException("ModelBench: the default device is " + actual + ", not " + device
                    + "; it was chosen before the setup ran (pass -Drnn4j.device=" + device + ")");
        }
    }

    @Benchmark
    public History fitOneEpoch() {
        return model.fit(x, y, fit);
    }

    @Benchmark
    public Tensor predictBatched() {
        // Each call allocates its output (predict's contract); free it once the device has written it.
        Tensor out = model.predict(x, 64);
        model.device().synchronize();
        out.close();
        return out;
    }
}
