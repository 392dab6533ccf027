/**
 * Test support shared with every backend module through the engine's test-jar: the float64
 * reference of the recurrent cells ({@link io.rnn4j.engine.testing.Float64Rnn}), random recurrent
 * problems ({@link io.rnn4j.engine.testing.RnnProblem}), running them on a device
 * ({@link io.rnn4j.engine.testing.RnnRun}) and finite differences of their loss
 * ({@link io.rnn4j.engine.testing.RnnGradientCheck}).
 *
 * <p>The references here share no code with any backend, so that a backend and its oracle cannot
 * be wrong in the same way.
 */
package io.rnn4j.engine.testing;
