/**
 * Vectorized activations: the transcendental functions over array ranges
 * ({@link io.rnn4j.kernels.simd.math.VectorMath}, with their error bounds measured over every float),
 * and loops applying any {@link io.rnn4j.engine.UnaryOp} or its gradient
 * ({@link io.rnn4j.kernels.simd.math.Activations}, {@link io.rnn4j.kernels.simd.math.ActivationGrads};
 * the activations Keras 3 added in {@code KerasActivations}, {@code KerasActivationGrads} and
 * {@code Gelu}, package-private, with their own measured bounds).
 *
 * <p>Internal to the SIMD backend: its generic ops and recurrent kernels call these. The functions
 * are our own polynomials, not the JDK's lanewise EXP/TANH, so results and speed are the same on
 * every platform; each loop ends with {@link io.rnn4j.engine.scalar.ScalarMath}, the scalar
 * backend's function, for the elements that do not fill a vector. Everything here takes arrays, not
 * vectors, because C2 may leave any call out of line once a compilation is large (a Vector API
 * exp alone is about 10,000 nodes), and a vector passed through such a call is boxed.
 */
package io.rnn4j.kernels.simd.math;
