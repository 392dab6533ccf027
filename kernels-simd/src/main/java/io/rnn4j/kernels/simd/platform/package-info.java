/**
 * The machine as the SIMD kernels see it, decided once: the vector species and whether FMA is fast
 * ({@link io.rnn4j.kernels.simd.platform.SimdConstants}), and the kernels' own thread pool
 * ({@link io.rnn4j.kernels.simd.platform.SimdThreads}).
 *
 * <p>Internal to the SIMD backend. Both are global on purpose: a species chosen per call would stop
 * C2 from compiling vector code to registers, and a pool per call would cost a thread start per
 * GEMM. Tests that need another width build kernels with an explicit species instead of changing
 * these.
 */
package io.rnn4j.kernels.simd.platform;
