/**
 * The Vector API backend's entry points: {@link io.rnn4j.kernels.simd.SimdProvider}, found by
 * {@link java.util.ServiceLoader}, and the backend it creates, which routes each op of the SPI to the
 * kernels in the sub-packages ({@code gemm}, {@code math}, {@code ops}, {@code rnn}).
 *
 * <p>The split follows Lucene's: the provider references no {@code jdk.incubator.vector} type, so
 * it loads on any JVM and can say why SIMD is off ("pass --add-modules jdk.incubator.vector");
 * everything that does is loaded only once the probe has passed. The species is chosen once (in
 * {@code platform.SimdConstants}): a species that C2 cannot see as a constant compiles to boxed
 * vectors, tens of times slower.
 */
package io.rnn4j.kernels.simd;
