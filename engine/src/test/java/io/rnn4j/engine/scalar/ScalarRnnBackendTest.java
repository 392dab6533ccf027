package io.rnn4j.engine.scalar;

import io.rnn4j.engine.spi.AbstractRnnBackendTest;
import io.rnn4j.engine.spi.Backend;

/** The scalar backend's fused recurrent kernels against the float64 reference and finite differences. */
class ScalarRnnBackendTest extends AbstractRnnBackendTest {
    @Override
    protected Backend newBackend() {
        return new ScalarBackend();
    }
}
