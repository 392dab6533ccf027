/**
 * Single-precision matrix products for the SIMD backend: {@link io.rnn4j.kernels.simd.gemm.Sgemm}
 * (BLAS-style GEMM, any transposes, B optionally pre-packed as a
 * {@link io.rnn4j.kernels.simd.gemm.PackedMatrix}) and {@link io.rnn4j.kernels.simd.gemm.Gemv}
 * (batch 1, B packed for streaming from cache).
 *
 * <p>Internal to the SIMD backend, which validates tensors and calls these on raw arrays. The
 * weights of a recurrent layer are packed once and cached with the weight tensor, because packing
 * costs about as much as one product and a sequence multiplies by the same weights every step.
 */
package io.rnn4j.kernels.simd.gemm;
