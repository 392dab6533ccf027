/**
 * The scalar reference backend: every op as the plainest correct Java loop, no unrolling, no
 * threads. It always runs, and it is the oracle every other backend is tested against, so clarity
 * beats speed here. Exported only to the backend and benchmark modules.
 */
package io.rnn4j.engine.scalar;
