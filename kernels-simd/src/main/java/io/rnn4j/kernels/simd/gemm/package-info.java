/**
 * Single-precision matrix products for the SIMD backend: {@link io.rnn4j.kernels.simd.gemm.Sgemm}
 * (BLAS-style GEMM, any transposes, B optionally pre-packed as a
 * {@link io.rnn4j.kernels.simd.gemm.PackedMatrix}) and {@link io.rnn4j.kernels.simd.gemm.Gemv}
 * (one row, or a few sharing each pass: B packed for streaming from cache).
 *
 * <p>Internal to the SIMD backend, which validates tensors and calls these on raw arrays. The
 * weights of a recurrent layer, and any right operand the backend's GEMM sees a second time
 * unchanged, are packed once and cached with the weight tensor's storage
 * ({@link io.rnn4j.kernels.simd.gemm.PackedForms}), because packing costs up to a quarter of a
 * product and a sequence multiplies by the same weights every step.
 *
 * <p>Vector code here writes {@code FMA ? a.fma(b, c) : a.mul(b).add(c)} at each use, with
 * {@code FMA} the constant {@code SimdConstants.FAST_FMA}, instead of calling a helper: a helper
 * that takes vectors can be left out of line by C2 in a large compilation, and then boxes them.
 */
package io.rnn4j.kernels.simd.gemm;
