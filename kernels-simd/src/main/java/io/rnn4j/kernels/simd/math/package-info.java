/**
 * Vectorized activations: the transcendental functions one vector at a time
 * ({@link io.rnn4j.kernels.simd.math.VectorMath}, with their measured error bounds), and array loops
 * applying any {@link io.rnn4j.engine.UnaryOp} or its gradient
 * ({@link io.rnn4j.kernels.simd.math.Activations}, {@link io.rnn4j.kernels.simd.math.ActivationGrads}).
 *
 * <p>Internal to the SIMD backend: its generic ops and recurrent kernels call these. The functions
 * are our own polynomials, not the JDK's lanewise EXP/TANH, so results and speed are the same on
 * every platform; each array loop ends with {@link io.rnn4j.engine.scalar.ScalarMath}, the scalar
 * backend's function, for the elements that do not fill a vector.
 */
package io.rnn4j.kernels.simd.math;
