package io.rnn4j.bench;

import org.openjdk.jmh.annotations.Fork;

/** {@link GemmBench} on one thread: the per-core rate, comparable with {@link FmaPeakBench}. */
@Fork(value = 1, jvmArgsAppend = "-Drnn4j.threads=1")
public class GemmOneThreadBench extends GemmBench {
}
