package io.rnn4j.kernels.simd;

import io.rnn4j.engine.spi.AbstractBackendTest;
import io.rnn4j.engine.spi.Backend;

/** The SIMD backend's generic ops against the engine's contract (float64 references, awkward sizes). */
class SimdBackendTest extends AbstractBackendTest {
    @Override
    protected Backend newBackend() {
        return new SimdBackend();
    }
}
