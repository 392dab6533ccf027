/**
 * rnn4j's JMH benchmarks: GEMM and the machine's FMA peak, activations, the fixed RNN cases of
 * {@code shared/rnn-cases.md}, the streaming single step, and the model API (fit, predict, the
 * step runner).
 *
 * <p>Every kernel benchmark takes the device as a {@code @Param} ("scalar", "simd", "cuda"), so the
 * reference and the fast backends are measured in one class, in one run, and compared as ratios —
 * absolute times on shared machines drift by tens of percent. The benchmarks reach the backends only
 * through the public engine API ({@code Devices.get}, {@code Device}); a backend that cannot run here
 * is left out by {@link io.rnn4j.bench.BenchMain} with one line saying why. Latency benchmarks run
 * on one thread ({@code -Drnn4j.threads=1} in their fork), throughput benchmarks on all cores. The
 * RNN case benchmarks check the case's checksums in their setup, so a wrong answer is never timed.
 * Every benchmark that times device work ends with {@link io.rnn4j.engine.Device#synchronize()}, so
 * that a device which only queues its ops (CUDA) is timed for the work and not the launch; on the
 * CPU backends, whose ops finish before they return, it returns at once.
 */
package io.rnn4j.bench;
