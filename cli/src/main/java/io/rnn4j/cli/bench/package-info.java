/**
 * {@code rnn4j bench}: the fixed cases of {@code shared/rnn-cases.md} (S1..G4) run straight on a
 * {@link io.rnn4j.engine.Device}'s fused sequence kernels, timed, and checked against the
 * checksums every system must reproduce.
 *
 * <p>This is a quick, dependency-free measurement for anyone holding rnn4j's numbers against
 * another system's; the JMH suite in the {@code bench} module is where speed claims come from.
 */
package io.rnn4j.cli.bench;
