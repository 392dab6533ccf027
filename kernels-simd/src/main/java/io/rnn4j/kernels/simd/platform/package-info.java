/**
 * The machine as the SIMD kernels see it, decided once: the vector species and whether FMA is fast
 * ({@link io.rnn4j.kernels.simd.platform.SimdConstants}), and the kernels' own thread pool
 * ({@link io.rnn4j.kernels.simd.platform.SimdThreads}), which splits work into contiguous chunks
 * so results do not depend on the number of threads.
 *
 * <p>Internal to the SIMD backend. Both are global on purpose. The species must be a {@code static
 * final} constant where vector code runs: read from a field or parameter, C2 cannot compile the
 * vector operations to registers and a GEMM measured 1.7 instead of 177 GFLOP/s. So each JVM has
 * one width, and tests cover the others by running again with {@code -Drnn4j.simd.bits}. A pool per
 * call would cost a thread start per GEMM.
 */
package io.rnn4j.kernels.simd.platform;
