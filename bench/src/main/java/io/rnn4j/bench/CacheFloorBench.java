package io.rnn4j.bench;

import io.rnn4j.engine.RnnCase;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cache-streaming floor of a batch-1 case, measured on this machine in the same run as
 * {@link RnnLatencyBench}: T passes over a buffer the size of the case's recurrent kernel U
 * (4·G·H² bytes), as the recurrent product must read U once per step. Each pass is a plain vector
 * sum with eight accumulators over a 64-byte-aligned buffer (aligned: an unaligned 64-byte load
 * straddles two cache lines and halves what L2 delivers), so it runs at what the cache delivers to
 * one core, nothing else. {@code RnnLatencyBench.forward / streamU} is then how far a case is above
 * this part of its floor; the rest of the floor (the input projection at the FMA peak, the gate
 * activations) is small beside it and computed in the closing notes from the other benchmarks.
 * Needs {@code --add-modules jdk.incubator.vector}; {@link BenchMain} leaves it out otherwise.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Drnn4j.threads=1")
@State(Scope.Benchmark)
public class CacheFloorBench {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final long VECTOR_BYTES = SPECIES.vectorByteSize();
    /** Bytes per loop step: eight vectors. */
    static final long STEP_BYTES = 8 * VECTOR_BYTES;

    @Param({"S1", "L1", "L2", "G1", "G2"})
    public String rnnCase;

    private MemorySegment u;
    private int steps;

    @Setup
    public void setUp() {
        RnnCase c = RnnCase.valueOf(rnnCase);
        long bytes = 4L * c.units * c.cell.gates() * c.units;
        u = Arena.ofAuto().allocate(Math.ceilDiv(bytes, STEP_BYTES) * STEP_BYTES, 64);
        for (long i = 0; i < u.byteSize() / Float.BYTES; i++) {
            u.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i, (i % 7) * 0.25f);
        }
        steps = c.steps;
    }

    /** T passes over U's bytes: the time a batch-1 sequence spends at least in reading U. */
    @Benchmark
    public float streamU() {
        float s = 0f;
        for (int t = 0; t < steps; t++) {
            s += pass(u);
        }
        return s;
    }

    static float pass(MemorySegment b) {
        ByteOrder order = ByteOrder.nativeOrder();
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        FloatVector s4 = s0;
        FloatVector s5 = s0;
        FloatVector s6 = s0;
        FloatVector s7 = s0;
        for (long at = 0, end = b.byteSize(); at < end; at += STEP_BYTES) {
            s0 = s0.add(FloatVector.fromMemorySegment(SPECIES, b, at, order));
            s1 = s1.add(FloatVector.fromMemorySegment(SPECIES, b, at + VECTOR_BYTES, order));
            s2 = s2.add(FloatVector.fromMemorySegment(SPECIES, b, at + 2 * VECTOR_BYTES, order));
            s3 = s3.add(FloatVector.fromMemorySegment(SPECIES, b, at + 3 * VECTOR_BYTES, order));
            s4 = s4.add(FloatVector.fromMemorySegment(SPECIES, b, at + 4 * VECTOR_BYTES, order));
            s5 = s5.add(FloatVector.fromMemorySegment(SPECIES, b, at + 5 * VECTOR_BYTES, order));
            s6 = s6.add(FloatVector.fromMemorySegment(SPECIES, b, at + 6 * VECTOR_BYTES, order));
            s7 = s7.add(FloatVector.fromMemorySegment(SPECIES, b, at + 7 * VECTOR_BYTES, order));
        }
        return s0.add(s1).add(s2).add(s3).add(s4).add(s5).add(s6).add(s7).reduceLanes(VectorOperators.ADD);
    }
}
