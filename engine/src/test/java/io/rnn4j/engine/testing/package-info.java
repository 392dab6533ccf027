/**
 * Test support shared with every backend module through the engine's test-jar: float64 reference
 * implementations of the generic ops and of the recurrent cells ({@link io.rnn4j.engine.testing.Float64Rnn}),
 * float64 central finite differences (generic, and {@link io.rnn4j.engine.testing.RnnGradientCheck}
 * for recurrent problems), seeded random data and shapes that print their seed, the awkward sizes
 * every kernel is tried on, and tolerance-aware assertions whose messages state the bar.
 *
 * <p>The references here share no code with any backend, so that a backend and its oracle cannot
 * be wrong in the same way.
 */
package io.rnn4j.engine.testing;
