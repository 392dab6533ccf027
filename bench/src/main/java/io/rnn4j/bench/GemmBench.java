package io.rnn4j.bench;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
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
 * {@code C = A·B} through {@link Device#gemm}, on every device, for the shapes the RNN kernels run
 * and for square sizes with tails. Scores are calls per second; the secondary {@code flops} result
 * ({@code 2·M·N·K} per call) is comparable with {@link FmaPeakBench}'s.
 *
 * <p>The shapes "M x N x K": 1x1024x256 is batch-1 LSTM step's recurrent GEMV (h·U, H=256);
 * 64x1024x256 the same at batch 64; 3200x1024x64 the input projection of all timesteps at once
 * (B·T=3200, D=64, 4H=1024); 256x2048x512 a larger layer; squares 255, 512 and 1023 are off and on
 * the vector width. The thread count is set per subclass ({@link GemmOneThreadBench},
 * {@link GemmAllCoresBench}), as the backends read it once per JVM.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public abstract class GemmBench {

    @Param({"1x1024x256", "64x1024x256", "3200x1024x64", "256x2048x512", "255x255x255", "512x512x512",
        "1023x1023x1023"})
    public String shape;

    @Param({"scalar", "simd", "cuda"})
    public String device;

    // Inputs in non-final fields, so the JIT cannot treat them as constants.
    private Device dev;
    private Tensor a;
    private Tensor b;
    private Tensor c;
    private long flopsPerCall;

    @Setup
    public void setUp() {
        int[] mnk = parseShape(shape);
        dev = Backends.device(device);
        SplittableRandom rnd = new SplittableRandom(11);
        a = dev.tensor(random(rnd, mnk[0] * mnk[2]), mnk[0], mnk[2]);
        b = dev.tensor(random(rnd, mnk[2] * mnk[1]), mnk[2], mnk[1]);
        c = dev.zeros(mnk[0], mnk[1]);
        flopsPerCall = 2L * mnk[0] * mnk[1] * mnk[2];
    }

    @TearDown
    public void tearDown() {
        a.close();
        b.close();
        c.close();
    }

    @Benchmark
    public Tensor gemm(FlopCounter counter) {
        dev.gemm(false, false, 1f, a, b, 0f, c);
        counter.flops += flopsPerCall;
        dev.synchronize();
        return c;
    }

    /** "M x N x K" → {M, N, K}. */
    static int[] parseShape(String s) {
        String[] p = s.split("x");
        if (p.length != 3) {
            throw new IllegalArgumentException("shape: expected MxNxK such as 64x1024x256, got '" + s + "'");
        }
        return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])};
    }

    static float[] random(SplittableRandom rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextDouble(-1, 1);
        }
        return v;
    }
}
