/**
 * The SIMD backend's generic ops: pointwise functions ({@link io.rnn4j.kernels.simd.ops.Elementwise}),
 * NumPy broadcasting ({@link io.rnn4j.kernels.simd.ops.Broadcasting}), reductions, softmax, and row
 * gather/scatter and axis copies ({@link io.rnn4j.kernels.simd.ops.Indexing}).
 *
 * <p>Internal to the SIMD backend, which calls these after {@code Device} has validated every
 * argument; each is an optimisation of the scalar backend's op of the same name and is tested
 * against it. Each op reduces its tensor to contiguous runs first (one axis, or merged broadcast
 * dimensions), because only contiguous runs vectorize; each run then follows the one loop shape:
 * vector body, scalar tail. As everywhere in this backend, vectors never cross a method call (see
 * {@link io.rnn4j.kernels.simd.math.VectorMath}).
 */
package io.rnn4j.kernels.simd.ops;
