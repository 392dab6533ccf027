package io.rnn4j.engine.scalar;

import io.rnn4j.engine.spi.AbstractBackendTest;
import io.rnn4j.engine.spi.Backend;

/** The scalar backend meets the generic-op contract (it is the oracle, so it had better). */
class ScalarBackendTest extends AbstractBackendTest {
    @Override
    protected Backend newBackend() {
        return new ScalarBackend();
    }
}
