package io.rnn4j.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Counts floating-point operations (an FMA is two) so that JMH reports them as a rate beside the
 * primary score: the secondary result {@code flops}, in flops per second. The GEMM benchmarks and
 * the FMA peak report the same counter, so "GEMM as a fraction of peak" is one ratio of two results
 * of the same run.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class FlopCounter {
    /** Flops done in this iteration; JMH reads it as a public field. */
    public long flops;

    @Setup(Level.Iteration)
    public void reset() {
        flops = 0;
    }
}
