package io.rnn4j.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * This core's peak float32 FMA rate through the Vector API, measured in the same run as the GEMM
 * benchmarks so that their {@code flops} can be read as a fraction of what this machine can do
 * right now (a shared machine's clock and neighbours change from run to run).
 *
 * <p>Twelve independent accumulator chains: an FMA has a latency of about 4 cycles and modern
 * cores issue two per cycle, so at least 8 chains must be in flight to keep both units busy; 12
 * leaves a margin and still fits the 16 (AVX2) or 32 (AVX-512) vector registers. Each chain
 * converges to 1 ({@code acc·m + a} with m just below 1), so no value overflows or goes subnormal.
 * Needs {@code --add-modules jdk.incubator.vector}; {@link BenchMain} leaves it out otherwise.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Drnn4j.threads=1")
@State(Scope.Thread)
public class FmaPeakBench {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Rounds of 12 FMAs per call: long enough that the call overhead is noise, short for JMH's timer. */
    static final int ROUNDS = 4096;
    static final int CHAINS = 12;
    /** An FMA is two flops, on every lane. */
    static final long FLOPS_PER_CALL = 2L * ROUNDS * CHAINS * SPECIES.length();

    // Non-final, so the JIT cannot fold the chain into constants.
    public float multiplier = 0.9999f;
    public float addend = 1e-4f;

    @Benchmark
    public float fma(FlopCounter counter) {
        counter.flops += FLOPS_PER_CALL;
        return chains(multiplier, addend);
    }

    /** Runs the 12 chains and sums them, so that every FMA is needed for the result. */
    static float chains(float m, float add) {
        FloatVector mul = FloatVector.broadcast(SPECIES, m);
        FloatVector a = FloatVector.broadcast(SPECIES, add);
        FloatVector c0 = FloatVector.broadcast(SPECIES, 0.1f);
        FloatVector c1 = FloatVector.broadcast(SPECIES, 0.2f);
        FloatVector c2 = FloatVector.broadcast(SPECIES, 0.3f);
        FloatVector c3 = FloatVector.broadcast(SPECIES, 0.4f);
        FloatVector c4 = FloatVector.broadcast(SPECIES, 0.5f);
        FloatVector c5 = FloatVector.broadcast(SPECIES, 0.6f);
        FloatVector c6 = FloatVector.broadcast(SPECIES, 0.7f);
        FloatVector c7 = FloatVector.broadcast(SPECIES, 0.8f);
        FloatVector c8 = FloatVector.broadcast(SPECIES, 0.9f);
        FloatVector c9 = FloatVector.broadcast(SPECIES, 1.1f);
        FloatVector c10 = FloatVector.broadcast(SPECIES, 1.2f);
        FloatVector c11 = FloatVector.broadcast(SPECIES, 1.3f);
        for (int r = 0; r < ROUNDS; r++) {
            c0 = c0.fma(mul, a);
            c1 = c1.fma(mul, a);
            c2 = c2.fma(mul, a);
            c3 = c3.fma(mul, a);
            c4 = c4.fma(mul, a);
            c5 = c5.fma(mul, a);
            c6 = c6.fma(mul, a);
            c7 = c7.fma(mul, a);
            c8 = c8.fma(mul, a);
            c9 = c9.fma(mul, a);
            c10 = c10.fma(mul, a);
            c11 = c11.fma(mul, a);
        }
        FloatVector s = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11);
        return s.reduceLanes(VectorOperators.ADD);
    }
}
