/**
 * Test support shared with the backend modules through the engine's test-jar: float64 reference
 * implementations of the generic ops (written here, independently of the scalar backend they judge),
 * a float64 central finite-difference helper, seeded random data and shapes that print their seed,
 * the awkward sizes every kernel is tried on, and tolerance-aware assertions whose messages state
 * the bar.
 */
package io.rnn4j.engine.testing;
