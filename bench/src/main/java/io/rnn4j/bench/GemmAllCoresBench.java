package io.rnn4j.bench;

import org.openjdk.jmh.annotations.Fork;

/** {@link GemmBench} with the backends' default thread count (all cores): the throughput rate. */
@Fork(1)
public class GemmAllCoresBench extends GemmBench {
}
