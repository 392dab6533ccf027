/**
 * Reverse-mode automatic differentiation over engine tensors, shaped after micrograd and
 * tinygrad: a {@link io.rnn4j.layers.autograd.Variable} holds a value and (for parameters) a
 * gradient; each operation is one small {@link io.rnn4j.layers.autograd.Function} whose backward is
 * declared beside its forward and built from device ops; {@link io.rnn4j.layers.autograd.Ops} is
 * the public face.
 *
 * <p>Why so: every op runs on whichever device its inputs live on, so the same graph trains on the
 * scalar, SIMD or CUDA backend; a recurrent sequence is one node (fused kernels), never a chain of
 * per-step nodes. Recording is per thread and can be switched off
 * ({@link io.rnn4j.layers.autograd.Autograd#noGrad()}) for inference.
 */
package io.rnn4j.layers.autograd;
